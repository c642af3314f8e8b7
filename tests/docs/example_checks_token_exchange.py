"""Output checks of docs/examples/token_exchange_sync.py and token_exchange_async.py
(collected by tests/docs/test_docs_examples.py), and the subject token they are given
(``EXTRA_ARGS``): the provider exchanges only tokens that represent an end-user
(tests/provider/README.md, "Token exchange"), so alice logs in as ``client-basic`` with the
authorization code flow + PKCE and her access token is ``argv[2]``."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    build_authorization_url,
    generate_pkce_pair,
    request_authorization_code_token,
)
from tests.provider.fixture import CALLBACK_URL, RunningProvider, complete_login

ACCESS = "urn:ietf:params:oauth:token-type:access_token"


def user_access_token(provider: RunningProvider) -> list[str]:
    client = provider.client("client-basic")
    verifier, challenge = generate_pkce_pair()
    url = build_authorization_url(
        provider.authorization_endpoint,
        client.client_id,
        CALLBACK_URL,
        "openid profile api:read",
        state="exchange-state",
        nonce="exchange-nonce",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    code = parse_qs(urlsplit(complete_login(url, login="alice")).query)["code"][0]
    tokens = request_authorization_code_token(
        AuthorizationCodeTokenRequest(
            provider.token_endpoint, client.client_id, code, CALLBACK_URL, verifier,
            client.client_secret,
        )
    )  # fmt: skip
    assert tokens.is_successful and tokens.access_token, tokens.error
    return [tokens.access_token]


def check_token_exchange_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert f"issued_token_type: {ACCESS}\n" in out
    assert "token_type: Bearer expires_in: 3600\n" in out
    assert "delegated: sub=alice aud=urn:test:api:es256 scope=api:read\n" in out
    assert "act: {'sub': 'client-post'}\n" in out
    assert (
        "unknown subject token: is_successful=False error_code=invalid_grant http_status=400\n"
        in out
    )
    assert "actor_token without actor_token_type: ConfigurationException\n" in out
    assert "subject_token=[redacted]" in out and "actor_token=[redacted]" in out
    assert "client_secret=[redacted]" in out and "client-basic-secret" not in out


def check_token_exchange_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    for api, how in (
        ("urn:test:api:rs256", "resource"),
        ("urn:test:api:ps256", "resource"),
        ("urn:test:api:eddsa", "audience"),
    ):
        line = f"{api} by {how}: sub=alice aud={api} issued_token_type={ACCESS}\n"
        assert line in out, line


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "token_exchange_async": check_token_exchange_async,
    "token_exchange_sync": check_token_exchange_sync,
}
EXTRA_ARGS: dict[str, Callable[[RunningProvider], list[str]]] = {
    "token_exchange_async": user_access_token,
    "token_exchange_sync": user_access_token,
}
