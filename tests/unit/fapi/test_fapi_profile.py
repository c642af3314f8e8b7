"""The FAPI 2.0 policy's clause checks, one rule at a time (no I/O)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trustme
from cryptography.hazmat.primitives.asymmetric import ec

from py_identity_model import (
    Client,
    ClientAssertion,
    ClientSecretBasic,
    ClientSecretPost,
    ConfigurationException,
    JsonWebKey,
    MtlsClientAuth,
    NoClientAuth,
    PrivateKeyJwt,
)
from py_identity_model.fapi.profile import (
    FAPI_ALGORITHMS,
    FapiPolicy,
    FapiProfile,
    FapiViolation,
    FapiViolationError,
    raise_for,
)

ISSUER = "https://as.example.com"
SP = FapiPolicy()
MS = FapiPolicy(FapiProfile.MESSAGE_SIGNING)


class _Prover:
    def create_proof(self, method: str, url: str, *, nonce: str | None = None) -> str:
        return "proof"


def _ec_key() -> JsonWebKey:
    return JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="k1")


def _pkjwt(**kw: Any) -> PrivateKeyJwt:
    kw.setdefault("audience", ISSUER)
    kw.setdefault("algorithm", "ES256")
    return PrivateKeyJwt(_ec_key(), **kw)


@pytest.fixture(scope="module")
def cert_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    ca = trustme.CA()
    leaf = ca.issue_cert("client.example.com")
    folder: Path = tmp_path_factory.mktemp("fapi-mtls")
    cert, key = folder / "client.pem", folder / "client.key"
    cert.write_bytes(leaf.cert_chain_pems[0].bytes())
    key.write_bytes(leaf.private_key_pem.bytes())
    return str(cert), str(key)


def _clauses(violations: list[FapiViolation]) -> list[str]:
    return [v.clause for v in violations]


# ------------------------------------------------------------------ the client


def test_private_key_jwt_with_dpop_conforms() -> None:
    assert SP.client_violations(Client("c", _pkjwt(), dpop=_Prover()), issuer=ISSUER) == []


def test_mtls_client_auth_is_sender_constrained_by_its_certificate(
    cert_files: tuple[str, str],
) -> None:
    client = Client("c", MtlsClientAuth(*cert_files))
    assert SP.client_violations(client, issuer=ISSUER) == []


@pytest.mark.parametrize(
    "auth",
    [ClientSecretBasic("s" * 32), ClientSecretPost("s" * 32), NoClientAuth()],
    ids=["basic", "post", "none"],
)
def test_shared_secret_and_public_clients_are_refused(auth: Any) -> None:
    found = SP.client_violations(Client("c", auth, dpop=_Prover()), issuer=ISSUER)
    assert _clauses(found) == ["FAPI 2.0 Security Profile §5.3.2.1"]
    assert "private_key_jwt or mTLS" in found[0].message


def test_client_secret_jwt_assertion_is_refused_and_private_key_jwt_accepted() -> None:
    secret_jwt = ClientAssertion("a.b.c", "client_secret_jwt")
    assert len(SP.client_violations(Client("c", secret_jwt, dpop=_Prover()))) == 1
    key_jwt = ClientAssertion("a.b.c", "private_key_jwt")
    assert SP.client_violations(Client("c", key_jwt, dpop=_Prover())) == []


def test_tokens_must_be_sender_constrained() -> None:
    found = SP.client_violations(Client("c", _pkjwt()), issuer=ISSUER)
    assert len(found) == 1 and "sender-constrained" in found[0].message


@pytest.mark.parametrize("alg", ["RS256", "ES384", "PS512"])
def test_assertion_algorithms_outside_the_profile_are_refused(alg: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    key: Any = _ec_key()
    if alg.startswith(("RS", "PS")):
        key = JsonWebKey.from_key(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    if alg == "ES384":
        key = JsonWebKey.from_key(ec.generate_private_key(ec.SECP384R1()))
    auth = PrivateKeyJwt(key, alg, audience=ISSUER)
    found = SP.client_violations(Client("c", auth, dpop=_Prover()), issuer=ISSUER)
    assert _clauses(found) == ["FAPI 2.0 Security Profile §5.4.1"]
    assert repr(alg) in found[0].message


@pytest.mark.parametrize("audience", [None, "https://as.example.com/token"])
def test_assertion_audience_must_be_the_issuer(audience: str | None) -> None:
    auth = _pkjwt(audience=audience)
    found = SP.client_violations(Client("c", auth, dpop=_Prover()), issuer=ISSUER)
    assert len(found) == 1 and "aud" in found[0].message


def test_raise_for_names_every_clause() -> None:
    with pytest.raises(FapiViolationError) as caught:
        raise_for(SP.client_violations(Client("c", ClientSecretBasic("s" * 32))))
    error = caught.value
    assert isinstance(error, ConfigurationException)
    assert len(error.violations) == 2
    assert error.clause == "FAPI 2.0 Security Profile §5.3.2.1"
    assert str(error).count("§5.3.2.1") == 2
    raise_for([])  # nothing to say: no exception


# ------------------------------------------------------------------ authorization requests

GOOD = {
    "response_type": "code",
    "code_challenge": "x" * 43,
    "code_challenge_method": "S256",
    "redirect_uri": "https://rp.example.com/cb",
}


def test_a_pushed_pkce_code_request_conforms() -> None:
    assert SP.authorization_request_violations(GOOD, pushed=True) == []


def test_loopback_http_redirect_is_allowed_for_native_clients() -> None:
    request = {**GOOD, "redirect_uri": "http://127.0.0.1:8400/cb"}
    assert SP.authorization_request_violations(request, pushed=True) == []


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"response_type": "code id_token"}, "response_type=code"),
        ({"code_challenge_method": "plain"}, "S256"),
        ({"code_challenge": ""}, "S256"),
        ({"redirect_uri": "http://rp.example.com/cb"}, "https"),
        ({"redirect_uri": None}, "redirect_uri is required"),
    ],
)
def test_each_authorization_request_rule(change: dict[str, Any], needle: str) -> None:
    request = {**GOOD, **change}
    found = SP.authorization_request_violations(request, pushed=True)
    assert len(found) == 1 and needle in found[0].message


def test_an_unpushed_request_is_refused() -> None:
    found = SP.authorization_request_violations(GOOD, pushed=False)
    assert len(found) == 1 and "PAR" in found[0].message


def test_message_signing_needs_a_request_object() -> None:
    found = MS.authorization_request_violations(GOOD, pushed=True)
    assert _clauses(found) == ["FAPI 2.0 Message Signing §5.3"]
    assert MS.authorization_request_violations({**GOOD, "request": "a.b.c"}, pushed=True) == []


def test_authorize_url_carries_only_client_id_and_request_uri() -> None:
    assert SP.authorize_url_violations({"client_id": "c", "request_uri": "urn:x"}) == []
    found = SP.authorize_url_violations({"client_id": "c", "request_uri": "urn:x", "scope": "a"})
    assert len(found) == 1 and "['scope']" in found[0].message
    assert len(SP.authorize_url_violations({"client_id": "c"})) == 1


# ------------------------------------------------------------------ request objects


def test_request_object_rules() -> None:
    good = {"nbf": 1000, "exp": 1600, "aud": ISSUER}
    assert MS.request_object_violations({"alg": "PS256"}, good, issuer=ISSUER) == []
    assert (
        MS.request_object_violations({"alg": "ES256"}, {**good, "aud": [ISSUER]}, issuer=ISSUER)
        == []
    )
    assert len(MS.request_object_violations({"alg": "RS256"}, good, issuer=ISSUER)) == 1
    long = MS.request_object_violations(
        {"alg": "PS256"}, {**good, "exp": 1000 + 3601}, issuer=ISSUER
    )
    assert len(long) == 1 and "3601 s" in long[0].message
    missing = MS.request_object_violations({"alg": "PS256"}, {"exp": 5, "aud": ISSUER})
    assert len(missing) == 1 and "nbf and exp" in missing[0].message
    boolean = MS.request_object_violations({"alg": "PS256"}, {"nbf": True, "exp": 5})
    assert len(boolean) == 1
    other = MS.request_object_violations(
        {"alg": "PS256"}, {**good, "aud": "https://x"}, issuer=ISSUER
    )
    assert len(other) == 1 and "aud" in other[0].message


def test_a_shorter_request_object_lifetime_can_be_chosen() -> None:
    strict = FapiPolicy(FapiProfile.MESSAGE_SIGNING, max_request_object_lifetime=300)
    found = strict.request_object_violations({"alg": "PS256"}, {"nbf": 0, "exp": 301})
    assert len(found) == 1


@pytest.mark.parametrize("bad", [0, 3601, -1, True, 1.5, "60"])
def test_request_object_lifetime_is_bounded(bad: Any) -> None:
    with pytest.raises(ConfigurationException, match="max_request_object_lifetime"):
        FapiPolicy(max_request_object_lifetime=bad)


def test_profile_must_be_a_fapi_profile() -> None:
    with pytest.raises(ConfigurationException, match="FapiProfile"):
        FapiPolicy("FAPI 2.0 Security Profile")  # type: ignore[arg-type]


# ------------------------------------------------------------------ algorithms and metadata


def test_algorithms() -> None:
    assert SP.algorithms == FAPI_ALGORITHMS
    assert SP.algorithm_violations(["PS256", "ES256", "EdDSA"], "ID tokens") == []
    found = SP.algorithm_violations(["RS256", "HS256", "ES256"], "ID tokens")
    assert [v.message.split(" uses ")[1].split(";")[0] for v in found] == ["'RS256'", "'HS256'"]
    assert SP.allowed(None) == list(FAPI_ALGORITHMS)
    assert SP.allowed(["RS256", "PS256"]) == ["PS256"]


def test_metadata_rules() -> None:
    good = {
        "pushed_authorization_request_endpoint": f"{ISSUER}/par",
        "authorization_response_iss_parameter_supported": True,
        "code_challenge_methods_supported": ["S256"],
    }
    assert SP.metadata_violations(good) == []
    assert len(SP.metadata_violations({**good, "pushed_authorization_request_endpoint": None})) == 1
    no_iss = SP.metadata_violations(
        {**good, "authorization_response_iss_parameter_supported": False}
    )
    assert len(no_iss) == 1 and "RFC 9207" in no_iss[0].message
    plain = SP.metadata_violations({**good, "code_challenge_methods_supported": ["plain"]})
    assert len(plain) == 1


def test_authorization_response_rules() -> None:
    assert SP.authorization_response_violations({"code": "c", "iss": ISSUER}, jarm=False) == []
    assert len(SP.authorization_response_violations({"code": "c"}, jarm=False)) == 1
    assert SP.authorization_response_violations({}, jarm=True) == []
    found = MS.authorization_response_violations({"code": "c", "iss": ISSUER}, jarm=False)
    assert _clauses(found) == ["FAPI 2.0 Message Signing §5.4"]


def test_introspection_rules() -> None:
    assert SP.introspection_violations(signed=False) == []
    assert MS.introspection_violations(signed=True) == []
    assert _clauses(MS.introspection_violations(signed=False)) == ["FAPI 2.0 Message Signing §5.5"]
    assert MS.message_signing and not SP.message_signing
