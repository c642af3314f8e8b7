"""Access-token validation against the real provider (oidc-provider), sync and async.

Client-credentials tokens from ``client-basic`` for each JWT resource
(``urn:test:api:<alg>``, ``typ: at+jwt``) are validated in discovery mode: the issuer
comes from the provider's discovery document and the key from its JWKS. Tokens are fetched
with plain httpx (this file tests validation, not the grant functions).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from py_identity_model import (
    ClaimsValidationError,
    InvalidAlgorithmException,
    InvalidAudienceException,
    InvalidIssuerException,
    InvalidTokenTypeException,
    JsonWebToken,
    KeyNotFoundException,
    SignatureVerificationException,
    TokenExpiredException,
    TokenValidationConfig,
    TokenValidator,
    aio,
    to_principal,
)
from py_identity_model.aio import AsyncHTTPClient
from py_identity_model.jose import JsonWebKey, sign_compact
from py_identity_model.validation.key_source import clear_shared_key_sources
from tests.provider.fixture import RunningProvider

RESOURCES = {
    "RS256": "urn:test:api:rs256",
    "PS256": "urn:test:api:ps256",
    "ES256": "urn:test:api:es256",
    "EdDSA": "urn:test:api:eddsa",
}


@pytest.fixture(autouse=True)
def _cold_shared_caches() -> Iterator[None]:
    clear_shared_key_sources()
    yield
    clear_shared_key_sources()


def _client_credentials(provider: RunningProvider, resource: str, scope: str = "api:read") -> str:
    client = provider.clients["client-basic"]
    assert client.client_secret is not None
    response = httpx.post(
        provider.token_endpoint,
        data={"grant_type": "client_credentials", "resource": resource, "scope": scope},
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


@pytest.fixture(scope="module")
def access_tokens(provider: RunningProvider) -> dict[str, str]:
    """One client-credentials access token per signing algorithm."""
    return {alg: _client_credentials(provider, resource) for alg, resource in RESOURCES.items()}


def _config(resource: str, **kw: Any) -> TokenValidationConfig:
    return TokenValidationConfig(perform_disco=True, audience=resource, token_type="at+jwt", **kw)


@pytest.mark.parametrize("alg", list(RESOURCES))
def test_access_tokens_validate_in_discovery_mode(
    api: Any, provider: RunningProvider, access_tokens: dict[str, str], alg: str
) -> None:
    jwt = access_tokens[alg]
    decoded = JsonWebToken.decode_unverified(jwt)
    assert decoded.alg == alg
    assert decoded.typ == "at+jwt"
    assert decoded.kid
    claims = api.validate_token(jwt, _config(RESOURCES[alg]), provider.issuer)
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == RESOURCES[alg]
    assert claims["client_id"] == "client-basic"
    assert claims["scope"] == "api:read"
    assert claims["exp"] > time.time()
    # The full well-known URL works as the discovery address too.
    again = api.validate_token(jwt, _config(RESOURCES[alg]), provider.discovery_url)
    assert again == claims


def test_wrong_audience_is_rejected(
    api: Any, provider: RunningProvider, access_tokens: dict[str, str]
) -> None:
    with pytest.raises(InvalidAudienceException):
        api.validate_token(access_tokens["RS256"], _config(RESOURCES["PS256"]), provider.issuer)
    with pytest.raises(InvalidAudienceException):
        api.validate_token(access_tokens["ES256"], _config("urn:test:api"), provider.issuer)


def test_other_issuer_is_rejected(
    api: Any, provider: RunningProvider, access_tokens: dict[str, str]
) -> None:
    cfg = _config(RESOURCES["ES256"], issuer="http://127.0.0.1:1")
    with pytest.raises(InvalidIssuerException):
        api.validate_token(access_tokens["ES256"], cfg, provider.issuer)
    cfg = _config(RESOURCES["ES256"], issuer=provider.issuer + "/")
    with pytest.raises(InvalidIssuerException):
        api.validate_token(access_tokens["ES256"], cfg, provider.issuer)
    cfg = _config(RESOURCES["ES256"], issuer=provider.issuer)
    assert api.validate_token(access_tokens["ES256"], cfg, provider.issuer)["sub"] == "client-basic"


def test_required_scopes(
    api: Any, provider: RunningProvider, access_tokens: dict[str, str]
) -> None:
    jwt = access_tokens["PS256"]
    ok = _config(RESOURCES["PS256"], required_scopes=["api:read"])
    assert api.validate_token(jwt, ok, provider.issuer)["scope"] == "api:read"
    for missing in (["api:admin"], ["api:read", "api:write"]):
        cfg = _config(RESOURCES["PS256"], required_scopes=missing)
        with pytest.raises(ClaimsValidationError):
            api.validate_token(jwt, cfg, provider.issuer)
    both = _client_credentials(provider, RESOURCES["PS256"], scope="api:read api:write")
    cfg = _config(RESOURCES["PS256"], required_scopes=["api:read", "api:write"])
    assert api.validate_token(both, cfg, provider.issuer)["scope"] == "api:read api:write"


def test_algorithm_and_type_rules_apply(
    api: Any, provider: RunningProvider, access_tokens: dict[str, str]
) -> None:
    with pytest.raises(InvalidAlgorithmException):
        api.validate_token(
            access_tokens["RS256"],
            _config(RESOURCES["RS256"], algorithms=["ES256", "EdDSA"]),
            provider.issuer,
        )
    assert api.validate_token(
        access_tokens["EdDSA"], _config(RESOURCES["EdDSA"], algorithms=["EdDSA"]), provider.issuer
    )
    with pytest.raises(InvalidTokenTypeException):
        api.validate_token(
            access_tokens["RS256"],
            TokenValidationConfig(
                perform_disco=True, audience=RESOURCES["RS256"], token_type="JWT"
            ),
            provider.issuer,
        )


def _provider_key(provider: RunningProvider, kty: str) -> JsonWebKey:
    jwk = next(k for k in provider.signing_jwks["keys"] if k["kty"] == kty)
    return JsonWebKey.from_dict(jwk)


def test_forged_and_expired_tokens_are_rejected(
    api: Any, provider: RunningProvider, access_tokens: dict[str, str]
) -> None:
    header = JsonWebToken.decode_unverified(access_tokens["RS256"]).header
    payload = dict(JsonWebToken.decode_unverified(access_tokens["RS256"]).payload)
    cfg = _config(RESOURCES["RS256"])
    # Signed by another key under the provider's kid.
    attacker = JsonWebKey.from_key(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    forged = sign_compact(
        payload, attacker, "RS256", headers={"typ": "at+jwt", "kid": header["kid"]}
    )
    with pytest.raises(SignatureVerificationException):
        api.validate_token(forged, cfg, provider.issuer)
    # Signed with the provider's real key (test-only keys.json) but expired: the claim rules
    # still apply to a perfectly signed token.
    real = _provider_key(provider, "RSA")
    expired = {**payload, "iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}
    signed = sign_compact(expired, real, "RS256", headers={"typ": "at+jwt", "kid": real.kid})
    with pytest.raises(TokenExpiredException):
        api.validate_token(signed, cfg, provider.issuer)
    fresh = sign_compact(payload, real, "RS256", headers={"typ": "at+jwt", "kid": real.kid})
    assert api.validate_token(fresh, cfg, provider.issuer)["client_id"] == "client-basic"


def test_to_principal(api: Any, provider: RunningProvider, access_tokens: dict[str, str]) -> None:
    claims = api.validate_token(
        access_tokens["ES256"], _config(RESOURCES["ES256"]), provider.issuer
    )
    principal = to_principal(claims)
    assert principal.has_claim("client_id", "client-basic")
    assert principal.has_claim("scope", "api:read")
    assert principal.has_claim("aud", RESOURCES["ES256"])
    assert principal.has_claim("iss", provider.issuer)
    assert not principal.has_claim("client_id", "someone-else")
    scope = principal.find_first("scope")
    assert scope is not None and scope.value == "api:read"
    assert scope.issuer == provider.issuer
    assert principal.identity is not None
    assert principal.identity.is_authenticated()
    assert principal.identity.authentication_type == "Bearer"


class CountingSyncTransport:
    """A sync transport that counts requests per path and delegates to HTTPClient."""

    def __init__(self) -> None:
        from py_identity_model import HTTPClient

        self.inner = HTTPClient()
        self.counts: Counter[str] = Counter()

    def send_request(self, request: Any) -> Any:
        self.counts[urlsplit(request.url).path] += 1
        return self.inner.send_request(request)


class CountingAsyncTransport:
    """An async transport that counts requests per path and delegates to AsyncHTTPClient."""

    def __init__(self) -> None:
        self.inner: AsyncHTTPClient | None = None
        self.counts: Counter[str] = Counter()

    async def send_request(self, request: Any) -> Any:
        self.counts[urlsplit(request.url).path] += 1
        if self.inner is None:  # created inside the event loop that uses it
            self.inner = AsyncHTTPClient()
        return await self.inner.send_request(request)


def _paths(provider: RunningProvider) -> tuple[str, str]:
    return urlsplit(provider.discovery_url).path, urlsplit(provider.jwks_uri).path


def test_a_thousand_concurrent_cold_validations_fetch_once(
    provider: RunningProvider, access_tokens: dict[str, str]
) -> None:
    disco_path, jwks_path = _paths(provider)
    transport = CountingAsyncTransport()
    tokens = [access_tokens[alg] for alg in RESOURCES] * 250
    cfgs = {jwt: _config(RESOURCES[alg]) for alg, jwt in access_tokens.items()}

    async def run() -> list[Any]:
        try:
            calls = [aio.validate_token(t, cfgs[t], provider.issuer, transport) for t in tokens]
            return list(await asyncio.gather(*calls, return_exceptions=True))
        finally:
            if transport.inner is not None:
                await transport.inner.aclose()

    results = asyncio.run(run())
    failures = [r for r in results if not isinstance(r, dict)]
    assert not failures, failures[:3]
    assert len(results) == 1000
    assert {r["aud"] for r in results} == set(RESOURCES.values())
    assert transport.counts[disco_path] == 1
    assert transport.counts[jwks_path] == 1
    assert sum(transport.counts.values()) == 2


def test_unknown_kid_refetches_once_from_the_real_jwks(
    api: Any, provider: RunningProvider, access_tokens: dict[str, str]
) -> None:
    _, jwks_path = _paths(provider)
    transport: Any = CountingAsyncTransport() if api.is_async else CountingSyncTransport()
    cfg = _config(RESOURCES["RS256"], jwks_refresh_cooldown=0)
    assert api.validate_token(access_tokens["RS256"], cfg, provider.issuer, transport)
    assert transport.counts[jwks_path] == 1
    real = _provider_key(provider, "RSA")
    payload = dict(JsonWebToken.decode_unverified(access_tokens["RS256"]).payload)
    unknown = JsonWebKey.from_dict({**real.to_dict(), "kid": f"rotated-{uuid.uuid4().hex}"})
    jwt = sign_compact(payload, unknown, "RS256", headers={"typ": "at+jwt", "kid": unknown.kid})
    with pytest.raises(KeyNotFoundException):
        api.validate_token(jwt, cfg, provider.issuer, transport)
    assert transport.counts[jwks_path] == 2


def test_token_validator_for_authority(
    provider: RunningProvider, access_tokens: dict[str, str]
) -> None:
    validator = TokenValidator.for_authority(
        provider.issuer, audience=RESOURCES["ES256"], token_type="at+jwt"
    )
    claims = validator.validate(access_tokens["ES256"])
    assert claims["client_id"] == "client-basic"
    assert asyncio.run(validator.avalidate(access_tokens["ES256"])) == claims
    with pytest.raises(InvalidAudienceException):
        validator.validate(access_tokens["RS256"])
    with pytest.raises(InvalidAudienceException):
        asyncio.run(validator.avalidate(access_tokens["RS256"]))
    assert provider.issuer in repr(validator)
    # Its own caches, counted through a transport.
    transport = CountingSyncTransport()
    counted = TokenValidator.for_authority(
        provider.issuer, audience=RESOURCES["PS256"], token_type="at+jwt", http_client=transport
    )
    for _ in range(5):
        assert counted.validate(access_tokens["PS256"])["aud"] == RESOURCES["PS256"]
    disco_path, jwks_path = _paths(provider)
    assert (transport.counts[disco_path], transport.counts[jwks_path]) == (1, 1)
