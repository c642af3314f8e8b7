"""A second, independent OpenID Provider for the integration tests: django-oauth-toolkit (DOT).

oidc-provider (tests/provider) cannot issue ID tokens MACed with the client secret; DOT can
(``Application.algorithm = "HS256"``, OpenID Connect Core §10.1), and it reads its RSA
signing key from a setting, so a test can rotate the key while the server runs. This module:

* sets DOT's settings on the Django project of this process (:func:`start_dot_provider`;
  SQLite in a temporary file, tests/django_settings.py), migrations run and the database
  emptied at start, one user and three applications
  (:data:`CLIENTS`), an RSA signing key generated per run, PKCE required and the RFC 9700
  gates of DOT 3.x switched on (``iss`` in the authorization response, S256 only, ...);
* serves it on a free ``127.0.0.1`` port from a background thread (stdlib ``wsgiref`` with
  one thread per request, Django's WSGI handler), yielding a :class:`RunningDotProvider`;
* logs the test user in without a browser (:func:`dot_login`): the authorization endpoint
  redirects to Django's login view, whose form is posted with plain ``httpx``; the
  applications have ``skip_authorization=True``, so no consent page follows.

Django has one settings object per process; the provider's project is the one shared by every
in-process Django user of the tests (tests/django_settings.py), so it starts whether or not the
Django unit tests ran first. One provider runs at a time (the session-scoped ``dot_provider``
fixture in tests/integration/conftest.py).
"""

from __future__ import annotations

import contextlib
import html
import logging
import secrets
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx

#: Redirect URI registered for the authorization-code applications (never served).
CALLBACK_URL = "http://127.0.0.1/callback"

#: The test user (Django ``auth.User``).
USERNAME = "alice"
PASSWORD = "alice-password"
USER_EMAIL = "alice@example.com"
USER_FIRST_NAME = "Alice"
USER_LAST_NAME = "Liddell"

#: The applications registered at start: name -> (grant type, ID token algorithm, hashed).
#: ``hashed``: whether DOT stores the secret hashed (its default). HS256 needs the
#: plaintext: DOT refuses a hashed secret as the HMAC key.
CLIENTS: dict[str, tuple[str, str, bool]] = {
    "dot-rs256": ("authorization-code", "RS256", True),
    "dot-hs256": ("authorization-code", "HS256", False),
    "dot-cc": ("client-credentials", "", True),
}

#: Scopes DOT knows (``SCOPES``); ``openid`` turns a request into an OIDC one.
SCOPES = {
    "openid": "OpenID Connect",
    "profile": "Profile claims",
    "email": "Email claims",
    "read": "Read",
    "write": "Write",
}


class DotProviderError(RuntimeError):
    """The DOT test provider could not be configured, started, or driven."""


@dataclass(frozen=True)
class DotClient:
    """An application registered at DOT, with its plaintext secret."""

    __test__ = False  # not a pytest test class

    name: str
    client_id: str
    client_secret: str
    grant_type: str
    #: ``Application.algorithm``: "RS256", "HS256" or "" (no ID tokens).
    algorithm: str
    #: Whether DOT stores the secret hashed (the plaintext is kept here for the tests).
    hashed: bool
    redirect_uri: str | None


def _rsa_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def _kid(pem: str) -> str:
    """The ``kid`` DOT publishes and puts in RS256 headers: the key's RFC 7638 thumbprint."""
    from oauth2_provider.utils import jwk_from_pem

    kid: str = jwk_from_pem(pem).thumbprint()
    return kid


@dataclass
class RunningDotProvider:
    """The DOT provider started by :func:`start_dot_provider`."""

    issuer: str
    port: int
    clients: dict[str, DotClient]
    #: ``sub`` of the test user in DOT's ID tokens (the user's primary key).
    user_sub: str
    username: str = USERNAME
    password: str = PASSWORD
    #: Server-side exceptions logged by Django (``django.request``), newest last.
    errors: list[str] = field(default_factory=list)
    _base_settings: dict[str, Any] = field(default_factory=dict, repr=False)
    _active_pem: str = field(default="", repr=False)
    _inactive_pems: list[str] = field(default_factory=list, repr=False)
    _metadata: dict[str, Any] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def metadata(self) -> dict[str, Any]:
        """The discovery document (fetched once, with plain httpx)."""
        if self._metadata is None:
            response = httpx.get(self.discovery_url, timeout=10)
            response.raise_for_status()
            self._metadata = response.json()
        return self._metadata

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.issuer}/authorize/"

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token/"

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}/.well-known/jwks.json"

    def client(self, name: str) -> DotClient:
        return self.clients[name]

    # ------------------------------------------------------------------ settings at run time

    def _apply(self, **overrides: Any) -> None:
        from django.conf import settings
        from oauth2_provider.settings import oauth2_settings

        value = {
            **self._base_settings,
            "OIDC_RSA_PRIVATE_KEY": self._active_pem,
            "OIDC_RSA_PRIVATE_KEYS_INACTIVE": list(self._inactive_pems),
            **overrides,
        }
        settings.OAUTH2_PROVIDER = value
        oauth2_settings.reload()  # what DOT's setting_changed receiver does

    @contextlib.contextmanager
    def oauth2_settings(self, **overrides: Any) -> Iterator[None]:
        """Run the block with some ``OAUTH2_PROVIDER`` settings changed (restored after)."""
        with self._lock:
            self._apply(**overrides)
        try:
            yield
        finally:
            with self._lock:
                self._apply()

    @property
    def signing_kid(self) -> str:
        """``kid`` of the key DOT signs RS256 ID tokens with now."""
        return _kid(self._active_pem)

    @property
    def published_kids(self) -> list[str]:
        """``kid``\\ s DOT publishes in its JWKS now (active key first)."""
        return [_kid(pem) for pem in (self._active_pem, *self._inactive_pems)]

    def rotate_signing_key(self, *, keep_previous: bool = True) -> str:
        """Sign with a fresh RSA key from now on; return its ``kid``.

        ``keep_previous``: the old key stays in the JWKS as an inactive key
        (``OIDC_RSA_PRIVATE_KEYS_INACTIVE``), so tokens it signed still verify; otherwise it
        is replaced and disappears from the JWKS at once.
        """
        new = _rsa_pem()
        with self._lock:
            if keep_previous:
                self._inactive_pems = [self._active_pem, *self._inactive_pems]
            self._active_pem = new
            self._apply()
        return _kid(new)

    @contextlib.contextmanager
    def rotated_signing_key(self, *, keep_previous: bool = True) -> Iterator[str]:
        """:meth:`rotate_signing_key` for the block; the original keys are restored after."""
        with self._lock:
            saved = self._active_pem, list(self._inactive_pems)
        try:
            yield self.rotate_signing_key(keep_previous=keep_previous)
        finally:
            with self._lock:
                self._active_pem, self._inactive_pems = saved
                self._apply()

    def server_errors(self) -> str:
        """Everything Django logged as a request error so far (for assertion messages)."""
        return "\n".join(self.errors)


# --------------------------------------------------------------------------------------------
# Django project
# --------------------------------------------------------------------------------------------


def _oauth2_provider_settings(issuer: str) -> dict[str, Any]:
    return {
        "OIDC_ENABLED": True,
        # The issuer with its port: DOT would otherwise build it from the Host header.
        "OIDC_ISS_ENDPOINT": issuer,
        "OAUTH2_VALIDATOR_CLASS": "tests.provider_dot.validators.ClaimsValidator",
        "SCOPES": dict(SCOPES),
        "DEFAULT_SCOPES": ["read"],
        "PKCE_REQUIRED": True,
        # RFC 9700 gates of DOT 3.x (the defaults of DOT 4): S256 only, no implicit or
        # password grant, tokens in the Authorization header only, RFC 9207 ``iss`` in the
        # authorization response, tokens hashed at rest.
        "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
        "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
        "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
        "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
        "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
        "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
        "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
        "ID_TOKEN_EXPIRE_SECONDS": 3600,
    }


def _configure_django(issuer: str, pem: str) -> dict[str, Any]:
    """The process's shared Django project (tests/django_settings.py), with DOT's settings."""
    from django.conf import settings

    from tests.django_settings import configure_django

    configure_django()
    # Imported once Django is configured: DOT reads its settings at import.
    from oauth2_provider.settings import oauth2_settings

    oauth2 = _oauth2_provider_settings(issuer)
    settings.OAUTH2_PROVIDER = {
        **oauth2,
        "OIDC_RSA_PRIVATE_KEY": pem,
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [],
    }
    # DOT caches its settings (what its setting_changed receiver does on override_settings).
    oauth2_settings.reload()
    return oauth2


def _populate() -> tuple[str, dict[str, DotClient]]:
    """Create the test user and the applications; return the user's ``sub`` and the clients."""
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import get_application_model

    user = get_user_model().objects.create_user(
        USERNAME,
        email=USER_EMAIL,
        password=PASSWORD,
        first_name=USER_FIRST_NAME,
        last_name=USER_LAST_NAME,
    )
    application_model = get_application_model()
    clients: dict[str, DotClient] = {}
    for name, (grant_type, algorithm, hashed) in CLIENTS.items():
        # 48 random bytes, urlsafe: 64 ASCII characters (HS256 needs >= 32 key bytes).
        secret = secrets.token_urlsafe(48)
        code_flow = grant_type == application_model.GRANT_AUTHORIZATION_CODE
        app = application_model(
            name=name,
            client_type=application_model.CLIENT_CONFIDENTIAL,
            authorization_grant_type=grant_type,
            client_secret=secret,
            hash_client_secret=hashed,
            algorithm=algorithm,
            redirect_uris=CALLBACK_URL if code_flow else "",
            skip_authorization=True,
            user=user,
        )
        app.full_clean()  # DOT's own rules (e.g. HS256 needs a confidential, unhashed secret)
        app.save()
        clients[name] = DotClient(
            name=name,
            client_id=app.client_id,
            client_secret=secret,
            grant_type=grant_type,
            algorithm=algorithm,
            hashed=hashed,
            redirect_uri=CALLBACK_URL if code_flow else None,
        )
    stored = application_model.objects.get(name="dot-rs256").client_secret
    if stored == clients["dot-rs256"].client_secret:
        raise DotProviderError("DOT did not hash the dot-rs256 client secret")
    return str(user.pk), clients


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a request thread never keeps the test process alive


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ErrorLog(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.sink.append(text)


#: Held while a provider of start_dot_provider is serving (one at a time per process).
_serving = threading.Lock()


def _not_ready(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"DOT test provider not configured yet"]


@contextlib.contextmanager
def start_dot_provider(*, timeout: float = 30) -> Iterator[RunningDotProvider]:
    """Configure the Django project, serve it on a free 127.0.0.1 port, stop it on exit.

    Django is the process's shared configuration (tests/django_settings.py), whoever made it
    first. One provider at a time (its issuer is in the process-wide ``OAUTH2_PROVIDER``); a
    later start begins from an empty database again.

    Raises :class:`DotProviderError` when DOT is not installed, another DOT provider is
    running in this process, or the server does not answer its discovery request.
    """
    try:
        import django  # noqa: F401
        import oauth2_provider  # noqa: F401
    except ImportError as exc:
        raise DotProviderError(
            "the DOT integration tests need django and django-oauth-toolkit>=3 in the test "
            f"environment: {exc}"
        ) from exc
    if not _serving.acquire(blocking=False):
        raise DotProviderError(
            "a DOT test provider is already running in this process: Django's settings, and "
            "so the issuer, are process-wide (use the session fixture dot_provider)"
        )
    server: WSGIServer | None = None
    thread: threading.Thread | None = None
    errors: list[str] = []
    error_log = _ErrorLog(errors)
    request_logger = logging.getLogger("django.request")
    try:
        # Bind first (port 0: the kernel picks a free port, no race), so the issuer is known
        # before Django is configured.
        server = make_server(
            "127.0.0.1",
            0,
            _not_ready,
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        port = server.server_port
        issuer = f"http://127.0.0.1:{port}/o"
        pem = _rsa_pem()
        base = _configure_django(issuer, pem)

        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application

        call_command("migrate", interactive=False, verbosity=0)
        # The database outlives a provider (it is the process's): an earlier start's user and
        # applications would collide with _populate's.
        call_command("flush", interactive=False, verbosity=0)
        user_sub, clients = _populate()
        request_logger.addHandler(error_log)
        server.set_app(get_wsgi_application())
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"dot:{port}"
        )
        thread.daemon = True
        thread.start()
        running = RunningDotProvider(
            issuer=issuer,
            port=port,
            clients=clients,
            user_sub=user_sub,
            errors=errors,
            _base_settings=base,
            _active_pem=pem,
        )
        try:
            metadata = httpx.get(running.discovery_url, timeout=timeout).json()
        except (httpx.HTTPError, ValueError) as exc:
            raise DotProviderError(
                f"the DOT test provider at {issuer} did not serve its discovery document: "
                f"{exc!r}\n{running.server_errors()}"
            ) from exc
        if metadata.get("issuer") != issuer:
            raise DotProviderError(f"the DOT test provider's issuer is not {issuer}: {metadata}")
        running._metadata = metadata
        yield running
    finally:
        if server is not None:
            if thread is not None:
                server.shutdown()
                thread.join(timeout=10)
            server.server_close()
        request_logger.removeHandler(error_log)
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        _serving.release()


# --------------------------------------------------------------------------------------------
# Browserless login
# --------------------------------------------------------------------------------------------


class _LoginFormParser(HTMLParser):
    """The first POST form of a page and its named inputs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form" and self.action is None and attributes.get("method", "").lower() == "post":
            self.action = attributes.get("action", "")
            self._in_form = True
        elif tag == "input" and self._in_form and "name" in attributes:
            self.fields[attributes["name"]] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _page_error(response: httpx.Response) -> DotProviderError:
    text = " ".join(html.unescape(response.text).split())[:1500]
    return DotProviderError(
        f"unexpected DOT page {response.request.method} {response.request.url} -> "
        f"{response.status_code}: {text}"
    )


def dot_login(
    authorize_url: str,
    *,
    username: str = USERNAME,
    password: str = PASSWORD,
    http: httpx.Client | None = None,
) -> str:
    """Run an authorization request through Django's login form.

    Returns the URL DOT finally redirects to, outside the provider: the client's redirect
    URI with ``code``, ``state`` and ``iss`` (or ``error``); it is not requested. Pass
    ``http`` (``follow_redirects=False``) to keep the Django session for later requests.
    """
    own = http is None
    client = httpx.Client(follow_redirects=False, timeout=10) if own else http
    assert client is not None
    provider_origin = _origin(authorize_url)
    method, url, data = "GET", authorize_url, None
    posted = False
    try:
        for _ in range(10):
            response = client.request(method, url, data=data)
            if response.status_code in (301, 302, 303, 307, 308):
                location = urljoin(str(response.url), response.headers["location"])
                if _origin(location) != provider_origin:
                    return location
                method, url, data = "GET", location, None
                continue
            parser = _LoginFormParser()
            parser.feed(response.text)
            if response.status_code != 200 or parser.action is None or posted:
                raise _page_error(response)  # an error page, or the login form again
            fields = dict(parser.fields)
            fields.update(username=username, password=password)
            method, url, data = "POST", urljoin(str(response.url), parser.action), fields
            posted = True
        raise DotProviderError("DOT did not redirect to the client within 10 steps")
    finally:
        if own:
            client.close()
