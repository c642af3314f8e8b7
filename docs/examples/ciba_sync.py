"""Authenticate a user on their own device with CIBA, poll mode (synchronous API).

Usage: python docs/examples/ciba_sync.py [AUTHORITY]

A call-centre agent, a kiosk or a TV asks the authorization server to authenticate "alice";
the server asks alice on her phone, and the client polls the token endpoint until she has
answered. The example uses the test provider's client "client-ciba" and its test-only
/test/ciba/approve route, which plays alice tapping "approve": a real provider notifies the
user's authentication device instead, and the client only polls.
"""

import sys
import time

import httpx

from py_identity_model import (
    BackchannelAuthenticationRequest,
    BackchannelTokenRequest,
    DiscoveryDocumentRequest,
    TokenValidationConfig,
    get_discovery_document,
    poll_backchannel_token,
    request_backchannel_authentication,
    validate_id_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
CLIENT_ID, CLIENT_SECRET = "client-ciba", "client-ciba-secret"

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.backchannel_authentication_endpoint:
    sys.exit(f"no CIBA at {authority}: {disco.error or 'no backchannel_authentication_endpoint'}")
print("backchannel_authentication_endpoint:", disco.backchannel_authentication_endpoint)
print("delivery modes:", disco.backchannel_token_delivery_modes_supported)

# 1. Ask the server to authenticate alice. binding_message is shown on both screens, so alice
#    can tell this request from any other.
started = request_backchannel_authentication(
    BackchannelAuthenticationRequest(
        disco.backchannel_authentication_endpoint,
        CLIENT_ID,
        "openid profile",
        CLIENT_SECRET,
        login_hint="alice",
        binding_message="W4SCT",
    )
)
if not started.is_successful or started.auth_req_id is None:
    sys.exit(f"backchannel authentication failed: {started.error} ({started.error_code})")
print(f"started: expires_in={started.expires_in} interval={started.interval}")

# 2. Poll. Until alice answers, the token endpoint says authorization_pending.
poll = BackchannelTokenRequest(
    disco.token_endpoint or "", CLIENT_ID, started.auth_req_id, CLIENT_SECRET
)
pending = poll_backchannel_token(poll)
print(f"first poll: is_successful={pending.is_successful} error_code={pending.error_code}")

# 3. Alice approves on her phone (here: the test provider's stand-in for it).
httpx.post(f"{authority}/test/ciba/approve", data={"auth_req_id": started.auth_req_id})

# 4. Poll again after the interval the server asked for (5 s when it names none).
time.sleep(started.interval or 5)
done = poll_backchannel_token(poll)
if not done.is_successful or done.id_token is None:
    sys.exit(f"no tokens: {done.error} ({done.error_code})")
print(f"tokens: token_type={done.token_type} expires_in={done.expires_in} scope={done.scope}")

# 5. The ID token says who authenticated: validate it as any other ID token.
claims = validate_id_token(
    done.id_token, TokenValidationConfig(perform_disco=True, audience=CLIENT_ID), authority
)
print(f"id token: sub={claims['sub']} aud={claims['aud']}")

# A refused request is a result, not an exception: the server's own error code.
unknown = request_backchannel_authentication(
    BackchannelAuthenticationRequest(
        disco.backchannel_authentication_endpoint,
        CLIENT_ID,
        client_secret=CLIENT_SECRET,
        login_hint="nobody",
    )
)
print(f"unknown user: error_code={unknown.error_code} error_type={unknown.error_type}")
