"""A resource server that accepts DPoP-bound access tokens (RFC 9449 §7), synchronous API.

Usage: python docs/examples/dpop_resource_sync.py [AUTHORITY]

The client part gets a DPoP-bound token (client credentials, ``client-dpop``) and signs a
proof per request; the resource-server part is ``handle()``: validate the token, read its
binding, verify the proof, and answer 200 or a 401 ``WWW-Authenticate: DPoP`` challenge.
"""

import sys

from py_identity_model import (
    Client,
    ClientCredentialsTokenRequest,
    ClientSecretBasic,
    DiscoveryDocumentRequest,
    DPoPProofException,
    DPoPProofValidator,
    TokenValidationConfig,
    TokenValidationException,
    check_dpop_binding,
    create_dpop_proof,
    generate_dpop_key,
    get_discovery_document,
    request_client_credentials_token,
    validate_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
RESOURCE = "urn:test:api:es256"  # the API's resource indicator (audience of its tokens)
ORDERS = "https://orders.example.com/api/orders/42"

# ---------------------------------------------------------------- the resource server
config = TokenValidationConfig(perform_disco=True, audience=RESOURCE)
validator = DPoPProofValidator()  # one per application: it owns the replay store


def handle(method: str, url: str, headers: dict[str, list[str]]) -> tuple[int, dict[str, str]]:
    """Authorize one request; the headers as a framework gives them (name -> values)."""
    scheme, _, access_token = headers.get("Authorization", [""])[0].partition(" ")
    try:
        claims = validate_token(access_token, config, authority)
        jkt = check_dpop_binding(claims, scheme=scheme)  # None: a plain Bearer token
        if jkt is not None:
            validator.validate(
                headers.get("DPoP", []),
                method=method,
                url=url,
                access_token=access_token,
                expected_jkt=jkt,
            )
    except DPoPProofException as exc:
        print(f"  refused: {exc.error_code}: {exc}")
        return 401, validator.challenge(exc)
    except TokenValidationException as exc:
        print(f"  refused: {exc.code}: {exc}")
        return 401, {"WWW-Authenticate": 'DPoP error="invalid_token"'}
    return 200, {"X-Subject": str(claims["sub"])}


# ------------------------------------------------------------------------ the client
disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.token_endpoint:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)
key = generate_dpop_key()  # ES256
response = request_client_credentials_token(
    ClientCredentialsTokenRequest(
        disco.token_endpoint,
        "client-dpop",
        scope="api:read",
        resource=RESOURCE,
        client=Client("client-dpop", ClientSecretBasic("client-dpop-secret"), dpop=key),
    )
)
if not response.is_successful or not response.access_token:
    sys.exit(f"token request failed: {response.error}")
token = response.access_token
print("token_type:", response.token_type)

proof = create_dpop_proof(key, "GET", ORDERS, access_token=token)
request = {"Authorization": [f"DPoP {token}"], "DPoP": [proof]}
status, answer = handle("GET", ORDERS + "?expand=items", request)
print("DPoP request:", status, answer)

print("the same proof again:")
status, answer = handle("GET", ORDERS, request)
print("  status:", status, answer["WWW-Authenticate"].split(",")[0])

print("the token as Bearer:")
status, _ = handle("GET", ORDERS, {"Authorization": [f"Bearer {token}"]})
print("  status:", status)

print("a proof for another URL:")
other = create_dpop_proof(key, "GET", "https://orders.example.com/api/admin", access_token=token)
status, _ = handle("GET", ORDERS, {"Authorization": [f"DPoP {token}"], "DPoP": [other]})
print("  status:", status)

print("a stolen token with the thief's own key:")
thief = generate_dpop_key()
stolen = create_dpop_proof(thief, "GET", ORDERS, access_token=token)
status, _ = handle("GET", ORDERS, {"Authorization": [f"DPoP {token}"], "DPoP": [stolen]})
print("  status:", status)
