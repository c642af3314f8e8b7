"""Tests for JwtClaimTypes (PascalCase claim-name enumeration)."""

from __future__ import annotations

import re

import pytest

from py_identity_model.constants import JwtClaimTypes

UPSTREAM_CLAIM_NAMES = (
    "Subject Name GivenName FamilyName MiddleName NickName PreferredUserName Profile Picture "
    "WebSite Email EmailVerified Gender BirthDate ZoneInfo Locale PhoneNumber "
    "PhoneNumberVerified Address Audience Issuer NotBefore Expiration UpdatedAt IssuedAt "
    "AuthenticationMethod SessionId AuthenticationContextClassReference AuthenticationTime "
    "AuthorizedParty AccessTokenHash AuthorizationCodeHash StateHash Nonce JwtId Events "
    "ClientId Scope Actor MayAct Id IdentityProvider Role Roles ReferenceTokenId Confirmation "
    "Algorithm JsonWebKey TokenType DPoPHttpMethod DPoPHttpUrl DPoPAccessTokenHash"
)


def test_jwt_claim_types_upstream_names() -> None:
    assert set(UPSTREAM_CLAIM_NAMES.split()) <= set(JwtClaimTypes.__members__)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Audience", "aud"), ("Issuer", "iss"), ("Expiration", "exp"), ("NotBefore", "nbf"),
        ("IssuedAt", "iat"), ("JwtId", "jti"), ("AuthorizedParty", "azp"), ("Nonce", "nonce"),
        ("AccessTokenHash", "at_hash"), ("AuthorizationCodeHash", "c_hash"),
        ("StateHash", "s_hash"), ("AuthenticationTime", "auth_time"),
        ("AuthenticationContextClassReference", "acr"), ("AuthenticationMethod", "amr"),
        ("SessionId", "sid"), ("Scope", "scope"), ("ClientId", "client_id"),
        ("Confirmation", "cnf"), ("Events", "events"), ("Actor", "act"), ("MayAct", "may_act"),
        ("Role", "role"), ("IdentityProvider", "idp"), ("ReferenceTokenId", "reference_token_id"),
        ("Id", "id"), ("DPoPHttpMethod", "htm"), ("DPoPHttpUrl", "htu"),
        ("DPoPAccessTokenHash", "ath"),
    ],
)  # fmt: skip
def test_jwt_claim_type_values(name: str, value: str) -> None:
    assert JwtClaimTypes[name].value == value
    assert JwtClaimTypes(value) is JwtClaimTypes[name]


def test_jwt_claim_types_cover_oidc_standard_claims() -> None:
    # OpenID Connect Core 1.0 section 5.1
    standard = {
        "sub", "name", "given_name", "family_name", "middle_name", "nickname",
        "preferred_username", "profile", "picture", "website", "email", "email_verified",
        "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified",
        "address", "updated_at",
    }  # fmt: skip
    assert standard <= {m.value for m in JwtClaimTypes}


def test_jwt_claim_types_are_pascal_case_and_unique() -> None:
    assert len(JwtClaimTypes.__members__) == len(JwtClaimTypes)  # no aliases
    for name in JwtClaimTypes.__members__:
        assert re.fullmatch(r"[A-Z][A-Za-z]*", name), name
