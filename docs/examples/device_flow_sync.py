"""The device authorization grant, RFC 8628 (synchronous API).

Usage: python docs/examples/device_flow_sync.py [AUTHORITY]

A device without a browser asks for a user code, shows it with the verification URI, and
polls the token endpoint until the user has approved on another device. Nobody approves
here, so the polling ends at the deadline this example sets.
"""

import sys

from py_identity_model import (
    DeviceAuthorizationRequest,
    DeviceTokenRequest,
    DiscoveryDocumentRequest,
    PollingProgress,
    get_discovery_document,
    poll_device_token,
    request_device_authorization,
    wait_for_device_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.token_endpoint:
    sys.exit(f"discovery failed: {disco.error}")
device_endpoint = (disco.json or {}).get("device_authorization_endpoint")
if not device_endpoint:
    sys.exit("this server has no device_authorization_endpoint")
print("device_authorization_endpoint:", device_endpoint)

# 1. Ask for the codes. A public client (no secret) sends its client_id in the form.
started = request_device_authorization(
    DeviceAuthorizationRequest(device_endpoint, "public-native", "openid profile")
)
if not started.is_successful:
    sys.exit(f"device authorization failed: {started.error} ({started.error_code})")
# Show these to the user (verification_uri_complete also makes a good QR code). Both URIs
# were checked to be https (http only on loopback) before they reached this line.
print(f"go to {started.verification_uri} and enter {started.user_code}")
print("verification_uri_complete given:", started.verification_uri_complete is not None)
print(f"expires_in={started.expires_in} interval={started.interval}")  # 5 when not sent

# 2. One poll by hand: the user has not answered yet.
assert started.device_code is not None
request = DeviceTokenRequest(disco.token_endpoint, "public-native", started.device_code)
first = poll_device_token(request)
print(
    f"first poll: is_successful={first.is_successful} error_code={first.error_code} "
    f"next poll in {first.interval} s"
)


# 3. Or let the library poll: it waits `interval` between polls, adds 5 s on slow_down,
# and returns the tokens, the server's final error (access_denied, expired_token), or a
# failure of its own when the deadline (expires_in, or timeout if sooner) comes first.
def show(progress: PollingProgress) -> None:
    print(f"  poll {progress.attempt}: {progress.last_error_code}, waiting {progress.interval:g} s")


result = wait_for_device_token(
    request,
    interval=1,  # below the server's 5 s only because this example must be quick
    expires_in=started.expires_in,
    timeout=3,
    on_progress=show,
)
if result.is_successful:
    print("tokens:", result.token_type, result.scope)
else:
    print(f"gave up: error_code={result.error_code} error_type={result.error_type}")
    print("  error:", result.error)
