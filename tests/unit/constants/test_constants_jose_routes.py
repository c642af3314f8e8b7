"""Tests for the JOSE constants and the well-known route helpers."""

from __future__ import annotations

import re
from enum import Enum

import pytest

from py_identity_model.constants import (
    ConfirmationMethods,
    Curves,
    JsonWebKeyParameterNames,
    JwtHeaderParameterNames,
    JwtTypes,
    KeyTypes,
    OidcConstants,
    ProtocolRoutePaths,
    SigningAlgorithms,
    claims,
    jose,
    oauth_authorization_server_url,
    openid_configuration_url,
)

PASCAL_CASE_ENUMS: list[type[Enum]] = [
    getattr(jose, name) for name in jose.__all__ if name not in {"Algorithms"}
]


@pytest.mark.parametrize("enum_cls", [*PASCAL_CASE_ENUMS, ProtocolRoutePaths, ConfirmationMethods])
def test_values_are_unique_non_empty_strings(enum_cls: type[Enum]) -> None:
    assert len(enum_cls.__members__) == len(enum_cls)  # no aliases
    for member in enum_cls:
        assert isinstance(member.value, str)
        assert member.value
        assert str(member) == member.value


def test_header_parameter_names() -> None:
    values = {m.value for m in JwtHeaderParameterNames}
    assert {
        "alg", "kid", "typ", "cty", "jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "crit",
        "zip", "enc", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c", "b64",
    } <= values  # fmt: skip
    assert JwtHeaderParameterNames.X5tS256.value == "x5t#S256"
    assert JwtHeaderParameterNames.Alg.value == "alg"
    for name in JwtHeaderParameterNames.__members__:
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), name


def test_jwk_parameter_names_cover_the_json_web_key_model() -> None:
    # Field names of the JsonWebKey model (api-compat section 1), x5t_s256 -> x5t#S256.
    model_fields = [
        "kty",
        "use",
        "key_ops",
        "alg",
        "kid",
        "x5u",
        "x5c",
        "x5t",
        "x5t#S256",
        "crv",
        "x",
        "y",
        "d",
        "n",
        "e",
        "p",
        "q",
        "dp",
        "dq",
        "qi",
        "oth",
        "k",
    ]
    assert [m.value for m in JsonWebKeyParameterNames] == model_fields


@pytest.mark.parametrize(
    ("member", "typ", "media_type"),
    [
        (JwtTypes.Jwt, "JWT", "application/jwt"),
        (JwtTypes.AccessToken, "at+jwt", "application/at+jwt"),
        (JwtTypes.LogoutToken, "logout+jwt", "application/logout+jwt"),
        (JwtTypes.DPoPProofToken, "dpop+jwt", "application/dpop+jwt"),
        (
            JwtTypes.IntrospectionJwtResponse,
            "token-introspection+jwt",
            "application/token-introspection+jwt",
        ),
        (JwtTypes.AuthorizationRequest, "oauth-authz-req+jwt", "application/oauth-authz-req+jwt"),
        (
            JwtTypes.ClientAuthentication,
            "client-authentication+jwt",
            "application/client-authentication+jwt",
        ),
    ],
)
def test_jwt_types(member: JwtTypes, typ: str, media_type: str) -> None:
    assert member.value == typ
    assert member.media_type == media_type
    assert JwtTypes.as_media_type(typ) == media_type
    assert member.matches(typ)
    assert member.matches(typ.upper())
    assert member.matches(media_type)
    assert member.matches(f"  {media_type.upper()} ")


def test_jwt_types_matches_rejects_other_types() -> None:
    assert not JwtTypes.AccessToken.matches("JWT")
    assert not JwtTypes.AccessToken.matches("application/jwt")
    assert not JwtTypes.AccessToken.matches("text/at+jwt")
    assert not JwtTypes.LogoutToken.matches(None)
    assert not JwtTypes.LogoutToken.matches("   ")
    with pytest.raises(ValueError, match="whitespace"):
        JwtTypes.as_media_type("  ")


def test_jwt_types_reexported_from_claims_module() -> None:
    # py-identity-model 4.x defines JwtTypes next to JwtClaimTypes.
    assert claims.JwtTypes is jose.JwtTypes is JwtTypes


@pytest.mark.parametrize(
    ("alg", "key_type", "curve"),
    [
        ("HS256", KeyTypes.Oct, None),
        ("HS512", KeyTypes.Oct, None),
        ("RS256", KeyTypes.RSA, None),
        ("PS384", KeyTypes.RSA, None),
        ("ES256", KeyTypes.EC, Curves.P256),
        ("ES384", KeyTypes.EC, Curves.P384),
        ("ES512", KeyTypes.EC, Curves.P521),
        ("ES256K", KeyTypes.EC, Curves.Secp256k1),
        ("EdDSA", KeyTypes.OKP, None),
        ("Ed25519", KeyTypes.OKP, Curves.Ed25519),
        ("Ed448", KeyTypes.OKP, Curves.Ed448),
        ("none", None, None),
    ],
)
def test_signing_algorithm_key_requirements(
    alg: str, key_type: KeyTypes | None, curve: Curves | None
) -> None:
    member = SigningAlgorithms(alg)
    assert member.key_type is key_type
    assert member.curve is curve
    assert member.is_symmetric is (key_type is KeyTypes.Oct)
    assert member.is_asymmetric is (key_type not in (None, KeyTypes.Oct))


def test_every_signing_algorithm_is_classified() -> None:
    none = [m for m in SigningAlgorithms if m.key_type is None]
    assert none == [SigningAlgorithms.NONE]
    for member in SigningAlgorithms:
        assert not (member.is_symmetric and member.is_asymmetric)


def test_legacy_algorithm_enums_are_subsets_of_signing_algorithms() -> None:
    all_algs = {m.value for m in SigningAlgorithms}
    for enum_cls in (
        OidcConstants.SymmetricAlgorithms,
        OidcConstants.AsymmetricAlgorithms,
        OidcConstants.Algorithms,
    ):
        assert {m.value for m in enum_cls} <= all_algs
    assert all(SigningAlgorithms(m.value).is_symmetric for m in OidcConstants.SymmetricAlgorithms)
    assert all(SigningAlgorithms(m.value).is_asymmetric for m in OidcConstants.AsymmetricAlgorithms)


def test_key_types_and_curves() -> None:
    assert {m.value for m in KeyTypes} == {"RSA", "EC", "OKP", "oct"}
    assert {m.value for m in Curves} >= {
        "P-256", "P-384", "P-521", "Ed25519", "Ed448", "X25519", "X448",
    }  # fmt: skip


def test_confirmation_methods() -> None:
    assert ConfirmationMethods.JwkThumbprint.value == "jkt"
    assert ConfirmationMethods.X509ThumbprintSha256.value == "x5t#S256"
    assert ConfirmationMethods.JsonWebKey.value == "jwk"


# ------------------------------------------------------------------------------- routes


def test_route_paths() -> None:
    assert ProtocolRoutePaths.DiscoveryConfiguration.value == "/.well-known/openid-configuration"
    assert ProtocolRoutePaths.DiscoveryWebKeys.value == "/.well-known/openid-configuration/jwks"
    assert (
        ProtocolRoutePaths.OAuthAuthorizationServer.value
        == "/.well-known/oauth-authorization-server"
    )
    for member in ProtocolRoutePaths:
        assert member.value.startswith("/")
        assert not member.value.endswith("/")
        assert "//" not in member.value
    # The 4.x ``Discovery.DISCOVERY_ENDPOINT`` is the same path, relative.
    assert (
        "/" + OidcConstants.Discovery.DISCOVERY_ENDPOINT.value
        == ProtocolRoutePaths.DiscoveryConfiguration.value
    )


@pytest.mark.parametrize(
    ("authority", "expected"),
    [
        ("https://op.example", "https://op.example/.well-known/openid-configuration"),
        ("https://op.example/", "https://op.example/.well-known/openid-configuration"),
        (
            "https://op.example/tenant/",
            "https://op.example/tenant/.well-known/openid-configuration",
        ),
        (
            "https://op.example/tenant/.well-known/openid-configuration",
            "https://op.example/tenant/.well-known/openid-configuration",
        ),
        (
            "http://localhost:8080/.well-known/openid-configuration/",
            "http://localhost:8080/.well-known/openid-configuration",
        ),
    ],
)
def test_openid_configuration_url(authority: str, expected: str) -> None:
    assert openid_configuration_url(authority) == expected


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        ("https://as.example", "https://as.example/.well-known/oauth-authorization-server"),
        ("https://as.example/", "https://as.example/.well-known/oauth-authorization-server"),
        (
            "https://as.example:8443/issuer1",
            "https://as.example:8443/.well-known/oauth-authorization-server/issuer1",
        ),
        (
            "https://as.example/a/b/",
            "https://as.example/.well-known/oauth-authorization-server/a/b",
        ),
    ],
)
def test_oauth_authorization_server_url(issuer: str, expected: str) -> None:
    assert oauth_authorization_server_url(issuer) == expected


@pytest.mark.parametrize(
    "issuer",
    ["as.example/tenant", "/tenant", "https://as.example/?x=1", "https://as.example/#f", ""],
)
def test_oauth_authorization_server_url_rejects_invalid_issuers(issuer: str) -> None:
    with pytest.raises(ValueError, match="issuer"):
        oauth_authorization_server_url(issuer)
