"""Read the signed-in user's claims from the UserInfo endpoint (synchronous API).

Usage: python docs/examples/userinfo_sync.py [AUTHORITY] ACCESS_TOKEN

ACCESS_TOKEN is a user's access token with the ``openid`` scope (from a login: the
authorization code flow, ``OidcClient``, ...).
"""

import sys

from py_identity_model import (
    DiscoveryDocumentRequest,
    UserInfoRequest,
    get_discovery_document,
    get_userinfo,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
if len(sys.argv) < 3:
    sys.exit("usage: userinfo_sync.py AUTHORITY ACCESS_TOKEN (a user's access token)")
access_token = sys.argv[2]

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.userinfo_endpoint:
    sys.exit(f"discovery failed: {disco.error or 'no userinfo_endpoint'}")
print("issuer:", disco.issuer)
endpoint = disco.userinfo_endpoint

# GET with "Authorization: Bearer <token>" (OpenID Connect Core §5.3.1).
info = get_userinfo(UserInfoRequest(endpoint, access_token))
if not info.is_successful or info.claims is None:
    sys.exit(f"userinfo failed: {info.error_code}: {info.error}")
print("sub:", info.sub)
print("name:", info.claims.get("name"))
print("email:", info.claims.get("email"), "verified:", info.claims.get("email_verified"))
print("content:", "JWT (verified)" if info.signed else "JSON")

# The same as POST, with the sub the ID token names: a match is a success.
posted = get_userinfo(UserInfoRequest(endpoint, access_token, info.sub, method="POST"))
print(f"POST with expected_sub: is_successful={posted.is_successful} sub={posted.sub}")

# A token the server does not know: its 401 WWW-Authenticate challenge becomes the result.
broken = get_userinfo(UserInfoRequest(endpoint, access_token[:-4] + "AAAA"))
print(
    f"broken token: is_successful={broken.is_successful} http_status={broken.http_status} "
    f"error_code={broken.error_code}"
)
print("  error_description:", broken.error_description)

# Claims about another user than the one who logged in (OIDC Core §5.3.4): never accepted.
other = get_userinfo(UserInfoRequest(endpoint, access_token, expected_sub="someone-else"))
print(f"wrong expected_sub: is_successful={other.is_successful} error_code={other.error_code}")
print("  error:", other.error)
print("request:", UserInfoRequest(endpoint, access_token))  # the token is never shown
