"""Challenge values (RFC 6750 §3, RFC 9449 §7.1, RFC 9470, RFC 9728 §5.1) and their quoting."""

from __future__ import annotations

import pytest

from py_identity_model import IncomingRequest, ResourceRejection
from py_identity_model.exceptions import InvalidCertificateError
from py_identity_model.http.challenges import parse_www_authenticate
from py_identity_model.resource_server.metadata import metadata_path, metadata_url
from py_identity_model.resource_server.rejection import Challenges, quote


def test_quote_escapes_and_replaces() -> None:
    assert quote('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert quote("é\r\nx") == '"???x"'
    assert quote("x" * 600) == '"' + "x" * 512 + '"'


def test_values_round_trip_through_the_libraries_own_parser() -> None:
    challenges = Challenges(
        realm='api "orders"', offer_bearer=True, offer_dpop=True, dpop_algs=["ES256", "EdDSA"]
    )
    values = challenges.values(
        error="insufficient_scope",
        description="The access token lacks a required scope",
        params=[("scope", "orders:read orders:write")],
        resource_metadata="https://api.example/.well-known/oauth-protected-resource",
    )
    bearer, dpop = parse_www_authenticate(", ".join(values))
    assert bearer.scheme == "Bearer" and dpop.scheme == "DPoP"
    assert bearer.realm == 'api "orders"'
    assert bearer.error == dpop.error == "insufficient_scope"
    assert bearer.scopes == ("orders:read", "orders:write")
    assert dpop.algs == ("ES256", "EdDSA")
    assert bearer.resource_metadata == dpop.resource_metadata


def test_step_up_challenge_parses_as_step_up() -> None:
    values = Challenges(realm=None, offer_bearer=True, offer_dpop=False, dpop_algs=()).values(
        error="insufficient_user_authentication",
        description="x",
        params=[("acr_values", "urn:mfa"), ("max_age", "300")],
    )
    (challenge,) = parse_www_authenticate(values[0])
    assert challenge.is_step_up
    assert (challenge.acr_values, challenge.max_age) == (("urn:mfa",), 300)


def test_a_bare_scheme_without_parameters() -> None:
    values = Challenges(realm=None, offer_bearer=True, offer_dpop=False, dpop_algs=()).values()
    assert values == ["Bearer"]


def test_rejection_header_map_joins_repeats() -> None:
    rejection = ResourceRejection(
        401,
        "invalid_token",
        "bad",
        error_code="access_token_invalid",
        headers=[("WWW-Authenticate", "Bearer"), ("WWW-Authenticate", 'DPoP algs="ES256"')],
    )
    assert rejection.header_map == {"WWW-Authenticate": 'Bearer, DPoP algs="ES256"'}
    assert rejection.body == {"error": "invalid_token", "error_description": "bad"}
    assert repr(rejection) == "ResourceRejection(401, 'invalid_token', 'access_token_invalid')"


@pytest.mark.parametrize(
    ("resource", "path", "url"),
    [
        ("https://api.example.com", "/.well-known/oauth-protected-resource",
         "https://api.example.com/.well-known/oauth-protected-resource"),
        ("https://api.example.com/orders/", "/.well-known/oauth-protected-resource/orders",
         "https://api.example.com/.well-known/oauth-protected-resource/orders"),
        ("urn:example:api", "/.well-known/oauth-protected-resource",
         "http://localhost:8000/.well-known/oauth-protected-resource"),
    ],
)  # fmt: skip
def test_metadata_path_and_url(resource: str, path: str, url: str) -> None:
    assert metadata_path(resource) == path
    assert metadata_url(resource, "http://localhost:8000/me") == url
    if resource.startswith("urn:"):
        assert metadata_url(resource, None) is None
        assert metadata_url(resource, "not a url") is None


def test_certificate_from_header_refuses_garbage() -> None:
    for value in ("", "garbage", ":not base64:"):
        with pytest.raises(InvalidCertificateError):
            IncomingRequest.certificate_from_header(value)
