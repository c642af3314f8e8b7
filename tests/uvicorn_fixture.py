"""A real ``uvicorn`` server process for the framework-integration tests.

:func:`serve_asgi_app` starts ``python -m uvicorn <module>:<attribute>`` on a free loopback
port with the environment it is given (the example apps are configured only by environment
variables), waits until ``GET <ready_path>`` answers, and stops the process on exit (SIGTERM,
then SIGKILL). It fails loudly, with the server's own output, when the app does not start.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx


class UvicornFixtureError(RuntimeError):
    """The app could not be served."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningApp:
    port: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def output(self) -> str:
        """What the server printed so far (uvicorn's log and any traceback)."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _wait_ready(app: RunningApp, ready_path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise UvicornFixtureError(
                f"uvicorn exited with status {app.process.returncode}:\n{app.output()}"
            )
        try:
            if httpx.get(app.url(ready_path), timeout=1.0).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    app.stop()
    raise UvicornFixtureError(
        f"uvicorn did not answer {ready_path} in {timeout} s:\n{app.output()}"
    )


@contextmanager
def serve_asgi_app(
    app_dir: Path,
    target: str,
    env: Mapping[str, str],
    *,
    ready_path: str = "/health",
    timeout: float = 30.0,
    proxy_headers: bool = False,
) -> Iterator[RunningApp]:
    """Serve ``target`` (``module:attribute`` inside ``app_dir``) with uvicorn on 127.0.0.1.

    ``env`` is added to this process's environment (``PYTHONPATH`` keeps the checkout's
    ``src`` and root first, so the app imports this library and ``tests``). uvicorn's own
    ``X-Forwarded-Proto``/``-For`` handling (on by default for loopback peers) is off unless
    ``proxy_headers``: the apps under test decide what to believe.
    """
    root = Path(__file__).resolve().parents[1]
    environment = dict(os.environ)
    environment.update(env)
    paths = [str(root / "src"), str(root)]
    if environment.get("PYTHONPATH"):
        paths.append(environment["PYTHONPATH"])
    environment["PYTHONPATH"] = os.pathsep.join(paths)
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", target, "--app-dir", str(app_dir),
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--no-access-log", "--workers", "1",
        "--proxy-headers" if proxy_headers else "--no-proxy-headers",
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, env=environment, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
        running = RunningApp(port=port, process=process, log=log)
        try:
            _wait_ready(running, ready_path, timeout)
            yield running
        finally:
            running.stop()
