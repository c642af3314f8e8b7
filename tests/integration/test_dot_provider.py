"""The library against a second, independent provider: django-oauth-toolkit 3.x (DOT).

DOT runs in this process (tests/provider_dot, the session fixture ``dot_provider``), so a
test can change what it does at run time. It covers what oidc-provider cannot show:

* ID tokens MACed with the client secret (OpenID Connect Core §10.1): DOT's
  ``Application.algorithm = "HS256"`` (the ``dot-hs256`` application);
* signing-key rotation: DOT signs with ``OIDC_RSA_PRIVATE_KEY`` and publishes
  ``OIDC_RSA_PRIVATE_KEYS_INACTIVE`` too; a test swaps the active key while the validator's
  caches are warm and the new key must be followed at once (one JWKS refetch), not after the
  JWKS refresh cooldown;

and the core flows against it (discovery, JWKS, client credentials with Basic and POST
client authentication, OidcClient logins with PKCE). Every test runs sync and async (``api``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from py_identity_model import (
    ClientCredentialsTokenRequest,
    ConfigurationException,
    DiscoveryDocumentRequest,
    HTTPClient,
    InvalidAlgorithmException,
    InvalidAudienceException,
    JsonWebToken,
    JwksRequest,
    KeyNotFoundException,
    RefreshTokenRequest,
    SignatureVerificationException,
    TokenValidationConfig,
    TokenValidator,
    get_options,
)
from py_identity_model.aio import AsyncHTTPClient
from py_identity_model.jose import JsonWebKey, sign_compact
from py_identity_model.login import AuthorizeState, LoginResult, OidcClient, OidcClientOptions
from py_identity_model.validation.key_source import clear_shared_key_sources
from tests.provider_dot.fixture import CALLBACK_URL, DotClient, RunningDotProvider, dot_login


@pytest.fixture(autouse=True)
def _cold_shared_caches() -> Iterator[None]:
    # validate_token / validate_id_token share key sources per address: start each test cold
    # (a rotation test changes DOT's keys).
    clear_shared_key_sources()
    yield
    clear_shared_key_sources()


# ------------------------------------------------------------------ helpers


class Recorder:
    """A transport that records every request and delegates to the library's own client."""

    def __init__(self) -> None:
        self.requests: list[Any] = []

    @property
    def counts(self) -> Counter[str]:
        return Counter(urlsplit(request.url).path for request in self.requests)


class SyncRecorder(Recorder):
    def __init__(self) -> None:
        super().__init__()
        self.inner = HTTPClient()

    def send_request(self, request: Any) -> Any:
        self.requests.append(request)
        return self.inner.send_request(request)


class AsyncRecorder(Recorder):
    async def send_request(self, request: Any) -> Any:
        self.requests.append(request)
        # One client per request: the tests run each call in its own event loop.
        inner = AsyncHTTPClient()
        try:
            return await inner.send_request(request)
        finally:
            await inner.aclose()


def _recorder(api: Any) -> Any:
    return AsyncRecorder() if api.is_async else SyncRecorder()


def _paths(dot: RunningDotProvider) -> tuple[str, str]:
    return urlsplit(dot.discovery_url).path, urlsplit(dot.jwks_uri).path


def _fetches(dot: RunningDotProvider, recorder: Recorder) -> tuple[int, int]:
    """(discovery fetches, JWKS fetches) seen by ``recorder``."""
    disco, jwks = _paths(dot)
    return recorder.counts[disco], recorder.counts[jwks]


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def _without_query_param(url: str, name: str) -> str:
    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return urlunsplit(parts._replace(query=urlencode(params)))


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _prepare(api: Any, client: OidcClient, **kw: Any) -> AuthorizeState:
    if api.is_async:
        return asyncio.run(client.aprepare_login(**kw))
    return client.prepare_login(**kw)


def _process(api: Any, client: OidcClient, callback: str, state: AuthorizeState) -> LoginResult:
    if api.is_async:
        return asyncio.run(client.aprocess_response(callback, state))
    return client.process_response(callback, state)


def _oidc_client(
    dot: RunningDotProvider, name: str, *, http_client: Any = None, **kw: Any
) -> OidcClient:
    client = dot.client(name)
    kw.setdefault("client_secret", client.client_secret)
    kw.setdefault("scope", "openid profile email")
    options = OidcClientOptions(dot.issuer, client.client_id, CALLBACK_URL, **kw)
    return OidcClient(options, http_client=http_client)


def _login(api: Any, dot: RunningDotProvider, client: OidcClient) -> tuple[LoginResult, Any]:
    state = _prepare(api, client)
    callback = dot_login(state.url)
    return _process(api, client, callback, state), state


def _assert_logged_in(
    result: LoginResult, state: AuthorizeState, dot: RunningDotProvider, client: DotClient
) -> None:
    assert result.is_successful, (result.error_code, result.error, dot.server_errors())
    assert result.error is None
    claims = result.claims
    assert claims is not None
    assert claims["iss"] == dot.issuer
    assert claims["aud"] == client.client_id
    assert claims["sub"] == dot.user_sub
    assert claims["nonce"] == state.nonce
    assert claims["preferred_username"] == "alice"
    assert claims["email"] == "alice@example.com"
    assert claims["name"] == "Alice Liddell"
    assert isinstance(claims["auth_time"], int)
    assert claims["exp"] > time.time()
    principal = result.principal
    assert principal is not None
    sub = principal.find_first("sub")
    assert sub is not None and sub.value == dot.user_sub
    assert sub.issuer == dot.issuer
    assert principal.has_claim("email", "alice@example.com")
    assert principal.identity is not None and principal.identity.is_authenticated()
    assert result.access_token
    assert result.refresh_token  # DOT always issues one with the code grant
    assert result.id_token and result.id_token.count(".") == 2
    assert result.expires_at is not None and result.expires_at > time.time()


def _raw_code_flow(dot: RunningDotProvider, name: str) -> dict[str, Any]:
    """Authorization code + PKCE with plain httpx (not the library): DOT's token response,
    with the ``nonce`` that was sent."""
    client = dot.client(name)
    verifier = secrets.token_urlsafe(48)
    nonce = secrets.token_urlsafe(16)
    state = secrets.token_urlsafe(16)
    query = {
        "client_id": client.client_id,
        "redirect_uri": CALLBACK_URL,
        "response_type": "code",
        "scope": "openid profile email",
        "state": state,
        "nonce": nonce,
        "code_challenge": _s256(verifier),
        "code_challenge_method": "S256",
    }
    callback = _query(dot_login(f"{dot.authorization_endpoint}?{urlencode(query)}"))
    assert callback.get("state") == state, callback
    response = httpx.post(
        dot.token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": callback["code"],
            "redirect_uri": CALLBACK_URL,
            "code_verifier": verifier,
        },
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )
    assert response.status_code == 200, (response.text, dot.server_errors())
    return {**response.json(), "nonce": nonce}


def _validator_call(api: Any, validator: TokenValidator) -> Callable[[str], dict[str, Any]]:
    if api.is_async:
        return lambda token: asyncio.run(validator.avalidate(token))
    return validator.validate


def _stranger_key(kid: str) -> JsonWebKey:
    return JsonWebKey.from_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048), kid=kid
    )


# ------------------------------------------------------------------ discovery and JWKS


def test_discovery(api: Any, dot_provider: RunningDotProvider) -> None:
    dot = dot_provider
    disco = api.get_discovery_document(DiscoveryDocumentRequest(dot.issuer))
    assert disco.is_successful, (disco.error_code, disco.error)
    assert disco.http_status == 200
    assert disco.issuer == dot.issuer
    assert disco.issuer.startswith("http://127.0.0.1:")  # loopback http is allowed
    assert disco.jwks_uri == dot.jwks_uri
    assert disco.token_endpoint == dot.token_endpoint
    assert disco.authorization_endpoint == dot.authorization_endpoint
    assert disco.userinfo_endpoint == f"{dot.issuer}/userinfo/"
    assert disco.id_token_signing_alg_values_supported == ["RS256", "HS256"]
    assert disco.code_challenge_methods_supported == ["S256"]
    assert disco.authorization_response_iss_parameter_supported is True
    assert set(disco.token_endpoint_auth_methods_supported or []) == {
        "client_secret_basic",
        "client_secret_post",
    }
    # The full well-known URL works as the address too.
    again = api.get_discovery_document(DiscoveryDocumentRequest(dot.discovery_url))
    assert again.is_successful, again.error
    assert again.issuer == dot.issuer


def test_jwks(api: Any, dot_provider: RunningDotProvider) -> None:
    jwks = api.get_jwks(JwksRequest(dot_provider.jwks_uri))
    assert jwks.is_successful, (jwks.error_code, jwks.error)
    assert jwks.skipped_keys == []
    assert [key.kid for key in jwks.keys] == dot_provider.published_kids
    (key,) = jwks.keys
    assert (key.kty, key.alg, key.use) == ("RSA", "RS256", "sig")
    assert key.kid == dot_provider.signing_kid == key.thumbprint()  # DOT's kid: RFC 7638
    assert not key.has_private_key
    assert key.key_size == 2048


# ------------------------------------------------------------------ client credentials


@pytest.mark.parametrize("method", [None, "client_secret_basic", "client_secret_post"])
def test_client_credentials(api: Any, dot_provider: RunningDotProvider, method: str | None) -> None:
    client = dot_provider.client("dot-cc")
    assert client.hashed  # DOT keeps only a hash: the plaintext works at the token endpoint
    recorder = _recorder(api)
    request = ClientCredentialsTokenRequest(
        dot_provider.token_endpoint,
        client.client_id,
        client.client_secret,
        scope="read write",
        client_auth_method=method,
    )
    response = api.request_client_credentials_token(request, recorder)
    assert response.is_successful, (response.error, response.error_description)
    assert response.http_status == 200
    assert response.access_token
    assert response.token_type == "Bearer"
    assert response.expires_in == 3600
    assert response.expires_at is not None and response.expires_at > time.time()
    assert response.scope == "read write"
    assert response.refresh_token is None  # no refresh token with client credentials
    # The request authenticated as asked (Basic is the default for a secret).
    (sent,) = recorder.requests
    body = dict(parse_qsl((sent.body or b"").decode("ascii")))
    assert body["grant_type"] == "client_credentials"
    if method == "client_secret_post":
        assert "authorization" not in sent.headers
        assert (body["client_id"], body["client_secret"]) == (
            client.client_id,
            client.client_secret,
        )
    else:
        assert sent.headers["authorization"].startswith("Basic ")
        assert "client_secret" not in body


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_client_credentials_wrong_secret(
    api: Any, dot_provider: RunningDotProvider, method: str
) -> None:
    client = dot_provider.client("dot-cc")
    request = ClientCredentialsTokenRequest(
        dot_provider.token_endpoint,
        client.client_id,
        secrets.token_urlsafe(48),
        client_auth_method=method,
    )
    response = api.request_client_credentials_token(request)
    assert not response.is_successful
    assert response.error == "invalid_client"
    assert response.http_status == 401


# ------------------------------------------------------------------ OidcClient login, RS256


@pytest.mark.parametrize("method", [None, "client_secret_post"])
def test_login_rs256(api: Any, dot_provider: RunningDotProvider, method: str | None) -> None:
    dot = dot_provider
    client = _oidc_client(dot, "dot-rs256", client_auth_method=method)
    state = _prepare(api, client)
    params = _query(state.url)
    assert state.url.split("?", 1)[0] == dot.authorization_endpoint
    assert params["client_id"] == dot.client("dot-rs256").client_id
    assert params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"] == _s256(state.code_verifier)
    assert params["nonce"] == state.nonce

    callback = dot_login(state.url)
    assert _query(callback)["iss"] == dot.issuer  # RFC 9207, advertised and sent
    result = _process(api, client, callback, state)
    _assert_logged_in(result, state, dot, dot.client("dot-rs256"))
    assert result.id_token is not None
    header = JsonWebToken.decode_unverified(result.id_token).header
    assert header["alg"] == "RS256"
    assert header["kid"] == dot.signing_kid


def test_login_without_iss_parameter(api: Any, dot_provider: RunningDotProvider) -> None:
    """DOT 3.x's default: no RFC 9207 ``iss`` in the response, and none advertised."""
    dot = dot_provider
    with dot.oauth2_settings(COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS=False):
        client = _oidc_client(dot, "dot-rs256")
        state = _prepare(api, client)
        callback = dot_login(state.url)
        assert "iss" not in _query(callback)
        result = _process(api, client, callback, state)
    _assert_logged_in(result, state, dot, dot.client("dot-rs256"))


def test_advertised_iss_parameter_is_required(api: Any, dot_provider: RunningDotProvider) -> None:
    client = _oidc_client(dot_provider, "dot-rs256")
    state = _prepare(api, client)
    callback = _without_query_param(dot_login(state.url), "iss")
    result = _process(api, client, callback, state)
    assert not result.is_successful
    assert result.error_code == "missing_issuer"
    assert result.token_response is None  # the code was not redeemed


def test_replayed_code_is_refused(api: Any, dot_provider: RunningDotProvider) -> None:
    dot = dot_provider
    client = _oidc_client(dot, "dot-rs256")
    state = _prepare(api, client)
    callback = dot_login(state.url)
    _assert_logged_in(_process(api, client, callback, state), state, dot, dot.client("dot-rs256"))
    again = _process(api, client, callback, state)
    assert not again.is_successful
    assert again.error == "invalid_grant"
    assert again.http_status == 400
    assert again.principal is None


def test_wrong_client_secret_is_invalid_client(api: Any, dot_provider: RunningDotProvider) -> None:
    client = _oidc_client(dot_provider, "dot-rs256", client_secret=secrets.token_urlsafe(48))
    result, _ = _login(api, dot_provider, client)
    assert not result.is_successful
    assert result.error == "invalid_client"
    assert result.http_status == 401
    assert result.principal is None


def test_refresh_token(api: Any, dot_provider: RunningDotProvider) -> None:
    dot = dot_provider
    client = dot.client("dot-rs256")
    result, _ = _login(api, dot, _oidc_client(dot, "dot-rs256"))
    assert result.is_successful, (result.error_code, result.error)
    assert result.refresh_token is not None
    request = RefreshTokenRequest(
        address=dot.token_endpoint,
        client_id=client.client_id,
        refresh_token=result.refresh_token,
        client_secret=client.client_secret,
    )
    refreshed = api.refresh_token(request)
    assert refreshed.is_successful, (refreshed.error, refreshed.error_description)
    assert refreshed.access_token and refreshed.access_token != result.access_token
    assert refreshed.refresh_token and refreshed.refresh_token != result.refresh_token  # rotated
    # The old refresh token is spent.
    replay = api.refresh_token(request)
    assert not replay.is_successful
    assert replay.error == "invalid_grant"


# ------------------------------------------------------------------ ID tokens MACed with the secret


def test_login_hs256(api: Any, dot_provider: RunningDotProvider) -> None:
    dot = dot_provider
    hs = dot.client("dot-hs256")
    assert not hs.hashed  # DOT needs the plaintext secret as the HMAC key
    assert len(hs.client_secret.encode()) >= 32
    client = _oidc_client(dot, "dot-hs256", id_token_algorithms=["HS256"])
    result, state = _login(api, dot, client)
    _assert_logged_in(result, state, dot, hs)
    assert result.id_token is not None
    header = JsonWebToken.decode_unverified(result.id_token).header
    assert header["alg"] == "HS256"
    assert "kid" not in header


def test_hs256_without_client_secret_is_refused_at_construction(
    dot_provider: RunningDotProvider,
) -> None:
    hs = dot_provider.client("dot-hs256")
    with pytest.raises(ConfigurationException, match="HS256"):
        OidcClientOptions(
            dot_provider.issuer, hs.client_id, CALLBACK_URL, id_token_algorithms=["HS256"]
        )


def test_hs256_id_token_is_refused_unless_configured(
    api: Any, dot_provider: RunningDotProvider
) -> None:
    """A client that did not name HS256 never accepts a MACed ID token (default: the
    asymmetric algorithms the provider advertises)."""
    client = _oidc_client(dot_provider, "dot-hs256")  # the secret, but no id_token_algorithms
    result, _ = _login(api, dot_provider, client)
    assert not result.is_successful
    assert result.error_code == "invalid_id_token"
    assert result.access_token is None
    assert result.principal is None


@pytest.fixture(scope="module")
def hs256_tokens(dot_provider: RunningDotProvider) -> dict[str, Any]:
    """One DOT token response for the HS256 application (fetched with plain httpx)."""
    return _raw_code_flow(dot_provider, "dot-hs256")


def _hs256_config(client: DotClient, **kw: Any) -> TokenValidationConfig:
    kw.setdefault("client_secret", client.client_secret)
    kw.setdefault("algorithms", ["HS256"])
    return TokenValidationConfig(perform_disco=True, audience=client.client_id, **kw)


def test_validate_id_token_hs256(
    api: Any, dot_provider: RunningDotProvider, hs256_tokens: dict[str, Any]
) -> None:
    dot = dot_provider
    hs = dot.client("dot-hs256")
    id_token = hs256_tokens["id_token"]
    assert JsonWebToken.decode_unverified(id_token).alg == "HS256"
    recorder = _recorder(api)
    claims = api.validate_id_token(
        id_token,
        _hs256_config(hs),
        dot.issuer,
        recorder,
        nonce=hs256_tokens["nonce"],
        access_token=hs256_tokens["access_token"],  # at_hash
    )
    assert claims["iss"] == dot.issuer
    assert claims["aud"] == hs.client_id
    assert claims["sub"] == dot.user_sub
    assert claims["nonce"] == hs256_tokens["nonce"]
    assert "at_hash" in claims
    # The issuer came from discovery; the JWKS was never needed for an HMAC.
    assert _fetches(dot, recorder) == (1, 0)


def test_validate_id_token_hs256_failures(
    api: Any, dot_provider: RunningDotProvider, hs256_tokens: dict[str, Any]
) -> None:
    dot = dot_provider
    hs = dot.client("dot-hs256")
    id_token = hs256_tokens["id_token"]
    # Another secret (of a valid length) does not verify it.
    with pytest.raises(SignatureVerificationException):
        api.validate_id_token(
            id_token, _hs256_config(hs, client_secret=secrets.token_urlsafe(48)), dot.issuer
        )
    # Another client's audience.
    other = dot.client("dot-rs256").client_id
    cfg = TokenValidationConfig(
        perform_disco=True, audience=other, algorithms=["HS256"], client_secret=hs.client_secret
    )
    with pytest.raises(InvalidAudienceException):
        api.validate_id_token(id_token, cfg, dot.issuer)
    # Not configured for HS256: refused by algorithm, never verified with JWKS keys.
    rs_only = TokenValidationConfig(perform_disco=True, audience=hs.client_id)
    with pytest.raises(InvalidAlgorithmException):
        api.validate_id_token(id_token, rs_only, dot.issuer)
    # HS256 without the secret is misuse, caught before any request.
    with pytest.raises(ConfigurationException):
        api.validate_id_token(
            id_token,
            TokenValidationConfig(perform_disco=True, audience=hs.client_id, algorithms=["HS256"]),
            dot.issuer,
        )


def test_hs256_token_maced_with_the_public_key_is_rejected(
    api: Any, dot_provider: RunningDotProvider, hs256_tokens: dict[str, Any]
) -> None:
    """Algorithm confusion: an HS256 token whose MAC key is DOT's published RSA key (as JWK
    JSON or as ``n``), under DOT's kid. The HMAC key is the client secret, never a JWKS key."""
    dot = dot_provider
    hs = dot.client("dot-hs256")
    payload = dict(JsonWebToken.decode_unverified(hs256_tokens["id_token"]).payload)
    published = httpx.get(dot.jwks_uri, timeout=10).json()["keys"][0]
    for material in (
        httpx.get(dot.jwks_uri, timeout=10).content,
        base64.urlsafe_b64decode(published["n"] + "=" * (-len(published["n"]) % 4)),
    ):
        forged = sign_compact(
            payload,
            JsonWebKey.from_key(material),
            "HS256",
            headers={"typ": "JWT", "kid": published["kid"]},
        )
        with pytest.raises(SignatureVerificationException):
            api.validate_id_token(forged, _hs256_config(hs), dot.issuer)
        both = _hs256_config(hs, algorithms=["RS256", "HS256"])
        with pytest.raises(SignatureVerificationException):
            api.validate_id_token(forged, both, dot.issuer)


# ------------------------------------------------------------------ signing-key rotation


@pytest.mark.parametrize("keep_previous", [True, False], ids=["old-key-kept", "old-key-replaced"])
def test_key_rotation_is_followed_at_once(
    api: Any, dot_provider: RunningDotProvider, keep_previous: bool
) -> None:
    """Warm validator; DOT publishes a new key and signs with it at once: the next token
    validates immediately after one JWKS refetch, not after the refresh cooldown."""
    dot = dot_provider
    rs = dot.client("dot-rs256")
    cooldown = get_options().jwks_refresh_cooldown
    assert cooldown >= 10  # the library default (30 s): this test runs well within it
    recorder = _recorder(api)
    validator = TokenValidator(
        TokenValidationConfig(perform_disco=True, audience=rs.client_id, algorithms=["RS256"]),
        disco_doc_address=dot.issuer,
        http_client=recorder,
    )
    validate = _validator_call(api, validator)

    old_kid = dot.signing_kid
    before = _raw_code_flow(dot, "dot-rs256")["id_token"]
    assert JsonWebToken.decode_unverified(before).kid == old_kid
    assert validate(before)["sub"] == dot.user_sub
    assert validate(before)["aud"] == rs.client_id
    assert _fetches(dot, recorder) == (1, 1)  # warm now

    started = time.monotonic()
    with dot.rotated_signing_key(keep_previous=keep_previous) as new_kid:
        assert new_kid != old_kid
        published = [k["kid"] for k in httpx.get(dot.jwks_uri, timeout=10).json()["keys"]]
        assert published == ([new_kid, old_kid] if keep_previous else [new_kid])
        after = _raw_code_flow(dot, "dot-rs256")["id_token"]
        assert JsonWebToken.decode_unverified(after).kid == new_kid

        claims = validate(after)
        assert claims["sub"] == dot.user_sub
        assert _fetches(dot, recorder) == (1, 2)  # exactly one refetch
        assert validate(after) == claims  # the refetched set is cached
        assert _fetches(dot, recorder) == (1, 2)

        # A token of the previous key: still valid while DOT publishes it; otherwise its kid
        # is gone and it is refused without a fetch (the cooldown started at the refetch).
        if keep_previous:
            assert validate(before)["sub"] == dot.user_sub
        else:
            with pytest.raises(KeyNotFoundException):
                validate(before)
        assert _fetches(dot, recorder) == (1, 2)

        # A kid DOT never published: refused, and a flood of them causes no further fetch
        # within the cooldown.
        payload = dict(JsonWebToken.decode_unverified(after).payload)
        for _ in range(3):
            stranger = _stranger_key(f"unknown-{uuid.uuid4().hex}")
            forged = sign_compact(
                payload, stranger, "RS256", headers={"typ": "JWT", "kid": stranger.kid}
            )
            with pytest.raises(KeyNotFoundException):
                validate(forged)
        assert _fetches(dot, recorder) == (1, 2)
        # A forgery under the new, known kid fails its signature (no fetch either).
        impostor = _stranger_key(new_kid)
        forged = sign_compact(payload, impostor, "RS256", headers={"typ": "JWT", "kid": new_kid})
        with pytest.raises(SignatureVerificationException):
            validate(forged)
        assert _fetches(dot, recorder) == (1, 2)
    assert time.monotonic() - started < cooldown


def test_login_right_after_key_rotation(api: Any, dot_provider: RunningDotProvider) -> None:
    """The user-facing outage: an OidcClient with warm caches logs a user in right after
    the provider rotated its key."""
    dot = dot_provider
    recorder = _recorder(api)
    client = _oidc_client(dot, "dot-rs256", http_client=recorder)
    first, state = _login(api, dot, client)
    _assert_logged_in(first, state, dot, dot.client("dot-rs256"))
    assert _fetches(dot, recorder) == (1, 1)
    with dot.rotated_signing_key(keep_previous=False) as new_kid:
        second, state = _login(api, dot, client)
        _assert_logged_in(second, state, dot, dot.client("dot-rs256"))
        assert second.id_token is not None
        assert JsonWebToken.decode_unverified(second.id_token).kid == new_kid
    assert _fetches(dot, recorder) == (1, 2)
