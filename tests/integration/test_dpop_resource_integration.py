"""DPoP on the resource server against the real provider, sync and async.

The provider issues DPoP-bound JWT access tokens (``client-dpop``, resource
``urn:test:api:es256``, ``cnf.jkt`` = the proof key's thumbprint) to a client whose token
request carries a proof made by the independent signer of tests/provider/jws.py (or by the
library's own ``DPoPKey``). The resource server side is ours: ``validate_token`` (discovery,
the provider's JWKS), ``check_dpop_binding``, then ``DPoPProofValidator`` (``validate`` or
``avalidate``, following ``api``).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from py_identity_model import (
    DPoPProof,
    DPoPProofException,
    DPoPProofValidator,
    TokenValidationConfig,
    check_dpop_binding,
)
from py_identity_model.validation.key_source import clear_shared_key_sources
from tests.provider.fixture import RunningProvider
from tests.provider.jws import b64url, dpop_proof

RESOURCE = "urn:test:api:es256"
API_URL = "https://api.example.com/orders/42"
KEYS = json.loads(
    (Path(__file__).resolve().parents[1] / "provider" / "client-keys.json").read_text("utf-8")
)["keys"]


@pytest.fixture(autouse=True)
def _cold() -> Iterator[None]:
    clear_shared_key_sources()
    yield
    clear_shared_key_sources()


def _jwk(kty: str) -> dict[str, Any]:
    return next(k for k in KEYS if k["kty"] == kty)


def _thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 for an EC key, computed independently of the library."""
    members = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64url(hashlib.sha256(canonical).digest())


def _bound_token(provider: RunningProvider, jwk: dict[str, Any]) -> str:
    """A DPoP-bound access token for ``jwk`` (client credentials, proof by tests/provider/jws)."""
    client = provider.client("client-dpop")
    assert client.client_secret is not None
    response = httpx.post(
        provider.token_endpoint,
        data={"grant_type": "client_credentials", "scope": "api:read", "resource": RESOURCE},
        headers={"DPoP": dpop_proof(jwk, "POST", provider.token_endpoint)},
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "DPoP"
    return str(body["access_token"])


@pytest.fixture(scope="module")
def ec_token(provider: RunningProvider) -> str:
    return _bound_token(provider, _jwk("EC"))


def _validate(api: Any, validator: DPoPProofValidator, proof: str, **kw: Any) -> DPoPProof:
    if api.is_async:
        return asyncio.run(validator.avalidate(proof, method="GET", url=API_URL, **kw))
    return validator.validate(proof, method="GET", url=API_URL, **kw)


def _claims(api: Any, provider: RunningProvider, token: str) -> dict[str, Any]:
    config = TokenValidationConfig(perform_disco=True, audience=RESOURCE)
    claims: dict[str, Any] = api.validate_token(token, config, provider.issuer)
    return claims


def test_provider_bound_token_with_a_fresh_proof(
    api: Any, provider: RunningProvider, ec_token: str
) -> None:
    claims = _claims(api, provider, ec_token)
    jkt = check_dpop_binding(claims, scheme="DPoP")
    assert jkt == _thumbprint(_jwk("EC"))
    validator = DPoPProofValidator()
    proof = dpop_proof(_jwk("EC"), "GET", API_URL + "?page=2", access_token=ec_token)
    result = _validate(api, validator, proof, access_token=ec_token, expected_jkt=jkt)
    assert result.jkt == jkt and result.htm == "GET"
    # the same proof again: a replay
    with pytest.raises(DPoPProofException) as info:
        _validate(api, validator, proof, access_token=ec_token, expected_jkt=jkt)
    assert info.value.error_code == "dpop_proof_replayed"


def test_bound_token_presented_as_bearer_is_refused(
    api: Any, provider: RunningProvider, ec_token: str
) -> None:
    claims = _claims(api, provider, ec_token)
    with pytest.raises(DPoPProofException) as info:
        check_dpop_binding(claims, scheme="Bearer")
    assert info.value.error == "invalid_token"


def test_proof_by_another_key_is_refused(
    api: Any, provider: RunningProvider, ec_token: str
) -> None:
    jkt = check_dpop_binding(_claims(api, provider, ec_token), scheme="DPoP")
    stolen = dpop_proof(_jwk("OKP"), "GET", API_URL, access_token=ec_token)  # attacker's key
    with pytest.raises(DPoPProofException) as info:
        _validate(api, DPoPProofValidator(), stolen, access_token=ec_token, expected_jkt=jkt)
    assert info.value.error_code == "dpop_binding_mismatch"


def test_proof_for_another_token_or_request_is_refused(
    api: Any, provider: RunningProvider, ec_token: str
) -> None:
    jkt = check_dpop_binding(_claims(api, provider, ec_token), scheme="DPoP")
    other_token = _bound_token(provider, _jwk("EC"))
    validator = DPoPProofValidator()
    for proof in (
        dpop_proof(_jwk("EC"), "GET", API_URL, access_token=other_token),  # ath of another
        dpop_proof(_jwk("EC"), "GET", API_URL),  # no ath
        dpop_proof(_jwk("EC"), "POST", API_URL, access_token=ec_token),  # htm
        dpop_proof(_jwk("EC"), "GET", API_URL + "/items", access_token=ec_token),  # htu
    ):
        with pytest.raises(DPoPProofException):
            _validate(api, validator, proof, access_token=ec_token, expected_jkt=jkt)


def test_rsa_and_eddsa_bound_tokens(api: Any, provider: RunningProvider) -> None:
    for kty in ("RSA", "OKP"):
        token = _bound_token(provider, _jwk(kty))
        jkt = check_dpop_binding(_claims(api, provider, token), scheme="DPoP")
        proof = dpop_proof(_jwk(kty), "GET", API_URL, access_token=token)
        _validate(api, DPoPProofValidator(), proof, access_token=token, expected_jkt=jkt)


def test_library_client_proofs_interoperate(api: Any, provider: RunningProvider) -> None:
    """The library's client side (DPoPKey) and resource-server side agree with the provider."""
    from py_identity_model import (
        Client,
        ClientCredentialsTokenRequest,
        ClientSecretBasic,
        create_dpop_proof,
        generate_dpop_key,
    )

    key = generate_dpop_key()
    secret = provider.client("client-dpop").client_secret
    assert secret is not None
    request = ClientCredentialsTokenRequest(
        provider.token_endpoint,
        "client-dpop",
        scope="api:read",
        resource=RESOURCE,
        client=Client("client-dpop", ClientSecretBasic(secret), dpop=key),
    )
    response = api.request_client_credentials_token(request)
    assert response.is_successful, response.error
    token = response.access_token
    jkt = check_dpop_binding(_claims(api, provider, token), scheme="DPoP")
    assert jkt == key.jwk_thumbprint
    proof = create_dpop_proof(key, "GET", API_URL, access_token=token)
    result = _validate(api, DPoPProofValidator(), proof, access_token=token, expected_jkt=jkt)
    assert result.jkt == key.jwk_thumbprint
