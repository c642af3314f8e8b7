"""Django integration: a middleware and the metadata view (the ``[django]`` extra).

```python
# settings.py
PY_IDENTITY_MODEL_RESOURCE_SERVER = {
    "ISSUER": "https://login.example.com",
    "AUDIENCE": "https://api.example.com",
    "EXCLUDED_PATHS": ["/health", "/static/"],
}
MIDDLEWARE = [..., "py_identity_model.integrations.django.ResourceServerMiddleware"]

# urls.py
from py_identity_model.integrations.django import protected_resource_urls
urlpatterns = [..., *protected_resource_urls()]
```

All protocol decisions are the core's
(:class:`~py_identity_model.resource_server.ResourceServer`): this module builds the
:class:`~py_identity_model.resource_server.IncomingRequest` from Django's request and copies a
rejection into the response (status, headers, JSON body).

* **Settings**: one dict, ``PY_IDENTITY_MODEL_RESOURCE_SERVER``. Its keys are
  ``ResourceServer`` keywords in any letter case (``AUTHORITY`` = ``ISSUER``) plus
  ``RESOURCE_SERVER`` (a ``ResourceServer``, or the dotted path of one, instead of the
  keywords), ``EXCLUDED_PATHS`` (paths the middleware lets through: an exact path, or a
  prefix when it ends with ``/``; the metadata path always is), ``CLIENT_CERTIFICATE_HEADER``
  (the header a trusted TLS-terminating proxy sets; never read unless named, and only when
  the server gave no certificate) and
  ``USER_FACTORY`` (a callable, or its dotted path, turning the principal into
  ``request.user``; default :class:`TokenUser`).
* **The URL** is ``request.build_absolute_uri()``: Django honours ``X-Forwarded-Host``/
  ``-Port`` and the proxy's scheme header only with ``USE_X_FORWARDED_HOST``,
  ``USE_X_FORWARDED_PORT`` and ``SECURE_PROXY_SSL_HEADER`` (trust declared in settings), and
  checks ``ALLOWED_HOSTS``.
* **The client certificate** (RFC 8705 certificate-bound tokens) is the one the WSGI server
  verified, from ``request.META`` (the environ): ``SSL_CLIENT_CERT`` (mod_wsgi, Werkzeug's
  server), else the peer certificate of Werkzeug's TLS socket; else the
  ``CLIENT_CERTIFICATE_HEADER``. Under ASGI only that header is read.
* **The principal** is ``request.auth`` (an
  :class:`~py_identity_model.resource_server.AccessTokenPrincipal`) and ``request.user``.
* **Async**: the middleware is sync and async capable; under ASGI it awaits ``aauthenticate``.
* **Headers**: a Django response holds one value per header, so repeated challenge lines are
  joined with ``", "`` (RFC 9110 §5.3 allows it for ``WWW-Authenticate``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.module_loading import import_string

from py_identity_model.exceptions import ConfigurationException
from py_identity_model.integrations._framework import (
    incoming_request,
    resource_server_keywords,
)
from py_identity_model.resource_server import (
    AccessTokenPrincipal,
    IncomingRequest,
    ResourceRejection,
    ResourceServer,
)

__all__ = [
    "SETTING",
    "ResourceServerMiddleware",
    "TokenUser",
    "get_configuration",
    "incoming_request_from",
    "metadata_view",
    "protected_resource_urls",
    "rejection_response",
]

#: The name of the one settings dict.
SETTING = "PY_IDENTITY_MODEL_RESOURCE_SERVER"
_INTEGRATION_KEYS = (
    "RESOURCE_SERVER",
    "EXCLUDED_PATHS",
    "CLIENT_CERTIFICATE_HEADER",
    "USER_FACTORY",
)
#: Where the middleware leaves the principal for the DRF authentication class.
PRINCIPAL_ATTRIBUTE = "_py_identity_model_principal"


class TokenUser:
    """``request.user`` for a request authenticated by an access token (no database row)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, principal: AccessTokenPrincipal) -> None:
        self.principal = principal

    @property
    def username(self) -> str:
        return self.principal.subject or self.principal.client_id or ""

    @property
    def pk(self) -> str:
        return self.username

    def get_username(self) -> str:
        return self.username

    def __str__(self) -> str:
        return self.username

    def __repr__(self) -> str:
        return f"TokenUser({self.username!r})"


@dataclass(frozen=True)
class Configuration:
    """The settings dict, read once: the server and what the integration itself needs."""

    server: ResourceServer
    excluded_paths: tuple[str, ...]
    certificate_header: str | None
    user_factory: Callable[[AccessTokenPrincipal], Any]

    def is_excluded(self, request_path: str) -> bool:
        if request_path == self.server.metadata_path:
            return True
        return any(
            request_path == entry or (entry.endswith("/") and request_path.startswith(entry))
            for entry in self.excluded_paths
        )


def _load(value: Any, what: str) -> Any:
    if isinstance(value, str):
        try:
            return import_string(value)
        except ImportError as exc:
            raise ConfigurationException(f"{SETTING}[{what!r}]: cannot import {value!r}") from exc
    return value


def _configuration(raw: Any) -> Configuration:
    if not isinstance(raw, Mapping):
        raise ConfigurationException(f"settings.{SETTING} must be a dict")
    upper = {str(key).upper(): value for key, value in raw.items()}
    own = {key: upper.pop(key) for key in _INTEGRATION_KEYS if key in upper}
    server = _load(own.get("RESOURCE_SERVER"), "RESOURCE_SERVER")
    if server is not None:
        if upper:
            raise ConfigurationException(
                f"{SETTING}: give RESOURCE_SERVER or the ResourceServer keywords, not both"
            )
        if not isinstance(server, ResourceServer):
            raise ConfigurationException(f"{SETTING}['RESOURCE_SERVER'] is not a ResourceServer")
    else:
        server = ResourceServer(**resource_server_keywords(upper, where=f"settings.{SETTING}"))
    excluded = own.get("EXCLUDED_PATHS", ())
    if isinstance(excluded, str) or not isinstance(excluded, Sequence):
        raise ConfigurationException(f"{SETTING}['EXCLUDED_PATHS'] must be a list of paths")
    if not all(isinstance(p, str) and p.startswith("/") for p in excluded):
        raise ConfigurationException(f"{SETTING}['EXCLUDED_PATHS']: each path starts with '/'")
    header = own.get("CLIENT_CERTIFICATE_HEADER")
    if header is not None and (not isinstance(header, str) or not header.strip()):
        raise ConfigurationException(f"{SETTING}['CLIENT_CERTIFICATE_HEADER'] is a header name")
    factory = _load(own.get("USER_FACTORY", TokenUser), "USER_FACTORY")
    if not callable(factory):
        raise ConfigurationException(f"{SETTING}['USER_FACTORY'] is not callable")
    return Configuration(server, tuple(excluded), header, factory)


class _Cached:
    """The configuration, built at first use and dropped when a test overrides the setting."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: Configuration | None = None

    def get(self) -> Configuration:
        value = self._value
        if value is not None:
            return value
        with self._lock:
            if self._value is None:
                self._value = _configuration(getattr(settings, SETTING, None))
            return self._value

    def reset(self, *, setting: str, **_: Any) -> None:
        if setting == SETTING:
            with self._lock:
                self._value = None


_cached = _Cached()


def get_configuration() -> Configuration:
    """The configuration of ``settings.PY_IDENTITY_MODEL_RESOURCE_SERVER`` (built once)."""
    return _cached.get()


setting_changed.connect(_cached.reset, dispatch_uid="py_identity_model_resource_server")


def incoming_request_from(request: HttpRequest, configuration: Configuration) -> IncomingRequest:
    """The core's request value for a Django request."""
    return incoming_request(
        configuration.server,
        request.method or "GET",
        request.build_absolute_uri(),
        list(request.headers.items()),
        environ=request.META,
        certificate_header=configuration.certificate_header,
    )


def rejection_response(rejection: ResourceRejection) -> HttpResponse:
    """The response for ``rejection``: status, headers (repeated lines joined), JSON body."""
    response = HttpResponse(
        json.dumps(rejection.body), status=rejection.status, content_type="application/json"
    )
    for name, value in rejection.header_map.items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def attach(
    request: HttpRequest, principal: AccessTokenPrincipal, configuration: Configuration
) -> None:
    """Put ``principal`` on ``request.auth`` and its user on ``request.user``."""
    setattr(request, PRINCIPAL_ATTRIBUTE, principal)
    request.auth = principal  # type: ignore[attr-defined]
    request.user = configuration.user_factory(principal)


class ResourceServerMiddleware:
    """Require a valid access token on every path but the excluded ones (sync and async)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        configuration = get_configuration()
        if configuration.is_excluded(request.path_info):
            return self.get_response(request)
        try:
            principal = configuration.server.authenticate(
                incoming_request_from(request, configuration)
            )
        except ResourceRejection as rejection:
            return rejection_response(rejection)
        attach(request, principal, configuration)
        return self.get_response(request)

    async def _acall(self, request: HttpRequest) -> Any:
        configuration = get_configuration()
        respond: Callable[[HttpRequest], Awaitable[Any]] = self.get_response
        if configuration.is_excluded(request.path_info):
            return await respond(request)
        try:
            principal = await configuration.server.aauthenticate(
                incoming_request_from(request, configuration)
            )
        except ResourceRejection as rejection:
            return rejection_response(rejection)
        attach(request, principal, configuration)
        return await respond(request)


def metadata_view(request: HttpRequest) -> HttpResponse:
    """The RFC 9728 protected-resource metadata document (GET only)."""
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
        return response
    document = get_configuration().server.metadata_document()
    return HttpResponse(json.dumps(document), content_type="application/json")


def protected_resource_urls() -> list[URLPattern]:
    """The URL pattern serving :func:`metadata_view` at the server's ``metadata_path``."""
    route = get_configuration().server.metadata_path.lstrip("/")
    return [path(route, metadata_view, name="oauth-protected-resource")]
