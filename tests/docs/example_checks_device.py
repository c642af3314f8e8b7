"""Output checks of docs/examples/device_flow_{sync,async}.py (see test_docs_examples)."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.provider.fixture import RunningProvider


def check_device_flow_sync(out: str, provider: RunningProvider) -> None:
    endpoint = provider.endpoint("device_authorization_endpoint")
    assert f"device_authorization_endpoint: {endpoint}\n" in out
    shown = re.search(r"^go to (\S+) and enter (\S+)$", out, re.MULTILINE)
    assert shown, out
    assert shown.group(1).startswith(provider.issuer)
    assert re.fullmatch(r"[A-Z]{4}-[A-Z]{4}", shown.group(2)), shown.group(2)
    assert "verification_uri_complete given: True\n" in out
    assert "expires_in=600 interval=5\n" in out
    assert (
        "first poll: is_successful=False error_code=authorization_pending next poll in 5 s\n"
    ) in out
    waits = re.findall(r"^  poll (\d+): authorization_pending, waiting 1 s$", out, re.MULTILINE)
    assert waits[:2] == ["1", "2"], out
    assert "gave up: error_code=polling_timeout error_type=policy\n" in out
    assert "the next poll would come after the deadline of 3 s" in out


def check_device_flow_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "user code of 9 characters, interval=5\n" in out
    assert "first poll: error_code=authorization_pending\n" in out
    assert "with a callback: error_code=polling_cancelled after 2 waits\n" in out
    assert "task cancelled: True\n" in out
    assert "the loop kept running while polling: True\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "device_flow_sync": check_device_flow_sync,
    "device_flow_async": check_device_flow_async,
}
