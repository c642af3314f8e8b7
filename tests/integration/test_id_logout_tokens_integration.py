"""ID tokens and back-channel logout tokens from the real provider, sync and async.

* ID tokens come from a browserless authorization code + PKCE flow of ``public-native``
  (authorize URL built by hand, code redeemed with httpx) and are validated with
  ``validate_id_token`` in discovery mode: nonce, at_hash, max_age/auth_time, audience.
* Logout tokens come from an RP-initiated logout of a ``client-backchannel`` session: the
  provider posts them to its built-in receiver, from which the test reads them.
* Tokens the provider would never issue (a logout token with a ``nonce``, an ID token with
  an ``at_hash``) are signed with the provider's own test key (``keys.json``) so they pass
  the signature check against the real JWKS and only the claim rules can reject them; the
  logout rules are also checked with a static key of our own.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from py_identity_model import (
    ConfigurationException,
    IdTokenValidationException,
    InvalidAudienceException,
    InvalidIssuerException,
    JsonWebToken,
    LogoutTokenValidationException,
    PyIdentityModelException,
    SignatureVerificationException,
    TokenExpiredException,
    TokenValidationConfig,
    TokenValidationException,
)
from py_identity_model.jose import JsonWebKey, sign_compact
from py_identity_model.validation import flow as validation_flow_module
from py_identity_model.validation.key_source import clear_shared_key_sources
from py_identity_model.validation.logout_token import default_logout_replay_store
from tests.provider.fixture import (
    CALLBACK_URL,
    LOGOUT_CALLBACK_URL,
    RunningProvider,
    complete_login,
    complete_logout,
)

PUBLIC_CLIENT = "public-native"
BACKCHANNEL_CLIENT = "client-backchannel"
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


@pytest.fixture(autouse=True)
def _cold_shared_caches() -> Iterator[None]:
    # The module's logout tokens are validated by several tests (and by both shells):
    # forget the accepted jtis (validate_logout_token's replay check is on by default).
    clear_shared_key_sources()
    default_logout_replay_store().clear()
    yield
    default_logout_replay_store().clear()
    clear_shared_key_sources()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _left_half_sha256(value: str) -> str:
    """OIDC Core §3.1.3.6 at_hash for RS256, computed independently of the library."""
    return _b64(hashlib.sha256(value.encode("ascii")).digest()[:16])


def _query(url: str) -> dict[str, str]:
    assert url.startswith(CALLBACK_URL), url
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@dataclass
class CodeFlowResult:
    id_token: str
    access_token: str
    nonce: str | None
    logged_in_at: float


def _code_flow(provider: RunningProvider, *, nonce: str | None, **extra: str) -> CodeFlowResult:
    """Authorization code + PKCE (S256) as public-native, login alice, redeem with httpx."""
    verifier = secrets.token_urlsafe(64)
    challenge = _b64(hashlib.sha256(verifier.encode("ascii")).digest())
    state = secrets.token_urlsafe(16)
    params = {
        "client_id": PUBLIC_CLIENT,
        "response_type": "code",
        "redirect_uri": CALLBACK_URL,
        "scope": "openid",
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    if nonce is not None:
        params["nonce"] = nonce
    started = time.time()
    callback = _query(complete_login(f"{provider.authorization_endpoint}?{urlencode(params)}"))
    assert callback["state"] == state
    response = httpx.post(
        provider.token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": callback["code"],
            "redirect_uri": CALLBACK_URL,
            "code_verifier": verifier,
            "client_id": PUBLIC_CLIENT,
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return CodeFlowResult(body["id_token"], body["access_token"], nonce, started)


@pytest.fixture(scope="module")
def with_nonce(provider: RunningProvider) -> CodeFlowResult:
    """An ID token for a request with a nonce and max_age (so it carries auth_time)."""
    return _code_flow(provider, nonce=secrets.token_urlsafe(16), max_age="3600")


@pytest.fixture(scope="module")
def without_nonce(provider: RunningProvider) -> CodeFlowResult:
    return _code_flow(provider, nonce=None)


@dataclass
class LogoutResult:
    logout_token: str
    id_token: str
    sid: str


@pytest.fixture(scope="module")
def backchannel_logout(provider: RunningProvider) -> Iterator[LogoutResult]:
    """Log in as client-backchannel, then log out at the provider (RP-initiated)."""
    provider.clear_backchannel_logout_tokens()
    client = provider.clients[BACKCHANNEL_CLIENT]
    assert client.client_secret is not None
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        params = {
            "client_id": BACKCHANNEL_CLIENT,
            "response_type": "code",
            "redirect_uri": CALLBACK_URL,
            "scope": "openid",
            "state": "bcl",
        }
        callback = _query(
            complete_login(f"{provider.authorization_endpoint}?{urlencode(params)}", http=browser)
        )
        tokens = httpx.post(
            provider.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": callback["code"],
                "redirect_uri": CALLBACK_URL,
            },
            auth=(client.client_id, client.client_secret),
            timeout=10,
        ).json()
        end_session = f"{provider.endpoint('end_session')}?" + urlencode(
            {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": LOGOUT_CALLBACK_URL}
        )
        assert complete_logout(end_session, http=browser).startswith(LOGOUT_CALLBACK_URL)
    sid = JsonWebToken.decode_unverified(tokens["id_token"]).payload["sid"]
    delivered = [
        t
        for t in provider.backchannel_logout_tokens()
        if JsonWebToken.decode_unverified(t).payload.get("sid") == sid
    ]
    assert len(delivered) == 1, delivered
    yield LogoutResult(delivered[0], tokens["id_token"], sid)
    provider.clear_backchannel_logout_tokens()


def _id_config(audience: str = PUBLIC_CLIENT, **kw: Any) -> TokenValidationConfig:
    return TokenValidationConfig(perform_disco=True, audience=audience, **kw)


def _logout_config(audience: str = BACKCHANNEL_CLIENT, **kw: Any) -> TokenValidationConfig:
    return TokenValidationConfig(perform_disco=True, audience=audience, **kw)


def _provider_rsa_key(provider: RunningProvider) -> JsonWebKey:
    return JsonWebKey.from_dict(next(k for k in provider.signing_jwks["keys"] if k["kty"] == "RSA"))


def _resign(provider: RunningProvider, jwt: str, **changes: Any) -> str:
    """The token's claims (with ``changes``; None removes) signed with the provider's key."""
    decoded = JsonWebToken.decode_unverified(jwt)
    payload = {**decoded.payload, **changes}
    payload = {k: v for k, v in payload.items() if v is not None}
    key = _provider_rsa_key(provider)
    headers = {k: v for k, v in decoded.header.items() if k != "alg"}
    return sign_compact(payload, key, "RS256", headers=headers)


# ------------------------------------------------------------------- ID tokens


def test_id_token_from_the_code_flow_validates(
    api: Any, provider: RunningProvider, with_nonce: CodeFlowResult
) -> None:
    claims = api.validate_id_token(
        with_nonce.id_token,
        _id_config(),
        provider.issuer,
        nonce=with_nonce.nonce,
        access_token=with_nonce.access_token,
    )
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == PUBLIC_CLIENT
    assert claims["sub"] == "alice"
    assert claims["nonce"] == with_nonce.nonce
    assert isinstance(claims["auth_time"], int)
    # As a plain JWT too (validate_token), and with a max_age it satisfies.
    assert api.validate_token(with_nonce.id_token, _id_config(), provider.issuer) == claims
    assert api.validate_id_token(
        with_nonce.id_token, _id_config(), provider.issuer, nonce=with_nonce.nonce, max_age=3600
    )


def test_wrong_nonce_is_rejected(
    api: Any, provider: RunningProvider, with_nonce: CodeFlowResult
) -> None:
    for wrong in ("other-nonce", f"{with_nonce.nonce}x", (with_nonce.nonce or "")[:-1]):
        with pytest.raises(IdTokenValidationException) as info:
            api.validate_id_token(with_nonce.id_token, _id_config(), provider.issuer, nonce=wrong)
        assert with_nonce.nonce not in str(info.value)


def test_missing_nonce_is_rejected_when_one_was_sent(
    api: Any, provider: RunningProvider, without_nonce: CodeFlowResult
) -> None:
    assert "nonce" not in JsonWebToken.decode_unverified(without_nonce.id_token).payload
    with pytest.raises(IdTokenValidationException):
        api.validate_id_token(
            without_nonce.id_token, _id_config(), provider.issuer, nonce="expected-nonce"
        )
    # Without an expected nonce the same token is fine.
    claims = api.validate_id_token(without_nonce.id_token, _id_config(), provider.issuer)
    assert claims["sub"] == "alice"


def test_at_hash_of_the_real_token(
    api: Any, provider: RunningProvider, with_nonce: CodeFlowResult
) -> None:
    payload = JsonWebToken.decode_unverified(with_nonce.id_token).payload
    if "at_hash" not in payload:
        pytest.skip(
            "oidc-provider 9.13.3 puts no at_hash in ID tokens issued at the token endpoint "
            "(code flow); see test_at_hash_mismatch_is_rejected for the rule itself"
        )
    assert payload["at_hash"] == _left_half_sha256(with_nonce.access_token)
    with pytest.raises(IdTokenValidationException):
        api.validate_id_token(
            with_nonce.id_token,
            _id_config(),
            provider.issuer,
            nonce=with_nonce.nonce,
            access_token=with_nonce.access_token + "x",
        )


def test_at_hash_mismatch_is_rejected(
    api: Any, provider: RunningProvider, with_nonce: CodeFlowResult
) -> None:
    """An ID token with at_hash, signed with the provider's key, against the real JWKS."""
    access_token = with_nonce.access_token
    with_hash = _resign(provider, with_nonce.id_token, at_hash=_left_half_sha256(access_token))
    claims = api.validate_id_token(
        with_hash, _id_config(), provider.issuer, nonce=with_nonce.nonce, access_token=access_token
    )
    assert claims["at_hash"] == _left_half_sha256(access_token)
    other = secrets.token_urlsafe(32)
    with pytest.raises(IdTokenValidationException):
        api.validate_id_token(
            with_hash, _id_config(), provider.issuer, nonce=with_nonce.nonce, access_token=other
        )
    # A hash claim that is not a string, or empty, does not match either.
    for bad in ("", 12345):
        tampered = _resign(provider, with_nonce.id_token, at_hash=bad)
        with pytest.raises(IdTokenValidationException):
            api.validate_id_token(
                tampered, _id_config(), provider.issuer, access_token=access_token
            )


def test_max_age_with_an_old_auth_time(
    api: Any,
    provider: RunningProvider,
    with_nonce: CodeFlowResult,
    without_nonce: CodeFlowResult,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    auth_time = JsonWebToken.decode_unverified(with_nonce.id_token).payload["auth_time"]
    assert auth_time <= time.time()
    # Validate "10 seconds later", past max_age=0 plus the 5 s AUTH_TIME_ALLOWANCE, without
    # sleeping: the validation flow reads the clock through its module's `time`.
    later = SimpleNamespace(time=lambda: time.time() + 10)
    with monkeypatch.context() as patch:
        patch.setattr(validation_flow_module, "time", later)
        with pytest.raises(IdTokenValidationException, match="max_age"):
            api.validate_id_token(
                with_nonce.id_token,
                _id_config(leeway=0),
                provider.issuer,
                nonce=with_nonce.nonce,
                max_age=0,
            )
    # Leeway covers clock skew here too.
    assert api.validate_id_token(
        with_nonce.id_token, _id_config(leeway=3600), provider.issuer, max_age=0
    )
    assert api.validate_id_token(
        with_nonce.id_token, _id_config(leeway=0), provider.issuer, max_age=3600
    )
    # max_age requires auth_time: a token without one is rejected.
    assert "auth_time" not in JsonWebToken.decode_unverified(without_nonce.id_token).payload
    with pytest.raises(IdTokenValidationException):
        api.validate_id_token(without_nonce.id_token, _id_config(), provider.issuer, max_age=3600)


def test_id_token_audience_and_issuer(
    api: Any, provider: RunningProvider, with_nonce: CodeFlowResult
) -> None:
    with pytest.raises(InvalidAudienceException):
        api.validate_id_token(with_nonce.id_token, _id_config("client-basic"), provider.issuer)
    with pytest.raises(InvalidIssuerException):
        api.validate_id_token(
            with_nonce.id_token, _id_config(issuer="http://127.0.0.1:1"), provider.issuer
        )
    with pytest.raises(ConfigurationException):
        api.validate_id_token(
            with_nonce.id_token, TokenValidationConfig(perform_disco=True), provider.issuer
        )
    # An azp naming another client is refused even though aud contains ours.
    multi = _resign(provider, with_nonce.id_token, aud=[PUBLIC_CLIENT, "other"], azp="other")
    with pytest.raises(InvalidAudienceException):
        api.validate_id_token(multi, _id_config(), provider.issuer)
    # Several audiences without azp are refused as well.
    no_azp = _resign(provider, with_nonce.id_token, aud=[PUBLIC_CLIENT, "other"])
    with pytest.raises(InvalidAudienceException):
        api.validate_id_token(no_azp, _id_config(), provider.issuer)
    good = _resign(provider, with_nonce.id_token, aud=[PUBLIC_CLIENT, "other"], azp=PUBLIC_CLIENT)
    assert api.validate_id_token(good, _id_config(), provider.issuer)["azp"] == PUBLIC_CLIENT


def test_id_token_signed_by_another_key_is_rejected(
    api: Any, provider: RunningProvider, with_nonce: CodeFlowResult
) -> None:
    decoded = JsonWebToken.decode_unverified(with_nonce.id_token)
    attacker = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()))
    forged = sign_compact(
        decoded.payload,
        attacker,
        "ES256",
        headers={"kid": "op-ec-1", "jwk": attacker.public_jwk().to_dict()},
    )
    with pytest.raises(SignatureVerificationException):
        api.validate_id_token(forged, _id_config(), provider.issuer, nonce=with_nonce.nonce)


# --------------------------------------------------------------- logout tokens


def test_backchannel_logout_token_validates(
    api: Any, provider: RunningProvider, backchannel_logout: LogoutResult
) -> None:
    token = backchannel_logout.logout_token
    assert JsonWebToken.decode_unverified(token).typ == "logout+jwt"
    claims = api.validate_logout_token(token, _logout_config(), provider.issuer)
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == BACKCHANNEL_CLIENT
    assert claims["sub"] == "alice"
    assert claims["sid"] == backchannel_logout.sid
    assert BACKCHANNEL_EVENT in claims["events"]
    assert claims["jti"]
    assert "nonce" not in claims


def test_logout_token_audience_and_issuer(
    api: Any, provider: RunningProvider, backchannel_logout: LogoutResult
) -> None:
    token = backchannel_logout.logout_token
    with pytest.raises(InvalidAudienceException):
        api.validate_logout_token(token, _logout_config(PUBLIC_CLIENT), provider.issuer)
    with pytest.raises(InvalidIssuerException):
        api.validate_logout_token(
            token, _logout_config(issuer="http://127.0.0.1:1"), provider.issuer
        )


def test_id_token_is_not_a_logout_token(
    api: Any,
    provider: RunningProvider,
    backchannel_logout: LogoutResult,
    with_nonce: CodeFlowResult,
) -> None:
    # The client-backchannel ID token (same audience, no nonce): no events claim.
    with pytest.raises(LogoutTokenValidationException):
        api.validate_logout_token(backchannel_logout.id_token, _logout_config(), provider.issuer)
    # The public-native ID token has a nonce as well.
    with pytest.raises(LogoutTokenValidationException):
        api.validate_logout_token(
            with_nonce.id_token, _logout_config(PUBLIC_CLIENT), provider.issuer
        )


def test_logout_token_is_not_an_id_token(
    api: Any, provider: RunningProvider, backchannel_logout: LogoutResult
) -> None:
    with pytest.raises(TokenValidationException):
        api.validate_id_token(
            backchannel_logout.logout_token, _id_config(BACKCHANNEL_CLIENT), provider.issuer
        )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"nonce": "n-1"}, LogoutTokenValidationException),
        ({"nonce": ""}, LogoutTokenValidationException),
        ({"events": None}, LogoutTokenValidationException),
        ({"events": {"http://schemas.openid.net/event/other": {}}}, LogoutTokenValidationException),
        ({"events": {BACKCHANNEL_EVENT: "yes"}}, LogoutTokenValidationException),
        ({"events": [BACKCHANNEL_EVENT]}, LogoutTokenValidationException),
        ({"jti": None}, LogoutTokenValidationException),
        ({"iat": None}, LogoutTokenValidationException),
        ({"exp": None}, TokenValidationException),
        ({"sub": None, "sid": None}, LogoutTokenValidationException),
        ({"exp": 1_000_000}, TokenExpiredException),
    ],
    ids=[
        "nonce",
        "empty-nonce",
        "no-events",
        "other-event",
        "event-not-object",
        "events-array",
        "no-jti",
        "no-iat",
        "no-exp",
        "no-sub-no-sid",
        "expired",
    ],
)
def test_forged_logout_tokens_signed_by_the_provider_key(
    api: Any,
    provider: RunningProvider,
    backchannel_logout: LogoutResult,
    changes: dict[str, Any],
    expected: type[Exception],
) -> None:
    """Perfectly signed (provider key, real JWKS) but breaking one logout-token rule."""
    forged = _resign(provider, backchannel_logout.logout_token, **changes)
    with pytest.raises(expected) as info:
        api.validate_logout_token(forged, _logout_config(), provider.issuer)
    assert isinstance(info.value, PyIdentityModelException)


@pytest.mark.parametrize(
    "changes",
    [{}, {"sub": None}, {"sid": None}, {"events": {BACKCHANNEL_EVENT: {}, "urn:other": {}}}],
    ids=["as-issued", "sid-only", "sub-only", "extra-event"],
)
def test_resigned_logout_token_variants_are_accepted(
    api: Any, provider: RunningProvider, backchannel_logout: LogoutResult, changes: dict[str, Any]
) -> None:
    forged = _resign(provider, backchannel_logout.logout_token, **changes)
    claims = api.validate_logout_token(forged, _logout_config(), provider.issuer)
    assert BACKCHANNEL_EVENT in claims["events"]


# ------------------------------------------------- static key (our own signer)

_OWN_KEY = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="rp-test")
_OWN_ISSUER = "https://op.example"


def _own_logout_token(**changes: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": _OWN_ISSUER,
        "aud": BACKCHANNEL_CLIENT,
        "iat": now,
        "exp": now + 120,
        "jti": uuid.uuid4().hex,
        "sid": "session-1",
        "sub": "alice",
        "events": {BACKCHANNEL_EVENT: {}},
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return sign_compact(claims, _OWN_KEY, "ES256", headers={"kid": "rp-test", "typ": "logout+jwt"})


def _static_logout_config() -> TokenValidationConfig:
    return TokenValidationConfig(
        perform_disco=False,
        key=_OWN_KEY.public_jwk().to_dict(),
        audience=BACKCHANNEL_CLIENT,
        issuer=_OWN_ISSUER,
    )


def test_static_key_logout_token_rules(api: Any) -> None:
    cfg = _static_logout_config()
    assert api.validate_logout_token(_own_logout_token(), cfg)["sid"] == "session-1"
    with pytest.raises(LogoutTokenValidationException):
        api.validate_logout_token(_own_logout_token(nonce="abc"), cfg)
    with pytest.raises(LogoutTokenValidationException):
        api.validate_logout_token(_own_logout_token(events=None), cfg)
    with pytest.raises(LogoutTokenValidationException):
        api.validate_logout_token(_own_logout_token(sub=None, sid=None), cfg)
    with pytest.raises(LogoutTokenValidationException):
        api.validate_logout_token(_own_logout_token(jti=None), cfg)
    with pytest.raises(LogoutTokenValidationException):
        api.validate_logout_token(_own_logout_token(jti=""), cfg)
    assert api.validate_logout_token(_own_logout_token(sid=None), cfg)["sub"] == "alice"
    # typ: logout+jwt, JWT or absent are accepted; an access token type is not.
    token = _own_logout_token()
    decoded = JsonWebToken.decode_unverified(token)
    for typ in ("at+jwt", "dpop+jwt"):
        retyped = sign_compact(
            decoded.payload, _OWN_KEY, "ES256", headers={"kid": "rp-test", "typ": typ}
        )
        with pytest.raises(LogoutTokenValidationException):
            api.validate_logout_token(retyped, cfg)
    untyped = sign_compact(decoded.payload, _OWN_KEY, "ES256", headers={"kid": "rp-test"})
    assert api.validate_logout_token(untyped, cfg)["jti"] == decoded.payload["jti"]
