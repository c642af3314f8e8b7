"""Protecting an API with ResourceServer (framework-free), synchronous API.

Usage: python docs/examples/resource_server_sync.py [AUTHORITY]

A client gets access tokens (client credentials) and the API judges requests with
``ResourceServer.authenticate``: a JWT access token, a missing one, a missing scope, an
opaque token checked by introspection, and the metadata document the API serves.
"""

import sys

from py_identity_model import (
    ClientCredentialsTokenRequest,
    DiscoveryDocumentRequest,
    IncomingRequest,
    IntrospectionSettings,
    ResourceRejection,
    ResourceServer,
    get_discovery_document,
    request_client_credentials_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
API = "urn:test:api"  # this API's identifier: the aud of its JWT access tokens
OPAQUE_API = "urn:test:api:opaque"  # the provider issues opaque tokens for this one
URL = "https://orders.example.com/api/orders/42"  # the URL the client called

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
assert disco.is_successful, disco.error
print("issuer:", disco.issuer)

# ---------------------------------------------------------------- the resource server
# One object for the life of the application: it owns the key cache, the validated-token
# cache and the introspection cache, and serves every thread.
api = ResourceServer(
    issuer=authority,
    audience=[API, OPAQUE_API],
    resource=API,
    scopes_supported=["api:read", "api:write"],
    introspection=IntrospectionSettings(
        disco.introspection_endpoint or "",
        client_id="client-basic",  # the API's own credentials at the introspection endpoint
        client_secret="client-basic-secret",
        max_ttl=60,
    ),
)


def handle(
    method: str, url: str, headers: list[tuple[str, str]], scopes: tuple[str, ...] = ()
) -> str:
    """What a framework integration does: authenticate, or copy the rejection out."""
    try:
        principal = api.authenticate(IncomingRequest(method, url, headers), scopes=scopes)
    except ResourceRejection as rejection:
        challenge = next(v for n, v in rejection.headers if n == "WWW-Authenticate")
        return f"{rejection.status} {rejection.body} | {challenge}"
    kind = "opaque" if principal.is_opaque else "JWT"
    return f"200 {kind} client={principal.client_id} scopes={sorted(principal.scopes)}"


# ---------------------------------------------------------------- a client
def token(resource: str, scope: str) -> str:
    response = request_client_credentials_token(
        ClientCredentialsTokenRequest(
            disco.token_endpoint or "",
            "client-basic",
            "client-basic-secret",
            scope=scope,
            resource=resource,
        )
    )
    assert response.is_successful, response.error
    return str(response.access_token)


jwt = token(API, "api:read")
print("JWT:", handle("GET", URL, [("Authorization", f"Bearer {jwt}")]))
print("again (from the cache):", handle("GET", URL, [("Authorization", f"Bearer {jwt}")]))
cache = api.validated_token_cache
print("cache hits:", cache.hits if cache else None)
print("no token:", handle("GET", URL, []))
print("missing scope:", handle("POST", URL, [("Authorization", f"Bearer {jwt}")], ("api:write",)))
print("tampered:", handle("GET", URL, [("Authorization", f"Bearer {jwt[:-4]}AAAA")]))
opaque = token(OPAQUE_API, "api:read")
print("opaque:", handle("GET", URL, [("Authorization", f"Bearer {opaque}")]))
print("metadata at", api.metadata_path, api.metadata_document())
