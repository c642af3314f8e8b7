"""A real ``redis-server`` for the token-management tests (Debian's ``redis-server``).

:func:`start_redis` runs one on a free loopback port, without persistence, and stops it on
exit. It fails loudly when the server is missing or does not start: the Redis tests must
never be skipped silently (``scripts/ensure-redis.sh`` installs the package).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class RedisFixtureError(RuntimeError):
    """redis-server could not be started."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class RunningRedis:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def restart(self) -> None:
        """Start the server again on the same port (after :meth:`stop`), empty."""
        self.stop()
        self.process = _spawn(self.port)


def _binary() -> str:
    found = shutil.which("redis-server")
    if found is None and Path("/usr/bin/redis-server").exists():
        found = "/usr/bin/redis-server"
    if found is None:
        raise RedisFixtureError(
            "redis-server is not installed: run scripts/ensure-redis.sh (Debian package "
            "redis-server); the Redis token-cache tests never skip"
        )
    return found


def _spawn(port: int, timeout: float = 10.0) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            _binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _ping(port):
            return process
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RedisFixtureError(f"redis-server exited with {process.returncode}: {output}")
        time.sleep(0.05)
    process.kill()
    raise RedisFixtureError(f"redis-server did not answer PING on port {port} in {timeout} s")


@contextmanager
def start_redis() -> Iterator[RunningRedis]:
    port = _free_port()
    running = RunningRedis(port, _spawn(port))
    try:
        yield running
    finally:
        running.stop()
