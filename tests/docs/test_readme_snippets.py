"""Every ```python block of README.md is a complete program that runs as pasted.

Each block starts with ``# <name>.py: ...`` and is checked by ``CHECKS[name]``: it is saved as
``<name>.py`` and started with ``sys.executable -X dev -W error::ResourceWarning`` (the
checked-out ``src`` first on ``PYTHONPATH``), against the real test provider, with the
settings it reads from the environment. Each run must end with the expected exit status and
output, and print no ``ResourceWarning`` (an unclosed socket or transport) and no traceback.
Tokens come straight from the provider's token endpoint (``httpx``), not from the library.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.provider.fixture import RunningProvider

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
PROGRAM_NAME = re.compile(r"# (\w+)\.py: ")
ENV_READ = re.compile(r"os\.environ\.get\(\s*\"(\w+)\"")
PLACEHOLDER_AUTHORITY = 'os.environ.get("OIDC_AUTHORITY", "https://login.example.com")'

API = "urn:test:api:es256"  # a resource of the test provider: the token's audience
CLIENT_ID = "client-basic"  # a confidential client of the test provider (client_secret_basic)


def readme_blocks() -> list[str]:
    return PYTHON_BLOCK.findall(README.read_text("utf-8"))


def program_name(code: str) -> str | None:
    match = PROGRAM_NAME.match(code)
    return match.group(1) if match else None


class Program:
    """One README program, run in a fresh interpreter with chosen environment settings."""

    def __init__(self, name: str, code: str, workdir: Path) -> None:
        self.name = name
        self.code = code
        self.path = workdir / f"{name}.py"
        self.path.write_text(code, "utf-8")
        self.reads = set(ENV_READ.findall(code))

    def run(self, expected_status: int = 0, **settings: str) -> subprocess.CompletedProcess[str]:
        unknown = set(settings) - self.reads
        assert not unknown, f"{self.name} does not read {sorted(unknown)}"
        # Only what the test sets: nothing the program reads leaks in from this environment.
        env = {key: value for key, value in os.environ.items() if key not in self.reads}
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO_ROOT / "src"), os.environ.get("PYTHONPATH")])
        )
        env.update(settings)
        result = subprocess.run(
            [sys.executable, "-X", "dev", "-W", "error::ResourceWarning", str(self.path)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.path.parent,
            env=env,
            check=False,
        )
        shown = {
            key: "<token>" if key == "ACCESS_TOKEN" else value for key, value in settings.items()
        }
        report = (
            f"{self.name} with {shown}: exit {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
        assert result.returncode == expected_status, report
        assert "ResourceWarning" not in result.stderr, report
        assert "Traceback" not in result.stderr, report
        return result


def provider_token(provider: RunningProvider) -> str:
    """A JWT access token (RFC 9068) for ``API``, as an API would receive it."""
    secret = provider.client(CLIENT_ID).client_secret
    assert secret is not None
    response = httpx.post(
        provider.token_endpoint,
        data={"grant_type": "client_credentials", "scope": "api:read", "resource": API},
        auth=(CLIENT_ID, secret),
        timeout=10,
    )
    response.raise_for_status()
    token = str(response.json()["access_token"])
    assert token.count(".") == 2, "the provider issued an opaque token"
    return token


def tampered(token: str) -> str:
    """The same token with a widened scope in its payload: the signature no longer matches."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "api:read api:write"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return result.stdout.splitlines()


# ------------------------------------------------------------------ per-program checks


def check_validate_token(program: Program, provider: RunningProvider) -> None:
    token = provider_token(provider)
    ok = {"OIDC_AUTHORITY": provider.issuer, "OIDC_AUDIENCE": API}

    assert lines(program.run(**ok, ACCESS_TOKEN=token)) == [f"200 {CLIENT_ID}"]

    (rejected,) = lines(program.run(**ok, ACCESS_TOKEN=tampered(token)))
    assert rejected.startswith("401 invalid_signature: "), rejected

    (rejected,) = lines(program.run(**{**ok, "OIDC_AUDIENCE": "urn:other"}, ACCESS_TOKEN=token))
    assert rejected.startswith("401 invalid_audience: "), rejected
    assert "urn:other" in rejected

    # No discovery document: keys unavailable is a 503, not the caller's fault.
    unavailable = {**ok, "OIDC_AUTHORITY": provider.url("/missing")}
    (answer,) = lines(program.run(**unavailable, ACCESS_TOKEN=token))
    assert answer.startswith("503 discovery_failed: "), answer

    # As pasted, without any setting: no token, rejected before any network I/O.
    (answer,) = lines(program.run())
    assert answer.startswith("401 malformed_token: "), answer


def check_client_credentials(program: Program, provider: RunningProvider) -> None:
    client = provider.client(CLIENT_ID)
    assert client.client_secret is not None
    settings = {
        "OIDC_AUTHORITY": provider.issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": client.client_secret,
        "OIDC_SCOPE": "api:read",
    }
    assert lines(program.run(**settings)) == [f"Bearer token for {CLIENT_ID}, expires in 3600 s"]

    wrong = program.run(1, **{**settings, "OIDC_CLIENT_SECRET": "wrong-secret"})
    assert wrong.stdout == ""
    assert "token request failed (invalid_client): " in wrong.stderr

    missing = program.run(1, **{**settings, "OIDC_AUTHORITY": provider.url("/missing")})
    assert missing.stdout == ""
    assert "discovery failed (http_error): " in missing.stderr


def check_validate_token_async(program: Program, provider: RunningProvider) -> None:
    token = provider_token(provider)
    ok = {"OIDC_AUTHORITY": provider.issuer, "OIDC_AUDIENCE": API}

    assert lines(program.run(**ok, ACCESS_TOKEN=token)) == [
        f"issuer: {provider.issuer}",
        f"200 {CLIENT_ID}",
    ]

    issuer, rejected = lines(program.run(**ok, ACCESS_TOKEN=tampered(token)))
    assert issuer == f"issuer: {provider.issuer}"
    assert rejected.startswith("401 invalid_signature: "), rejected

    _issuer, rejected = lines(
        program.run(**{**ok, "OIDC_AUDIENCE": "urn:other"}, ACCESS_TOKEN=token)
    )
    assert rejected.startswith("401 invalid_audience: "), rejected

    (failed,) = lines(program.run(**{**ok, "OIDC_AUTHORITY": provider.url("/missing")}))
    assert failed.startswith("discovery failed (http): "), failed


CHECKS: dict[str, Callable[[Program, RunningProvider], None]] = {
    "validate_token": check_validate_token,
    "client_credentials": check_client_credentials,
    "validate_token_async": check_validate_token_async,
}
PROGRAMS = {
    program_name(code) or f"unnamed-block-{index}": code
    for index, code in enumerate(readme_blocks())
}
NAMES = list(PROGRAMS)


# ------------------------------------------------------------------------------ tests


@pytest.mark.integration
@pytest.mark.parametrize("name", NAMES)
def test_readme_program_runs_against_the_provider(
    name: str, provider: RunningProvider, tmp_path: Path
) -> None:
    assert name in CHECKS, f"README block {name!r} has no check in CHECKS"
    CHECKS[name](Program(name, PROGRAMS[name], tmp_path), provider)


def test_every_readme_python_block_is_a_named_program_with_a_check() -> None:
    blocks = readme_blocks()
    assert len(blocks) >= 3
    for code in blocks:
        assert program_name(code), (
            f"a README python block must start with '# <name>.py: ...':\n{code}"
        )
    assert len(PROGRAMS) == len(blocks), "two README programs share a name"
    assert sorted(PROGRAMS) == sorted(CHECKS), "README programs and CHECKS differ"


@pytest.mark.parametrize("name", NAMES)
def test_readme_program_takes_its_settings_from_the_environment(name: str) -> None:
    code = PROGRAMS[name]
    assert f"AUTHORITY = {PLACEHOLDER_AUTHORITY}\n" in code
    # Every setting has a default, so the program runs as pasted.
    assert "os.environ[" not in code
    assert "os.getenv(" not in code
    compile(code, f"{name}.py", "exec")


@pytest.mark.parametrize("name", NAMES)
def test_readme_program_catches_network_failures_before_token_rejections(name: str) -> None:
    """Discovery/JWKS failures may also be TokenValidationExceptions: they must be caught first."""
    code = PROGRAMS[name]
    network = code.find("NetworkException as")
    rejection = code.find("TokenValidationException as")
    if rejection == -1:
        assert network == -1
        return
    assert network != -1, f"{name} catches TokenValidationException but not NetworkException"
    assert network < rejection, (
        f"{name} must catch NetworkException before TokenValidationException"
    )
