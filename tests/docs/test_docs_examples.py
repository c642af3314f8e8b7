"""Every program under docs/examples/ runs, as shown in the docs, against the real provider.

The pages include these files verbatim (pymdownx.snippets), so what a reader copies is what
these tests execute: each example is started with ``sys.executable`` and the provider's
issuer as ``argv[1]``, must exit 0, and must print what the docs say it prints.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from base64 import urlsafe_b64encode
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.provider.fixture import RunningProvider

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = REPO_ROOT / "docs"
EXAMPLES_DIR = DOCS_DIR / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.py"))
SNIPPET_LINE = re.compile(r'--8<--\s+"([^"]+)"')
THUMBPRINT_MEMBERS = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
}


def run_example(path: Path, issuer: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # Import the checked-out source even where the package is not installed (editable).
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO_ROOT / "src"), env.get("PYTHONPATH")])
    )
    return subprocess.run(
        [sys.executable, str(path), issuer],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
        env=env,
        check=False,
    )


def rfc7638_thumbprint(jwk: dict[str, Any]) -> str:
    """Computed independently of the library: SHA-256 over the sorted required members."""
    members = {name: jwk[name] for name in THUMBPRINT_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


def count(pattern: str, text: str) -> int:
    return len(re.findall(pattern, text, flags=re.MULTILINE))


# ------------------------------------------------------------------ per-example checks


def check_discovery_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert f"jwks_uri: {provider.jwks_uri}\n" in out
    assert f"token_endpoint: {provider.token_endpoint}\n" in out
    assert re.search(r"^grant_types_supported: .*authorization_code", out, re.MULTILINE)
    assert f"end_session_endpoint: {provider.endpoint('end_session_endpoint')}\n" in out


def check_discovery_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert f"jwks_uri: {provider.jwks_uri}\n" in out
    assert f"authorization_endpoint: {provider.authorization_endpoint}\n" in out
    assert re.search(r"^id_token algorithms: .*RS256", out, re.MULTILINE)


def check_jwks_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    listed = re.findall(r"^key kid=(\S+) kty=(\S+) .* thumbprint=(\S+)$", out, re.MULTILINE)
    assert len(listed) >= 3, out
    expected = {jwk["kid"]: rfc7638_thumbprint(jwk) for jwk in provider.signing_jwks["keys"]}
    for kid, _kty, thumbprint in listed:
        assert thumbprint == expected[kid], kid
    assert {kty for _kid, kty, _t in listed} >= {"RSA", "EC", "OKP"}
    assert f"keys: {len(listed)}\n" in out
    assert "skipped: []\n" in out


def check_jwks_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert count(r"^key kid=\S+ kty=\S+ found_by_kid=True$", out) >= 3, out
    assert "found_by_kid=False" not in out


def check_discovery_cache(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "fetches after two get() calls: 1\n" in out
    assert "tasks served: 100\n" in out
    assert "fetches after invalidate() and 100 concurrent aget() calls: 2\n" in out


def check_discovery_errors(out: str, provider: RunningProvider) -> None:
    assert "plain http: error_type=policy error_kind=policy\n" in out
    assert "wrong issuer: error_type=policy error_kind=issuer_mismatch\n" in out
    assert f"issuer {provider.issuer!r}" in out
    assert "-> check the authority you configured" in out


def check_custom_transport(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    found = re.search(r"^keys: (\d+) fetched with urllib$", out, re.MULTILINE)
    assert found and int(found.group(1)) >= 3, out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "custom_transport": check_custom_transport,
    "discovery_async": check_discovery_async,
    "discovery_cache": check_discovery_cache,
    "discovery_errors": check_discovery_errors,
    "discovery_sync": check_discovery_sync,
    "jwks_async": check_jwks_async,
    "jwks_sync": check_jwks_sync,
}


# ------------------------------------------------------------------------------ tests


@pytest.mark.integration
@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_runs_against_the_provider(example: Path, provider: RunningProvider) -> None:
    result = run_example(example, provider.issuer)
    assert result.returncode == 0, (
        f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    assert provider.issuer in result.stdout
    CHECKS[example.stem](result.stdout, provider)


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 5


def test_every_example_has_output_checks() -> None:
    assert {path.stem for path in EXAMPLES} == set(CHECKS)


def test_every_example_is_shown_in_the_docs() -> None:
    included = {
        match
        for page in DOCS_DIR.rglob("*.md")
        for match in SNIPPET_LINE.findall(page.read_text("utf-8"))
    }
    for path in EXAMPLES:
        assert path.relative_to(REPO_ROOT).as_posix() in included, f"{path.name} is in no page"


def test_every_snippet_exists() -> None:
    for page in DOCS_DIR.rglob("*.md"):
        for target in SNIPPET_LINE.findall(page.read_text("utf-8")):
            assert (REPO_ROOT / target).is_file(), f"{page.name}: {target}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_reads_the_authority_from_argv(example: Path) -> None:
    source = example.read_text("utf-8")
    assert 'sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"' in source
