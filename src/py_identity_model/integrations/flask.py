"""Flask integration: protect views with access tokens (the ``[flask]`` extra).

```python
from flask import Flask, g
from py_identity_model.integrations.flask import ProtectedResource, require_token

app = Flask(__name__)
app.config["OIDC_ISSUER"] = "https://login.example.com"
app.config["OIDC_AUDIENCE"] = "https://api.example.com"
ProtectedResource(app)  # or ProtectedResource(resource_server=ResourceServer(...)).init_app(app)

@app.get("/orders")
@require_token(scopes=["orders:read"])
def orders():
    return {"sub": g.access_token.subject}
```

All protocol decisions are the core's
(:class:`~py_identity_model.resource_server.ResourceServer`): this module only builds the
:class:`~py_identity_model.resource_server.IncomingRequest` from Flask's request and copies a
rejection into the response exactly (status, every header, the JSON body).

* **Configuration**: ``OIDC_`` + any ``ResourceServer`` keyword in capitals (``OIDC_ISSUER``
  or ``OIDC_AUTHORITY``, ``OIDC_AUDIENCE``, ``OIDC_RESOURCE``, ``OIDC_DPOP``, ...); other
  ``OIDC_*`` keys are left to other extensions.
* **The client certificate** (RFC 8705 certificate-bound tokens) is the one the WSGI server
  verified: ``SSL_CLIENT_CERT`` in the environ (mod_wsgi, Werkzeug's server), else the peer
  certificate of Werkzeug's TLS socket. Only when the server gave none is
  ``OIDC_CLIENT_CERTIFICATE_HEADER`` read: the header a trusted TLS-terminating proxy puts the
  client certificate in (never read unless set).
* **The URL** is ``request.url``: Werkzeug ignores ``X-Forwarded-*`` unless the application
  wraps itself in ``werkzeug.middleware.proxy_fix.ProxyFix`` (trust declared by the app).
* **The principal** is ``g.access_token`` (an
  :class:`~py_identity_model.resource_server.AccessTokenPrincipal`), also returned by
  :func:`current_token`.
* **Metadata**: the RFC 9728 document is served at the server's ``metadata_path``.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast, overload

from flask import Flask, Response, current_app, g, has_app_context, request

from py_identity_model.exceptions import ConfigurationException
from py_identity_model.integrations._framework import (
    incoming_request,
    resource_server_from_settings,
    setting_names,
)
from py_identity_model.resource_server import (
    AccessTokenPrincipal,
    IncomingRequest,
    ResourceRejection,
    ResourceServer,
)

__all__ = [
    "EXTENSION_KEY",
    "ProtectedResource",
    "current_token",
    "rejection_response",
    "require_token",
]

#: Where :meth:`ProtectedResource.init_app` keeps its state in ``app.extensions``.
EXTENSION_KEY = "py_identity_model"
_METADATA_ENDPOINT = "py_identity_model_protected_resource_metadata"

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class _State:
    server: ResourceServer
    certificate_header: str | None


class ProtectedResource:
    """The Flask extension: one ``ResourceServer`` per app, the metadata route, the errors.

    Give ``resource_server`` to share one server (and its caches) between apps, or let
    :meth:`init_app` build it from the app's ``OIDC_*`` configuration.
    """

    def __init__(
        self,
        app: Flask | None = None,
        *,
        resource_server: ResourceServer | None = None,
        config_prefix: str = "OIDC_",
    ) -> None:
        self.resource_server = resource_server
        self.config_prefix = config_prefix
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Attach to ``app``: build or adopt the server, add the metadata route."""
        prefix = self.config_prefix
        server = self.resource_server
        if server is None:
            known = {f"{prefix}{name.upper()}" for name in setting_names()}
            settings = {
                key.removeprefix(prefix): app.config[key] for key in app.config if key in known
            }
            server = resource_server_from_settings(settings, where="Flask config")
        header = app.config.get(f"{prefix}CLIENT_CERTIFICATE_HEADER")
        if header is not None and (not isinstance(header, str) or not header.strip()):
            raise ConfigurationException(f"{prefix}CLIENT_CERTIFICATE_HEADER must be a header name")
        app.extensions[EXTENSION_KEY] = _State(server, header)
        app.add_url_rule(
            server.metadata_path,
            endpoint=_METADATA_ENDPOINT,
            view_func=_metadata_view,
            methods=["GET"],
        )
        app.register_error_handler(ResourceRejection, rejection_response)


def _state() -> _State:
    state = current_app.extensions.get(EXTENSION_KEY) if has_app_context() else None
    if not isinstance(state, _State):
        raise ConfigurationException(
            "require_token needs ProtectedResource(app) (or init_app) on this Flask app"
        )
    return state


def _metadata_view() -> Response:
    document = _state().server.metadata_document()
    return Response(json.dumps(document), status=200, mimetype="application/json")


def rejection_response(rejection: ResourceRejection) -> Response:
    """The response for ``rejection``: its status, every header line, its JSON body."""
    response = Response(json.dumps(rejection.body), status=rejection.status)
    response.mimetype = "application/json"
    for name, value in rejection.headers:
        response.headers.add(name, value)
    response.headers["Cache-Control"] = "no-store"
    return response


def _incoming(state: _State) -> IncomingRequest:
    return incoming_request(
        state.server,
        request.method,
        request.url,
        list(request.headers.items()),
        environ=request.environ,
        certificate_header=state.certificate_header,
    )


def current_token() -> AccessTokenPrincipal:
    """The principal :func:`require_token` put on ``g`` (misuse outside such a view)."""
    principal = g.get("access_token")
    if not isinstance(principal, AccessTokenPrincipal):
        raise ConfigurationException("current_token() is only set inside a @require_token view")
    return principal


@overload
def require_token(view: F, /) -> F: ...
@overload
def require_token(
    view: None = None,
    /,
    *,
    scopes: Iterable[str] = (),
    claims: Mapping[str, Any] | None = None,
    acr_values: Iterable[str] | None = None,
    max_age: int | None = None,
) -> Callable[[F], F]: ...


def require_token(
    view: F | None = None,
    /,
    *,
    scopes: Iterable[str] = (),
    claims: Mapping[str, Any] | None = None,
    acr_values: Iterable[str] | None = None,
    max_age: int | None = None,
) -> F | Callable[[F], F]:
    """Require a valid access token (and ``scopes``, ``claims``, step-up) for a view.

    The principal is ``g.access_token``. A rejection becomes the core's answer (401/403/...)
    before the view runs. ``async def`` views are authenticated the same way, with the sync
    ``authenticate``: Flask runs each of them in its own event loop on the request's worker
    thread, so the server's one sync client and its caches serve them too.
    """
    if isinstance(scopes, str):
        raise ConfigurationException("scopes must be a list of scope names, not one string")
    required = tuple(scopes)
    acr = None if acr_values is None else tuple(acr_values)
    options: dict[str, Any] = {
        "scopes": required,
        "claims": claims,
        "acr_values": acr,
        "max_age": max_age,
    }

    def authenticated() -> Response | None:
        state = _state()
        try:
            g.access_token = state.server.authenticate(_incoming(state), **options)
        except ResourceRejection as rejection:
            return rejection_response(rejection)
        return None

    def decorate(func: F) -> F:
        if inspect.iscoroutinefunction(func):
            coroutine = cast("Callable[..., Awaitable[Any]]", func)

            @functools.wraps(func)
            async def async_view(*args: Any, **kwargs: Any) -> Any:
                refused = authenticated()
                return refused if refused is not None else await coroutine(*args, **kwargs)

            return cast("F", async_view)

        @functools.wraps(func)
        def sync_view(*args: Any, **kwargs: Any) -> Any:
            refused = authenticated()
            return refused if refused is not None else func(*args, **kwargs)

        return cast("F", sync_view)

    return decorate(view) if view is not None else decorate
