"""Serve an example app of ``examples/`` with a real server process on a free loopback port.

:func:`serve_example` starts the Flask example under Werkzeug's development server
(``flask run``) or the Django example under Django's (``manage.py runserver --noreload``),
configured only by the environment variables the examples read, waits until ``GET /health``
answers 200, yields a :class:`RunningApp` and stops the process (SIGTERM, then SIGKILL). It
fails loudly, with the server's output, when the app does not come up.
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

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


class ExampleAppError(RuntimeError):
    """The example app could not be started."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningApp:
    base_url: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def url(self, path: str) -> str:
        return self.base_url + path

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")


def _command(kind: str, port: int) -> list[str]:
    if kind == "flask":
        return [
            sys.executable, "-m", "flask", "--app", str(EXAMPLES / "flask_app" / "app.py"),
            "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger",
        ]  # fmt: skip
    if kind == "django":
        return [
            sys.executable, str(EXAMPLES / "django_app" / "manage.py"), "runserver",
            "--noreload", "--skip-checks", f"127.0.0.1:{port}",
        ]  # fmt: skip
    raise ValueError(f"unknown example {kind!r}")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server subprocess, killing it when it does not stop within 5 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def serve_example(
    kind: str, env: Mapping[str, str], *, timeout: float = 30
) -> Iterator[RunningApp]:
    """Run ``examples/<kind>_app`` until the block ends (``kind``: ``flask`` or ``django``)."""
    port = free_port()
    environment = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            _command(kind, port), stdout=log, stderr=subprocess.STDOUT, env=environment
        )
        running = RunningApp(f"http://127.0.0.1:{port}", process, log)
        try:
            _wait_healthy(running, timeout)
            yield running
        finally:
            stop_process(process)


def _wait_healthy(running: RunningApp, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise ExampleAppError(f"the example exited early:\n{running.output()}")
        try:
            if httpx.get(running.url("/health"), timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise ExampleAppError(f"the example did not answer /health in {timeout} s:\n{running.output()}")
