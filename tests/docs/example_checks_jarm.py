"""Output checks of docs/examples/jarm_sync.py and jarm_async.py (collected by
tests/docs/test_docs_examples.py): JARM logins of ``client-jarm`` at the test provider."""

from __future__ import annotations

from collections.abc import Callable

from tests.provider.fixture import RunningProvider


def check_jarm_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    modes = next(line for line in out.splitlines() if line.startswith("JWT response modes: "))
    assert set(modes.split(": ")[1].split()) == {
        "jwt",
        "query.jwt",
        "fragment.jwt",
        "form_post.jwt",
    }
    assert "JARM response: True\n" in out
    assert "issuer matches: True\n" in out
    assert "state matches: True\n" in out
    assert "code received: True\n" in out
    assert "code redeemed: True id_token: True\n" in out
    assert "another client: invalid_jarm_response reason=invalid_audience\n" in out
    assert "plain parameters: invalid_jarm_response reason=invalid_callback\n" in out
    assert "unexpectedly accepted" not in out


def check_jarm_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "posted fields: response\n" in out
    assert "login: True sub: alice\n" in out
    assert "plain callback: jarm_response_required\n" in out
    assert "declined: False error: access_denied\n" in out
    assert "state of that login: True\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "jarm_async": check_jarm_async,
    "jarm_sync": check_jarm_sync,
}
