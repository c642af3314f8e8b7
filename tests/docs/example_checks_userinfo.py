"""Output checks of docs/examples/userinfo_sync.py and userinfo_async.py (collected by
tests/docs/test_docs_examples.py), and the user's access token they are given (``EXTRA_ARGS``):
alice logs in as ``client-basic`` with the authorization code flow + PKCE."""

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


def alice_access_token(provider: RunningProvider) -> list[str]:
    client = provider.client("client-basic")
    verifier, challenge = generate_pkce_pair()
    url = build_authorization_url(
        provider.authorization_endpoint,
        client.client_id,
        CALLBACK_URL,
        "openid profile email",
        state="docs-state",
        nonce="docs-nonce",
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


def check_userinfo_sync(out: str, provider: RunningProvider) -> None:
    alice = provider.account_claims("alice")
    assert f"issuer: {provider.issuer}\n" in out
    assert "sub: alice\n" in out
    assert f"name: {alice['name']}\n" in out
    assert f"email: {alice['email']} verified: True\n" in out
    assert "content: JSON\n" in out
    assert "POST with expected_sub: is_successful=True sub=alice\n" in out
    assert "broken token: is_successful=False http_status=401 error_code=invalid_token\n" in out
    assert "  error_description: invalid token provided\n" in out
    assert "wrong expected_sub: is_successful=False error_code=sub_mismatch\n" in out
    assert "  error: UserInfo endpoint: the answer is for another subject" in out
    assert "token=[redacted]" in out


def check_userinfo_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "sub: alice\n" in out
    claims = next(line for line in out.splitlines() if line.startswith("claims: "))
    for name in ("'sub'", "'name'", "'email'", "'email_verified'"):
        assert name in claims, claims
    assert "broken token: error_code=invalid_token http_status=401\n" in out
    assert "  error_description: invalid token provided\n" in out
    assert "wrong expected_sub: is_successful=False error_code=sub_mismatch\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "userinfo_async": check_userinfo_async,
    "userinfo_sync": check_userinfo_sync,
}
EXTRA_ARGS: dict[str, Callable[[RunningProvider], list[str]]] = {
    "userinfo_async": alice_access_token,
    "userinfo_sync": alice_access_token,
}
