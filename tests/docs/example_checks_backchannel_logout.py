"""Output checks of docs/examples/backchannel_logout_sync.py and backchannel_logout_async.py
(collected by tests/docs/test_docs_examples.py), and the logout token each is given
(``EXTRA_ARGS``): alice logs in as ``client-backchannel`` and logs out at the provider, which
delivers a logout token to its built-in receiver."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from py_identity_model import JsonWebToken
from tests.provider.fixture import (
    CALLBACK_URL,
    LOGOUT_CALLBACK_URL,
    RunningProvider,
    complete_login,
    complete_logout,
)

CLIENT = "client-backchannel"


def delivered_logout_token(provider: RunningProvider) -> list[str]:
    client = provider.client(CLIENT)
    assert client.client_secret is not None
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        query = urlencode(
            {"client_id": CLIENT, "response_type": "code", "redirect_uri": CALLBACK_URL,
             "scope": "openid", "state": "docs"}
        )  # fmt: skip
        callback = complete_login(f"{provider.authorization_endpoint}?{query}", http=browser)
        tokens = httpx.post(
            provider.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": parse_qs(urlsplit(callback).query)["code"][0],
                "redirect_uri": CALLBACK_URL,
            },
            auth=(CLIENT, client.client_secret),
            timeout=10,
        ).json()
        end_session = f"{provider.endpoint('end_session')}?" + urlencode(
            {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": LOGOUT_CALLBACK_URL}
        )
        complete_logout(end_session, http=browser)
    sid = JsonWebToken.decode_unverified(tokens["id_token"]).payload["sid"]
    found = [
        token
        for token in provider.backchannel_logout_tokens()
        if JsonWebToken.decode_unverified(token).payload.get("sid") == sid
    ]
    assert len(found) == 1, found
    return found


def check_backchannel_logout_sync(out: str, provider: RunningProvider) -> None:
    assert "  ended sessions of sub=alice (sid=True): 2\n" in out
    assert f"  issuer: {provider.issuer}\n" in out
    assert "logout POST: 200 OK {'Cache-Control': 'no-store'} \n" in out
    assert "  refused: logout_token_replayed: the logout token was already received" in out
    assert re.search(r"^delivered again: 400 Bad Request \{'Cache-Control': 'no-store', "
                     r"'Content-Type': 'application/json'\} \{\"error\":\"invalid_request\","
                     r"\"error_description\":\"the logout token was already received", out, re.M)  # fmt: skip
    assert "  refused: invalid_logout_request: the request must be application/x-www-form-" in out
    assert re.search(r"^as JSON: 400 Bad Request ", out, re.M)
    assert "  refused: invalid_logout_token: " in out
    assert re.search(r"^tampered: 400 Bad Request ", out, re.M)


def check_backchannel_logout_async(out: str, provider: RunningProvider) -> None:
    assert "statuses: [200, 400, 400]\n" in out
    assert "ended: sub=alice\n" in out
    assert f"issuer: {provider.issuer}\n" in out
    assert "codes: ['invalid_logout_token', 'logout_token_replayed']\n" in out
    assert "shared store keys: 1\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "backchannel_logout_async": check_backchannel_logout_async,
    "backchannel_logout_sync": check_backchannel_logout_sync,
}
EXTRA_ARGS: dict[str, Callable[[RunningProvider], list[str]]] = {
    "backchannel_logout_async": delivered_logout_token,
    "backchannel_logout_sync": delivered_logout_token,
}
