"""Every program under docs/examples/ runs, as shown in the docs, against the real provider.

The pages include these files verbatim (pymdownx.snippets), so what a reader copies is what
these tests execute: each example is started with ``sys.executable`` and the provider's
issuer as ``argv[1]``, must exit 0, and must print what the docs say it prints. The few
examples that need no provider at all (``OFFLINE_CHECKS``: pure JOSE) run without one and
without arguments.
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


def run_example(
    path: Path, issuer: str | None, extra_args: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # Import the checked-out source even where the package is not installed (editable).
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO_ROOT / "src"), env.get("PYTHONPATH")])
    )
    return subprocess.run(
        [sys.executable, str(path), *([issuer] if issuer is not None else []), *(extra_args or [])],
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
    assert "plain http: error_code=https_required error_type=policy\n" in out
    assert "  error: Discovery address: HTTPS is required: http://login.example.com" in out
    assert "  4.x aliases: error_kind=policy status_code=None\n" in out
    assert "wrong issuer: error_code=issuer_mismatch error_type=policy\n" in out
    assert f"issuer {provider.issuer!r}" in out
    assert "  4.x aliases: error_kind=policy status_code=200\n" in out
    assert count(r"-> check the authority you configured", out) == 1, out


def check_custom_transport(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    found = re.search(r"^keys: (\d+) fetched with urllib$", out, re.MULTILINE)
    assert found and int(found.group(1)) >= 3, out
    # a TransportFailure code becomes the result's error_code, and decides its error_type
    assert "a 100-byte limit: error_code=response_too_large error_type=policy\n" in out


TEST_API = "urn:test:api:es256"  # the resource the validation examples ask a token for


def check_validate_token_sync(out: str, provider: RunningProvider) -> None:
    assert "valid: True\n" in out
    assert f"iss: {provider.issuer}\n" in out
    assert "sub: client-basic\n" in out
    assert f"aud: {TEST_API}\n" in out
    assert "scope: api:read\n" in out
    expires = re.search(r"^expires in: (-?\d+) s$", out, re.MULTILINE)
    assert expires and 0 < int(expires.group(1)) <= 3600, out
    header = re.search(r"^header: (.*)$", out, re.MULTILINE)
    assert header and "'alg': 'ES256'" in header.group(1) and "'typ': 'at+jwt'" in header.group(1)
    assert "wrong audience: rejected code=invalid_audience (InvalidAudienceException:" in out
    assert "missing scope: rejected code=invalid_claims (ClaimsValidationError:" in out
    assert "tampered payload: rejected code=invalid_signature" in out
    assert "unexpectedly accepted" not in out
    assert (
        "keys unavailable: DiscoveryUnavailableError code=discovery_failed "
        "error_code=http_error also a rejection: True\n"
    ) in out


def check_validate_token_async(out: str, provider: RunningProvider) -> None:
    assert count(rf"^valid: True sub=client-basic aud={re.escape(TEST_API)}$", out) == 2, out
    assert "validated: 10\n" in out
    assert f"iss: {provider.issuer}\n" in out
    assert "wrong audience: rejected code=invalid_audience\n" in out


def check_token_validator(out: str, provider: RunningProvider) -> None:
    assert f"TokenValidator({provider.issuer!r}, audiences=[{TEST_API!r}])\n" in out
    assert f"valid: True iss={provider.issuer} sub=client-basic\n" in out
    assert f"iss: {provider.issuer}\n" in out
    # discovery + JWKS once; an unknown kid demands one JWKS refetch, a second one within
    # the cooldown none; invalidate() fetches discovery and JWKS again
    assert "HTTP requests for 100 validations: 2\n" in out
    assert "unknown kid: rejected code=key_not_found\n" in out
    assert "HTTP requests after an unknown kid: 3\n" in out
    assert "HTTP requests after a second unknown kid: 3\n" in out
    assert "HTTP requests after invalidate(): 5\n" in out
    assert "validate: valid: True\n" in out
    assert "avalidate: valid: True\n" in out


def check_principal(out: str, provider: RunningProvider) -> None:
    issuer = provider.issuer
    assert "valid: True\n" in out
    assert "authentication_type: Bearer\n" in out
    assert "is_authenticated: True\n" in out
    assert "name: None\n" in out
    assert f"iss: {issuer}\n" in out
    assert f"claim iss={issuer} (string, issuer {issuer})\n" in out
    assert f"claim aud={TEST_API} (string, issuer {issuer})\n" in out
    assert f"claim scope=api:read (string, issuer {issuer})\n" in out
    assert re.search(rf"^claim exp=\d+ \(integer, issuer {re.escape(issuer)}\)$", out, re.MULTILINE)
    assert "has scope api:read: True\n" in out
    assert "is in role admin: False\n" in out
    assert "exp is an integer claim: True\n" in out


def check_client_credentials_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "client_secret_basic: token_type=Bearer expires_in=3600 scope=api:read\n" in out
    assert "access token segments: 3\n" in out  # a JWT: the resource indicator was sent
    remaining = re.search(r"^expires_at - now: (\d+) s$", out, re.MULTILINE)
    assert remaining and 3590 <= int(remaining.group(1)) <= 3600, out
    assert "token members: ['access_token', 'expires_in', 'scope', 'token_type']\n" in out
    assert "client_secret_post: is_successful=True token_type=Bearer\n" in out
    assert "  client: Client('client-post', ClientSecretPost(client_secret=[redacted]))\n" in out
    assert "client_secret_jwt: is_successful=True token_type=Bearer\n" in out
    assert (
        "  client: Client('client-jwt', ClientSecretJwt(algorithm='HS256', "
        "client_secret=[redacted]))\n"
    ) in out
    assert "-secret" not in out.split("token members:", 1)[1]  # no secret is ever shown
    assert (
        "wrong secret: error=invalid_client error_code=invalid_client error_type=protocol "
        "http_status=401\n"
    ) in out
    assert "plain http: error_code=https_required error_type=policy http_status=None\n" in out
    assert (
        "  error: Token endpoint: HTTPS is required: http://login.example.com/token uses "
        "plain HTTP on a non-loopback host\n"
    ) in out


def check_client_credentials_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    for api, alg in (
        ("urn:test:api:rs256", "RS256"),
        ("urn:test:api:ps256", "PS256"),
        ("urn:test:api:es256", "ES256"),
        ("urn:test:api:eddsa", "EdDSA"),
    ):
        assert f"{api}: aud={api} alg={alg} expires_in=3600\n" in out, api


def check_private_key_jwt(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    for label in (
        "PEM, PS256, aud=endpoint",
        "JWK, ES256, aud=issuer",
        "JsonWebKey, EdDSA, aud=endpoint",
    ):
        assert f"{label}: is_successful=True token_type=Bearer error=None\n" in out, label
    assert "assertion header: {'alg': 'ES256', 'typ': 'JWT', 'kid': 'client-ec-1'}\n" in out
    assert "assertion claims: ['aud', 'exp', 'iat', 'iss', 'jti', 'sub']\n" in out
    assert "iss = sub = client_id: True\n" in out
    assert f"aud: {provider.issuer}\n" in out
    assert "lifetime: 300 s\n" in out


def check_login(out: str, provider: RunningProvider) -> None:
    assert f"redirect the browser to: {provider.authorization_endpoint}\n" in out
    assert "is_successful: True\n" in out
    assert "sub: alice\n" in out
    assert f"iss: {provider.issuer}\n" in out
    assert "aud: public-native\n" in out
    assert "nonce matches: True\n" in out
    assert "authentication_type: OpenIdConnect\n" in out
    remaining = re.search(r"^access token expires in: (\d+) s$", out, re.MULTILINE)
    assert remaining and 3590 <= int(remaining.group(1)) <= 3600, out
    assert (
        "replayed callback: error_code=invalid_grant error=invalid_grant error_type=protocol\n"
    ) in out
    assert (
        "callback of another login: invalid_state "
        "(The callback's state is not the one of this login)\n"
    ) in out
    assert "callback from another issuer: issuer_mismatch\n" in out
    assert "consent refused: access_denied\n" in out
    assert "refreshed: is_successful=True expires_in=3600\n" in out
    assert "refresh token rotated: True\n" in out
    assert "async: is_successful=True sub=bob aud=client-basic\n" in out
    assert "auth_time within max_age: True\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "client_credentials_async": check_client_credentials_async,
    "client_credentials_sync": check_client_credentials_sync,
    "custom_transport": check_custom_transport,
    "discovery_async": check_discovery_async,
    "discovery_cache": check_discovery_cache,
    "discovery_errors": check_discovery_errors,
    "discovery_sync": check_discovery_sync,
    "jwks_async": check_jwks_async,
    "jwks_sync": check_jwks_sync,
    "login": check_login,
    "principal": check_principal,
    "private_key_jwt": check_private_key_jwt,
    "token_validator": check_token_validator,
    "validate_token_async": check_validate_token_async,
    "validate_token_sync": check_validate_token_sync,
}


# Examples that need more than the issuer (an end-user's access token, which only a browser
# login gives) get it from a function of the provider: ``argv[2:]``.
EXTRA_ARGS: dict[str, Callable[[RunningProvider], list[str]]] = {}
# Examples that need another provider than ``provider`` name its fixture (``provider_mtls``:
# the TLS mode); an area module's ``PROVIDER_FIXTURES`` adds to it.
PROVIDER_FIXTURES: dict[str, str] = {}


def _area_checks() -> dict[str, Callable[[str, RunningProvider], None]]:
    # Each endpoint area keeps its examples' checks in tests/docs/example_checks_<area>.py
    # (a module-level ``CHECKS`` dict, optionally ``EXTRA_ARGS``), so adding an area never
    # edits this file.
    import importlib

    found: dict[str, Callable[[str, RunningProvider], None]] = {}
    for module_path in sorted(Path(__file__).parent.glob("example_checks_*.py")):
        module = importlib.import_module(f"tests.docs.{module_path.stem}")
        area: dict[str, Callable[[str, RunningProvider], None]] = module.CHECKS
        assert not set(area) & set(found), f"{module_path.name} repeats an example"
        found.update(area)
        EXTRA_ARGS.update(getattr(module, "EXTRA_ARGS", {}))
        PROVIDER_FIXTURES.update(getattr(module, "PROVIDER_FIXTURES", {}))
    return found


_AREA_CHECKS = _area_checks()
assert not set(_AREA_CHECKS) & set(CHECKS), "an example is checked twice"
CHECKS.update(_AREA_CHECKS)


# ------------------------------------------------------- examples that need no provider


def check_jose_sign_verify(out: str) -> None:
    public = re.search(r"^public JWK: (.*)$", out, re.MULTILINE)
    assert public, out
    jwk = json.loads(public.group(1))
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk
    assert f"thumbprint: {rfc7638_thumbprint(jwk)}\n" in out
    assert "kty: OKP crv: Ed25519 bits: 255\n" in out
    assert "private key: True public key: False\n" in out
    assert "segments: 3\n" in out
    assert "header: {'alg': 'EdDSA', 'kid': 'demo-1', 'typ': 'JWT'}\n" in out
    assert "verified: True\n" in out
    assert re.search(r"^claims: \{'iss': 'https://issuer.example', 'sub': 'alice'", out, re.M)
    assert "tampered: rejected code=invalid_signature\n" in out
    assert re.search(r"^keys: 1 skipped: \[\(1, ", out, re.MULTILINE), out
    assert "verified by key set: kid demo-1\n" in out


def check_front_channel(out: str) -> None:
    assert "verifier length: 128\n" in out
    assert "challenge = BASE64URL(SHA256(verifier)): True\n" in out
    assert "endpoint: https://login.example.com/authorize\n" in out
    listed = re.findall(r"^  (\w+)=(.*)$", out, re.MULTILINE)
    assert listed[:4] == [
        ("client_id", "web-app"),
        ("redirect_uri", "https://app.example.com/callback"),
        ("scope", "openid profile offline_access"),
        ("response_type", "code"),
    ]
    params = dict(listed)
    assert params["code_challenge_method"] == "S256"
    assert params["state"] == params["nonce"] == params["code_challenge"] == "<secret>"
    assert params["max_age"] == "900"
    assert params["prompt"] == "consent"
    assert json.loads(params["claims"]) == {"id_token": {"email": {"essential": True}}}
    assert json.loads(params["authorization_details"]) == [
        {"type": "account_information", "actions": ["read"]}
    ]
    assert [value for name, value in listed if name == "resource"] == [
        "https://api.example.com/orders",
        "https://api.example.com/billing",
    ]
    assert (
        "4.x form parameters: ['client_id', 'redirect_uri', 'scope', 'response_type', "
        "'state', 'code_challenge', 'code_challenge_method']\n"
    ) in out
    assert "client_secret in the URL: refused: Parameter 'client_secret' must never" in out
    for line in (
        "valid: is_successful=True error=None issuer=success state=success",
        "form_post body: is_successful=True error=None issuer=success state=success",
        "forged state: is_successful=True error=None issuer=success state=state_mismatch",
        "mix-up: is_successful=True error=None issuer=issuer_mismatch state=success",
        "iss missing: is_successful=True error=None issuer=missing_issuer state=success",
        "duplicate code: is_successful=False error=invalid_request issuer=error_response "
        "state=error_response",
        "error response: is_successful=False error=access_denied issuer=error_response "
        "state=error_response",
        "validate_authorize_callback(valid): code received: True",
        "validate_authorize_callback(mix-up): raised issuer_mismatch",
        "end session: https://login.example.com/logout?id_token_hint=eyJhbGciOiJSUzI1NiJ9.e30."
        "c2ln&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fsigned-out"
        "&state=af0ifjsldkj",
        "bare endpoint: https://login.example.com/logout",
    ):
        assert f"{line}\n" in out, line


OFFLINE_CHECKS: dict[str, Callable[[str], None]] = {
    "front_channel": check_front_channel,
    "jose_sign_verify": check_jose_sign_verify,
}
PROVIDER_EXAMPLES = [path for path in EXAMPLES if path.stem not in OFFLINE_CHECKS]
OFFLINE_EXAMPLES = [path for path in EXAMPLES if path.stem in OFFLINE_CHECKS]


# ------------------------------------------------------------------------------ tests


@pytest.mark.integration
@pytest.mark.parametrize("example", PROVIDER_EXAMPLES, ids=[p.stem for p in PROVIDER_EXAMPLES])
def test_example_runs_against_the_provider(example: Path, request: pytest.FixtureRequest) -> None:
    provider: RunningProvider = request.getfixturevalue(
        PROVIDER_FIXTURES.get(example.stem, "provider")
    )
    extra = EXTRA_ARGS.get(example.stem)
    result = run_example(example, provider.issuer, extra(provider) if extra else None)
    assert result.returncode == 0, (
        f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    assert provider.issuer in result.stdout
    CHECKS[example.stem](result.stdout, provider)


@pytest.mark.parametrize("example", OFFLINE_EXAMPLES, ids=[p.stem for p in OFFLINE_EXAMPLES])
def test_example_runs_without_a_provider(example: Path) -> None:
    result = run_example(example, None)
    assert result.returncode == 0, (
        f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    OFFLINE_CHECKS[example.stem](result.stdout)


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 5


def test_every_example_has_output_checks() -> None:
    assert not set(CHECKS) & set(OFFLINE_CHECKS)
    assert {path.stem for path in EXAMPLES} == set(CHECKS) | set(OFFLINE_CHECKS)


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


@pytest.mark.parametrize("example", PROVIDER_EXAMPLES, ids=[p.stem for p in PROVIDER_EXAMPLES])
def test_example_reads_the_authority_from_argv(example: Path) -> None:
    source = example.read_text("utf-8")
    assert 'sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"' in source
