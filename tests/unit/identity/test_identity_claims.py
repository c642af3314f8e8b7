"""Claim, ClaimsIdentity, ClaimsPrincipal and to_principal (api-compat §7)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from py_identity_model.exceptions import ConfigurationException
from py_identity_model.identity import (
    DEFAULT_NAME_CLAIM_TYPE,
    DEFAULT_ROLE_CLAIM_TYPE,
    Claim,
    ClaimsIdentity,
    ClaimsPrincipal,
    ClaimValueTypes,
    to_principal,
)

NET_NAME = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
NET_ROLE = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
ISS = "https://op.example"

# --------------------------------------------------------------------------- Claim


def test_claim_defaults() -> None:
    claim = Claim("sub", "123")
    assert claim.claim_type == "sub"
    assert claim.type == "sub"
    assert claim.value == "123"
    assert claim.value_type == "http://www.w3.org/2001/XMLSchema#string"
    assert claim.issuer == "LOCAL AUTHORITY"
    assert claim.original_issuer == "LOCAL AUTHORITY"


def test_claim_issuer_and_original_issuer() -> None:
    claim = Claim("sub", "1", issuer=ISS)
    assert claim.original_issuer == ISS
    claim = Claim("sub", "1", ClaimValueTypes.String, ISS, "https://upstream.example")
    assert claim.issuer == ISS
    assert claim.original_issuer == "https://upstream.example"
    assert Claim("sub", "1", issuer="").issuer == "LOCAL AUTHORITY"


def test_claim_repr_and_str() -> None:
    claim = Claim("role", "admin", issuer=ISS)
    assert "role" in repr(claim)
    assert "admin" in repr(claim)
    assert repr(claim).startswith("Claim(")
    assert str(claim) == "role: admin"


def test_claim_equality_and_hash() -> None:
    a = Claim("role", "admin", issuer=ISS)
    b = Claim("role", "admin", issuer=ISS)
    assert a == b
    assert hash(a) == hash(b)
    assert a != Claim("role", "admin")
    assert a != Claim("role", "Admin", issuer=ISS)
    assert len({a, b}) == 1


def test_claim_is_immutable() -> None:
    claim = Claim("role", "admin")
    with pytest.raises(AttributeError):
        claim.value = "root"  # type: ignore[misc]


def test_claim_value_is_always_str() -> None:
    assert Claim("n", 5).value == "5"  # type: ignore[arg-type]
    assert Claim("b", True).value == "true"  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException):
        Claim("n", None)  # type: ignore[arg-type]


# ------------------------------------------------------------------ ClaimsIdentity


def test_identity_defaults_use_dotnet_claim_types() -> None:
    identity = ClaimsIdentity([Claim(NET_NAME, "alice"), Claim(NET_ROLE, "admin")])
    assert identity.name_type_claim == NET_NAME == DEFAULT_NAME_CLAIM_TYPE
    assert identity.role_type_claim == NET_ROLE == DEFAULT_ROLE_CLAIM_TYPE
    assert identity.name == "alice"
    assert identity.authentication_type is None
    assert identity.is_authenticated() is False
    assert identity.is_in_role("admin")


def test_identity_authenticated_iff_authentication_type() -> None:
    assert ClaimsIdentity([], "Bearer").is_authenticated() is True
    assert ClaimsIdentity([], authentication_type=None).is_authenticated() is False


def test_identity_name_is_first_name_claim() -> None:
    identity = ClaimsIdentity(
        [Claim("name", "first"), Claim("name", "second")], name_type_claim="name"
    )
    assert identity.name == "first"
    assert ClaimsIdentity([Claim("other", "x")]).name is None


def test_identity_find_and_has_claim() -> None:
    identity = ClaimsIdentity(
        [Claim("role", "a"), Claim("role", "b"), Claim("sub", "1")], authentication_type="Bearer"
    )
    first = identity.find_first("role")
    assert first is not None
    assert first.value == "a"
    assert identity.find_first("missing") is None
    assert [c.value for c in identity.find_all("role")] == ["a", "b"]
    assert identity.find_all("missing") == []
    assert identity.has_claim("role")
    assert identity.has_claim("role", "b")
    assert not identity.has_claim("role", "c")
    assert not identity.has_claim("ROLE")  # claim types are case-sensitive
    assert not identity.has_claim("missing")


def test_identity_copies_input_list_and_can_add_claims() -> None:
    source = [Claim("a", "1")]
    identity = ClaimsIdentity(source)
    source.append(Claim("b", "2"))
    assert len(identity.claims) == 1
    identity.add_claim(Claim("c", "3"))
    identity.add_claims([Claim("d", "4")])
    assert [c.claim_type for c in identity.claims] == ["a", "c", "d"]


# ----------------------------------------------------------------- ClaimsPrincipal


def test_empty_principal() -> None:
    principal = ClaimsPrincipal()
    assert principal.identity is None
    assert principal.identities == []
    assert principal.claims == []
    assert not principal.has_claim("sub")
    assert not principal.is_in_role("admin")


def test_principal_identity_and_claims() -> None:
    identity = ClaimsIdentity([Claim("sub", "1")], "Bearer")
    principal = ClaimsPrincipal(identity)
    assert principal.identity is identity
    assert principal.identities == [identity]
    assert principal.claims == [Claim("sub", "1")]


def test_principal_loose_claims_first() -> None:
    identity = ClaimsIdentity([Claim("sub", "1")], "Bearer")
    principal = ClaimsPrincipal(identity=identity, claims=[Claim("extra", "x")])
    assert [c.claim_type for c in principal.claims] == ["extra", "sub"]
    assert principal.has_claim("extra", "x")
    assert ClaimsPrincipal(claims=[Claim("extra", "x")]).identity is None


def test_add_identity_keeps_first_as_primary() -> None:
    first = ClaimsIdentity([Claim("sub", "1")], "Bearer")
    second = ClaimsIdentity([Claim("sub", "2"), Claim("email", "a@b")], "Cookies")
    principal = ClaimsPrincipal()
    principal.add_identity(first)
    assert principal.identity is first
    principal.add_identity(second)
    assert principal.identity is first
    assert principal.identities == [first, second]
    assert [c.value for c in principal.find_all("sub")] == ["1", "2"]
    found = principal.find_first("email")
    assert found is not None
    assert found.value == "a@b"
    assert principal.find_first("missing") is None
    assert principal.has_claim("sub", "2")
    assert not principal.has_claim("sub", "3")


def test_add_identity_rejects_non_identity() -> None:
    with pytest.raises(ConfigurationException):
        ClaimsPrincipal().add_identity(None)  # type: ignore[arg-type]


def test_is_in_role_uses_each_identitys_role_claim_type() -> None:
    jwt_identity = ClaimsIdentity([Claim("role", "admin")], "Bearer", role_type_claim="role")
    net_identity = ClaimsIdentity([Claim(NET_ROLE, "auditor"), Claim("role", "ignored")], "Cookies")
    principal = ClaimsPrincipal(jwt_identity)
    principal.add_identity(net_identity)
    assert principal.is_in_role("admin")  # via "role" on the first identity
    assert principal.is_in_role("auditor")  # via the .NET role type on the second
    assert not principal.is_in_role("ignored")  # "role" is not the second's role type
    assert not principal.is_in_role("Admin")


def test_is_in_role_with_default_role_type_only() -> None:
    principal = ClaimsPrincipal(ClaimsIdentity([Claim("role", "admin")], "Bearer"))
    assert not principal.is_in_role("admin")


def test_is_in_role_loose_claims_use_dotnet_role_type() -> None:
    assert ClaimsPrincipal(claims=[Claim(NET_ROLE, "admin")]).is_in_role("admin")


# -------------------------------------------------------------------- to_principal


def claim_values(principal: ClaimsPrincipal, claim_type: str) -> list[str]:
    return [c.value for c in principal.find_all(claim_type)]


def test_to_principal_identity_settings() -> None:
    principal = to_principal({"iss": ISS, "sub": "1", "name": "Alice", "role": "admin"})
    identity = principal.identity
    assert identity is not None
    assert identity.authentication_type == "Bearer"
    assert identity.is_authenticated()
    assert identity.name_type_claim == "name"
    assert identity.role_type_claim == "role"
    assert identity.name == "Alice"
    assert principal.is_in_role("admin")
    assert not principal.is_in_role("user")


def test_to_principal_custom_authentication_type() -> None:
    identity = to_principal({"sub": "1"}, authentication_type="DPoP").identity
    assert identity is not None
    assert identity.authentication_type == "DPoP"


def test_to_principal_issuer_on_every_claim() -> None:
    principal = to_principal({"iss": ISS, "sub": "1", "roles": ["a", "b"]})
    assert {c.issuer for c in principal.claims} == {ISS}
    assert {c.original_issuer for c in principal.claims} == {ISS}
    assert principal.has_claim("iss", ISS)


def test_to_principal_without_iss_uses_local_authority() -> None:
    principal = to_principal({"sub": "1"})
    assert principal.claims[0].issuer == "LOCAL AUTHORITY"


def test_to_principal_lists_become_one_claim_each() -> None:
    principal = to_principal({"role": ["admin", "user"], "amr": ["pwd"], "empty": []})
    assert claim_values(principal, "role") == ["admin", "user"]
    assert claim_values(principal, "amr") == ["pwd"]
    assert principal.find_all("empty") == []
    assert principal.is_in_role("user")


def test_to_principal_booleans() -> None:
    principal = to_principal({"email_verified": True, "phone_number_verified": False})
    verified = principal.find_first("email_verified")
    assert verified is not None
    assert verified.value == "true"
    assert (
        verified.value_type == ClaimValueTypes.Boolean == "http://www.w3.org/2001/XMLSchema#boolean"
    )
    assert claim_values(principal, "phone_number_verified") == ["false"]


def test_to_principal_numbers() -> None:
    principal = to_principal(
        {"exp": 1700000000, "big": 2**40, "huge": 10**30, "f": 1.5, "g": 2.0, "e": 1e-7}
    )
    exp = principal.find_first("exp")
    assert exp is not None
    assert exp.value == "1700000000"
    assert exp.value_type == ClaimValueTypes.Integer
    big = principal.find_first("big")
    assert big is not None
    assert big.value == str(2**40)
    assert big.value_type == ClaimValueTypes.Integer64
    assert claim_values(principal, "huge") == ["1" + "0" * 30]
    f = principal.find_first("f")
    assert f is not None
    assert f.value == "1.5"
    assert f.value_type == ClaimValueTypes.Double
    assert claim_values(principal, "g") == ["2.0"]
    assert float(claim_values(principal, "e")[0]) == 1e-7


def test_to_principal_dicts_become_compact_json() -> None:
    address = {"street_address": "1 Main St", "locality": "Anytown", "geo": {"lat": 1.5}}
    principal = to_principal({"address": address})
    claim = principal.find_first("address")
    assert claim is not None
    assert claim.value == '{"street_address":"1 Main St","locality":"Anytown","geo":{"lat":1.5}}'
    assert json.loads(claim.value) == address
    assert claim.value_type == ClaimValueTypes.Json


def test_to_principal_nested_dict_in_list() -> None:
    principal = to_principal({"groups": ["g1", {"id": "g2", "admin": True}, 3, False]})
    assert claim_values(principal, "groups") == ["g1", '{"id":"g2","admin":true}', "3", "false"]
    types = [c.value_type for c in principal.find_all("groups")]
    assert types == [
        ClaimValueTypes.String,
        ClaimValueTypes.Json,
        ClaimValueTypes.Integer,
        ClaimValueTypes.Boolean,
    ]


def test_to_principal_nested_list_is_one_json_array_claim() -> None:
    principal = to_principal({"matrix": [[1, 2], ["a"]]})
    assert claim_values(principal, "matrix") == ["[1,2]", '["a"]']
    assert {c.value_type for c in principal.find_all("matrix")} == {ClaimValueTypes.JsonArray}


def test_to_principal_none_values_skipped() -> None:
    principal = to_principal({"sub": "1", "nickname": None, "list": ["a", None, "b"]})
    assert principal.find_first("nickname") is None
    assert claim_values(principal, "list") == ["a", "b"]


def test_to_principal_unicode_kept() -> None:
    principal = to_principal({"name": "Zoë", "address": {"locality": "Zürich"}})
    assert claim_values(principal, "name") == ["Zoë"]
    assert claim_values(principal, "address") == ['{"locality":"Zürich"}']


def test_to_principal_values_are_all_strings() -> None:
    payload: dict[str, Any] = {
        "iss": ISS,
        "a": 1,
        "b": 1.25,
        "c": True,
        "d": {"x": [1, None]},
        "e": ["s", 2, {"k": "v"}],
    }
    assert all(isinstance(c.value, str) for c in to_principal(payload).claims)


def test_to_principal_preserves_order() -> None:
    principal = to_principal({"iss": ISS, "sub": "1", "aud": ["x", "y"], "exp": 5})
    assert [c.claim_type for c in principal.claims] == ["iss", "sub", "aud", "aud", "exp"]


def test_reprs_and_iteration() -> None:
    identity = ClaimsIdentity([Claim("sub", "1")], "Bearer")
    assert "Bearer" in repr(identity)
    assert list(identity) == [Claim("sub", "1")]
    principal = ClaimsPrincipal()
    principal.add_identities([identity])
    assert "ClaimsIdentity" in repr(principal)
    assert Claim("a", "b") != "a: b"


def test_to_principal_non_json_values_fall_back_to_str() -> None:
    principal = to_principal({"t": ("x", "y"), "o": object.__name__})
    assert claim_values(principal, "t") == ['["x","y"]']
