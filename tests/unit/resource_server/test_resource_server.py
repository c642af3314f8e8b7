"""ResourceServer over a mocked authority: every acceptance and every rejection path."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fake_op import AUDIENCE, ISSUER, OTHER_ISSUER, STRANGER, URL, FakeOp, mint

from py_identity_model import (
    AccessTokenPrincipal,
    ClaimsPrincipal,
    IncomingRequest,
    ResourceRejection,
    ResourceServer,
)
from py_identity_model.errors import LIBRARY_ERROR_CODES, ErrorCodes
from py_identity_model.exceptions import ConfigurationException, PyIdentityModelException

METADATA = "https://api.example/.well-known/oauth-protected-resource/orders"
BARE = [
    f'Bearer realm="{AUDIENCE}", resource_metadata="{METADATA}"',
    f'DPoP algs="ES256 EdDSA PS256 RS256", resource_metadata="{METADATA}"',
]


@pytest.fixture
def op() -> FakeOp:
    return FakeOp()


def server(op: FakeOp, **options: Any) -> ResourceServer:
    options.setdefault("issuer", ISSUER)
    options.setdefault("audience", AUDIENCE)
    return ResourceServer(http_client=op.client(), **options)


def request(token: str | None = None, *, scheme: str = "Bearer", **headers: str) -> IncomingRequest:
    lines = [(name.replace("_", "-"), value) for name, value in headers.items()]
    if token is not None:
        lines.append(("Authorization", f"{scheme} {token}"))
    return IncomingRequest("GET", URL, lines)


def rejected(rs: ResourceServer, req: IncomingRequest, **options: Any) -> ResourceRejection:
    with pytest.raises(ResourceRejection) as info:
        rs.authenticate(req, **options)
    return info.value


def challenges(rejection: ResourceRejection) -> list[str]:
    return [value for name, value in rejection.headers if name == "WWW-Authenticate"]


def test_valid_token_gives_the_principal(op: FakeOp) -> None:
    token = mint(scope="orders:read orders:write", cnf=None)
    principal = server(op).authenticate(request(token))
    assert isinstance(principal, AccessTokenPrincipal)
    assert (principal.subject, principal.client_id, principal.issuer) == (
        "alice", "orders-app", ISSUER,
    )  # fmt: skip
    assert principal.audience == (AUDIENCE,)
    assert principal.scopes == frozenset({"orders:read", "orders:write"})
    assert principal.has_scope("orders:write") and not principal.has_scope("admin")
    assert principal.has_scopes(["orders:read", "orders:write"])
    assert (principal.token_type, principal.is_opaque, principal.dpop_jkt) == (
        "Bearer",
        False,
        None,
    )
    assert principal.expires_at == principal.claims["exp"]
    assert principal.token == token and token not in repr(principal)
    identity = principal.to_principal()
    assert isinstance(identity, ClaimsPrincipal)
    assert identity.find_first("sub").value == "alice"  # type: ignore[union-attr]
    with pytest.raises(TypeError):
        principal.claims["sub"] = "mallory"  # type: ignore[index]


async def test_async_twin_gives_the_same_principal(op: FakeOp) -> None:
    rs = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.async_client())
    token = mint()
    principal = await rs.aauthenticate(request(token))
    assert principal.claims == rs.authenticate(request(token)).claims
    with pytest.raises(ResourceRejection) as info:
        await rs.aauthenticate(request(mint(aud="https://elsewhere")))
    assert info.value.error == "invalid_token"


def test_no_token_is_a_bare_challenge(op: FakeOp) -> None:
    rejection = rejected(server(op), request())
    assert (rejection.status, rejection.error) == (401, None)
    assert rejection.error_code == ErrorCodes.MISSING_ACCESS_TOKEN
    assert challenges(rejection) == BARE == server(op).challenges(request())
    assert rejection.body == {"error_description": "An access token is required"}


def test_other_scheme_and_query_token_are_no_token(op: FakeOp) -> None:
    rs = server(op)
    assert rejected(rs, request("dXNlcjpwYXNz", scheme="Basic")).error is None
    query = IncomingRequest("GET", f"{URL}?access_token={mint()}", {})
    assert rejected(rs, query).error is None


@pytest.mark.parametrize(
    ("lines", "why"),
    [
        ([("Authorization", "Bearer a"), ("Authorization", "Bearer b")], "more than one"),
        ([("Authorization", "Bearer ")], "no token"),
        ([("Authorization", "Bearer " + "a" * 9000)], "too large"),
        ([("Authorization", "Bearer a b")], "b64token"),
        ([("Authorization", 'Bearer "quoted"')], "b64token"),
    ],
)
def test_malformed_authorization_is_400(op: FakeOp, lines: list[tuple[str, str]], why: str) -> None:
    rejection = rejected(server(op), IncomingRequest("GET", URL, lines))
    assert (rejection.status, rejection.error) == (400, "invalid_request")
    assert rejection.error_code == ErrorCodes.MALFORMED_AUTHORIZATION
    assert why in rejection.description
    assert op.requests == {}  # refused before anything is fetched


@pytest.mark.parametrize(
    ("token", "description", "reason"),
    [
        (mint(lifetime=-120), "The access token expired", "token_expired"),
        (mint(nbf=int(time.time()) + 3600), "The access token is not valid yet", "token_not_yet_valid"),
        (mint(aud="https://other.example"), "The access token is not meant for this resource", "invalid_audience"),
        (mint(iss="https://evil.example"), "The access token's issuer is not accepted", "invalid_issuer"),
        (mint(typ="JWT"), "The token is not an access token of an accepted type", "invalid_token_type"),
        (mint(key=STRANGER), "The access token's signature is not valid", "invalid_signature"),
        ("a.b.c", "The access token is malformed", "malformed_token"),
    ],
    ids=["expired", "not-yet-valid", "audience", "issuer", "typ", "signature", "malformed"],
)  # fmt: skip
def test_invalid_tokens_are_401_invalid_token(
    op: FakeOp, token: str, description: str, reason: str
) -> None:
    rejection = rejected(server(op), request(token))
    assert (rejection.status, rejection.error, rejection.description) == (
        401, "invalid_token", description,
    )  # fmt: skip
    assert (rejection.error_code, rejection.reason) == (ErrorCodes.ACCESS_TOKEN_INVALID, reason)
    assert challenges(rejection)[0] == (
        f'Bearer realm="{AUDIENCE}", error="invalid_token", error_description="{description}'
        f'", resource_metadata="{METADATA}"'
    )
    assert rejection.body == {"error": "invalid_token", "error_description": description}
    assert token not in repr(rejection) and token not in str(rejection.headers)


def test_tampered_token(op: FakeOp) -> None:
    header, _, signature = mint().split(".")
    forged = mint(scope="orders:read admin").split(".")[1]
    rejection = rejected(server(op), request(f"{header}.{forged}.{signature}"))
    assert (rejection.error, rejection.reason) == ("invalid_token", "invalid_signature")


def test_insufficient_scope_is_403_with_the_scope(op: FakeOp) -> None:
    rs = server(op, required_scopes=["orders:read"])
    rejection = rejected(rs, request(mint()), scopes=["orders:write", "orders:admin"])
    assert (rejection.status, rejection.error) == (403, "insufficient_scope")
    assert rejection.error_code == ErrorCodes.INSUFFICIENT_SCOPE
    assert challenges(rejection)[0] == (
        f'Bearer realm="{AUDIENCE}", error="insufficient_scope", error_description="The access '
        f'token lacks a required scope", scope="orders:read orders:write orders:admin", '
        f'resource_metadata="{METADATA}"'
    )
    assert rs.authenticate(request(mint()), scopes=["orders:read"]).subject == "alice"
    assert rejected(server(op, required_scopes=["x"]), request(mint())).status == 403


def test_scp_list_claims_count_as_scopes(op: FakeOp) -> None:
    principal = server(op).authenticate(request(mint(scope=None, scp=["a", "b"])), scopes=["b"])
    assert principal.scopes == frozenset({"a", "b"})


def test_principal_require_scopes_raises_the_servers_rejection(op: FakeOp) -> None:
    principal = server(op).authenticate(request(mint()))
    principal.require_scopes(["orders:read"])
    with pytest.raises(ResourceRejection) as info:
        principal.require_scopes(["orders:delete"])
    assert (info.value.status, info.value.error) == (403, "insufficient_scope")
    assert 'scope="orders:delete"' in challenges(info.value)[0]
    rs = server(op)
    assert rs.check_scopes(principal, ["orders:read"]) is None
    refused = rs.check_scopes(principal, ["orders:delete"])
    assert refused is not None and refused.status == 403
    with pytest.raises(ConfigurationException):
        principal.require_scopes("orders:read")


def test_claim_requirements(op: FakeOp) -> None:
    rs = server(op)
    token = mint(roles=["reader", "admin"], tenant="acme", level=3)
    assert rs.authenticate(request(token), claims={"roles": "admin", "tenant": None})
    assert rs.authenticate(request(token), claims={"tenant": ["acme", "globex"], "level": 3})
    for claims in ({"roles": "owner"}, {"missing": None}, {"level": "3"}, {"tenant": ["x"]}):
        rejection = rejected(rs, request(token), claims=claims)
        assert (rejection.status, rejection.error) == (403, "access_denied")
        assert rejection.error_code == ErrorCodes.CLAIM_REQUIREMENT_FAILED
    with pytest.raises(ConfigurationException):
        rs.authenticate(request(token), claims={"roles": {"nested": 1}})
    with pytest.raises(ConfigurationException):
        rs.authenticate(request(token), claims=["roles"])  # type: ignore[arg-type]


def test_step_up(op: FakeOp) -> None:
    rs = server(op)
    now = int(time.time())
    strong = mint(acr="urn:mace:incommon:iap:silver", auth_time=now - 10)
    principal = rs.authenticate(
        request(strong), acr_values=["urn:mace:incommon:iap:silver"], max_age=300
    )
    assert principal.claims["acr"] == "urn:mace:incommon:iap:silver"
    weak = mint(acr="urn:mace:incommon:iap:bronze", auth_time=now - 10)
    rejection = rejected(rs, request(weak), acr_values=["urn:mace:incommon:iap:silver"])
    assert (rejection.status, rejection.error) == (401, "insufficient_user_authentication")
    assert rejection.error_code == ErrorCodes.STEP_UP_REQUIRED
    assert challenges(rejection)[0] == (
        f'Bearer realm="{AUDIENCE}", error="insufficient_user_authentication", '
        'error_description="A stronger or more recent user authentication is required", '
        f'acr_values="urn:mace:incommon:iap:silver", resource_metadata="{METADATA}"'
    )
    old = mint(auth_time=now - 4000)
    assert 'max_age="300"' in challenges(rejected(rs, request(old), max_age=300))[0]
    assert rejected(rs, request(mint()), max_age=300).error == "insufficient_user_authentication"
    with pytest.raises(ConfigurationException):
        rs.authenticate(request(strong), max_age=-1)


def test_metadata_document_and_path(op: FakeOp) -> None:
    rs = server(
        op,
        scopes_supported=["orders:read"],
        resource_documentation="https://api.example/docs",
        certificate_binding="require",
    )
    assert rs.metadata_path == "/.well-known/oauth-protected-resource/orders"
    assert rs.metadata_document() == {
        "resource": AUDIENCE,
        "authorization_servers": [ISSUER],
        "scopes_supported": ["orders:read"],
        "bearer_methods_supported": ["header"],
        "dpop_signing_alg_values_supported": ["ES256", "EdDSA", "PS256", "RS256"],
        "dpop_bound_access_tokens_required": False,
        "tls_client_certificate_bound_access_tokens": True,
        "resource_documentation": "https://api.example/docs",
    }
    assert rs.resource_metadata_url() == METADATA


def test_urn_resource_takes_the_metadata_url_from_the_request(op: FakeOp) -> None:
    rs = server(op, audience="urn:test:api", dpop="disabled")
    assert rs.metadata_path == "/.well-known/oauth-protected-resource"
    assert rs.resource_metadata_url() is None
    assert rs.challenges() == ['Bearer realm="urn:test:api"']
    assert rs.challenges(IncomingRequest("GET", "http://127.0.0.1:8000/me", {})) == [
        'Bearer realm="urn:test:api", '
        'resource_metadata="http://127.0.0.1:8000/.well-known/oauth-protected-resource"'
    ]
    assert "dpop_signing_alg_values_supported" not in rs.metadata_document()
    explicit = server(op, resource_metadata_url="https://meta.example/prm")
    assert explicit.resource_metadata_url(request()) == "https://meta.example/prm"


def test_keys_unreachable_is_503_without_blame(op: FakeOp) -> None:
    op.fail_jwks = True
    rejection = rejected(server(op), request(mint()))
    assert (rejection.status, rejection.error) == (503, "temporarily_unavailable")
    assert rejection.error_code == ErrorCodes.AUTHORIZATION_SERVER_UNAVAILABLE
    assert challenges(rejection) == []


def test_several_issuers(op: FakeOp) -> None:
    both = FakeOp(ISSUER, OTHER_ISSUER)
    rs = server(both, issuer=None, issuers=[ISSUER, OTHER_ISSUER])
    assert rs.authenticate(request(mint())).issuer == ISSUER
    assert rs.authenticate(request(mint(iss=OTHER_ISSUER))).issuer == OTHER_ISSUER
    assert rs.metadata_document()["authorization_servers"] == [ISSUER, OTHER_ISSUER]
    rejection = rejected(rs, request(mint(iss="https://evil.example")))
    assert rejection.reason == "invalid_issuer"
    assert "/.well-known/openid-configuration" in both.requests
    assert all("evil" not in path for path in both.requests)


def test_tenant_template_issuers() -> None:
    tenant = "6f4b7c1e-0000-4000-8000-000000000001"
    concrete = f"https://login.example/{tenant}/v2.0"
    op = FakeOp(concrete)
    template = "https://login.example/{tenantid}/v2.0"
    rs = ResourceServer(issuers=[template], audience=AUDIENCE, http_client=op.client())
    assert rs.authenticate(request(mint(iss=concrete, tid=tenant))).issuer == concrete
    assert rs.authenticate(request(mint(iss=concrete))).issuer == concrete
    assert rejected(rs, request(mint(iss=concrete, tid="another"))).reason == "invalid_issuer"
    for iss in (
        "https://login.example/../v2.0",
        "https://login.example/a/b/v2.0",
        "https://login.example/x%2F/v2.0",
        "https://login.example/evil.example@x/v2.0",
    ):
        assert rejected(rs, request(mint(iss=iss))).reason == "invalid_issuer"
    # a tenant the provider does not know: its discovery fails, no token blame
    unknown = "https://login.example/unknown/v2.0"
    assert rejected(rs, request(mint(iss=unknown))).status == 503
    with pytest.raises(ConfigurationException):
        ResourceServer(issuers=["http://x/{tenantid}"], audience=AUDIENCE)


def test_plain_jwts_when_configured(op: FakeOp) -> None:
    rs = server(op, jwt_token_types=None)
    assert rs.authenticate(request(mint(typ="JWT"))).subject == "alice"
    assert rs.authenticate(request(mint(typ=None))).subject == "alice"
    several = server(op, jwt_token_types=["at+jwt", "application/jwt"])
    assert several.authenticate(request(mint(typ="JWT"))).subject == "alice"
    assert rejected(several, request(mint(typ="dpop+jwt"))).reason == "invalid_token_type"


def test_dpop_required_refuses_bearer_and_offers_only_dpop(op: FakeOp) -> None:
    rs = server(op, dpop="required")
    rejection = rejected(rs, request(mint()))
    assert (rejection.status, rejection.error) == (401, "invalid_token")
    assert challenges(rejected(rs, request())) == [BARE[1]]
    assert rs.metadata_document()["dpop_bound_access_tokens_required"] is True


def test_dpop_disabled_refuses_the_dpop_scheme(op: FakeOp) -> None:
    rs = server(op, dpop="disabled")
    rejection = rejected(rs, request(mint(), scheme="DPoP"))
    assert (rejection.status, rejection.error) == (400, "invalid_request")
    assert challenges(rejected(rs, request())) == [BARE[0]]


def test_accept_jwt_false_without_introspection_is_misuse() -> None:
    with pytest.raises(ConfigurationException):
        ResourceServer(issuer=ISSUER, audience=AUDIENCE, accept_jwt=False)


def test_opaque_token_without_introspection_is_invalid(op: FakeOp) -> None:
    rejection = rejected(server(op), request("opaque-token-value"))
    assert (rejection.status, rejection.error) == (401, "invalid_token")


@pytest.mark.parametrize(
    "options",
    [
        {"issuer": None},
        {"issuers": [ISSUER]},
        {"issuer": None, "issuers": []},
        {"audience": ()},
        {"audience": [""]},
        {"dpop": "maybe"},
        {"certificate_binding": "sometimes"},
        {"max_token_size": 10},
        {"max_token_size": True},
        {"validated_token_cache": 0},
        {"required_scopes": "orders:read"},
        {"jwt_token_types": ()},
        {"accept_jwt": "yes"},
        {"introspection": {"address": "https://op.example/introspect"}},
        {"dpop_algorithms": ["HS256"]},
        {"resource": ""},
    ],
)
def test_configuration_errors(options: dict[str, Any]) -> None:
    options = {"issuer": ISSUER, "audience": AUDIENCE, **options}
    with pytest.raises(ConfigurationException):
        ResourceServer(**options)


def test_request_must_be_an_incoming_request(op: FakeOp) -> None:
    with pytest.raises(ConfigurationException):
        server(op).authenticate({"Authorization": "Bearer x"})  # type: ignore[arg-type]
    for bad in (("", URL, {}), ("GET", "/relative", {}), ("GET", URL, [("a", 1)])):
        with pytest.raises(ConfigurationException):
            IncomingRequest(*bad)  # type: ignore[arg-type]


def test_incoming_request_keeps_repeated_headers_and_hides_values() -> None:
    req = IncomingRequest("get", URL, [("DPoP", "p1"), ("dpop", "p2"), ("X-A", "secret")])
    assert req.method == "GET"
    assert req.header_values("DPOP") == ["p1", "p2"]
    assert "secret" not in repr(req) and "p1" not in repr(req)
    assert IncomingRequest("GET", URL, {"A": "1"}).header_values("a") == ["1"]


def test_rejection_is_a_library_exception_with_registered_codes() -> None:
    assert issubclass(ResourceRejection, PyIdentityModelException)
    for code in (
        ErrorCodes.MISSING_ACCESS_TOKEN, ErrorCodes.MALFORMED_AUTHORIZATION,
        ErrorCodes.ACCESS_TOKEN_INVALID, ErrorCodes.ACCESS_TOKEN_INACTIVE,
        ErrorCodes.INSUFFICIENT_SCOPE, ErrorCodes.CLAIM_REQUIREMENT_FAILED,
        ErrorCodes.STEP_UP_REQUIRED, ErrorCodes.AUTHORIZATION_SERVER_UNAVAILABLE,
    ):  # fmt: skip
        assert code in LIBRARY_ERROR_CODES


def test_repr_names_no_secret(op: FakeOp) -> None:
    rs = server(op)
    assert repr(rs) == (
        f"ResourceServer(issuers=['{ISSUER}'], audience=['{AUDIENCE}'], dpop='allowed')"
    )
