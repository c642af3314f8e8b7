"""Django REST framework integration: authentication and scope permission classes.

```python
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "py_identity_model.integrations.drf.ResourceServerAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["py_identity_model.integrations.drf.HasScopes"],
    # Copies every header of a rejection (DPoP-Nonce too) and its exact JSON body:
    "EXCEPTION_HANDLER": "py_identity_model.integrations.drf.exception_handler",
}

class OrdersView(APIView):
    required_scopes = ("orders:read",)          # read by HasScopes
    # or: permission_classes = [require_scopes("orders:read")]
```

Configured by ``settings.PY_IDENTITY_MODEL_RESOURCE_SERVER`` (see
:mod:`py_identity_model.integrations.django`). ``request.auth`` is the
:class:`~py_identity_model.resource_server.AccessTokenPrincipal`, ``request.user`` its user
(:class:`~py_identity_model.integrations.django.TokenUser` by default).

* A request without a Bearer or DPoP ``Authorization`` header is not this class's to judge:
  ``authenticate`` returns ``None`` (other authentication classes may run), and when the view
  then needs a user DRF answers 401 with :meth:`ResourceServerAuthentication.authenticate_header`,
  the core's challenge (``Bearer realm=..., resource_metadata=...`` and ``DPoP algs=...``).
* A token the core rejects raises :class:`TokenRejected`: its status, ``WWW-Authenticate`` and
  body are the core's; with :func:`exception_handler` every other header too (``DPoP-Nonce``).
* Behind :class:`~py_identity_model.integrations.django.ResourceServerMiddleware` the
  middleware's principal is reused: a request is validated once (a DPoP proof is single-use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission

from py_identity_model.exceptions import ConfigurationException
from py_identity_model.integrations._framework import carries_token
from py_identity_model.integrations.django import (
    PRINCIPAL_ATTRIBUTE,
    attach,
    get_configuration,
    incoming_request_from,
)
from py_identity_model.resource_server import (
    AccessTokenPrincipal,
    IncomingRequest,
    ResourceRejection,
)

if TYPE_CHECKING:  # rest_framework.views imports the authentication classes of the settings
    from rest_framework.request import Request
    from rest_framework.response import Response
    from rest_framework.views import APIView

__all__ = [
    "HasScopes",
    "ResourceServerAuthentication",
    "TokenRejected",
    "exception_handler",
    "require_scopes",
]


class TokenRejected(APIException):
    """The core's rejection as a DRF exception (status, ``WWW-Authenticate``, body)."""

    def __init__(self, rejection: ResourceRejection) -> None:
        super().__init__(detail=dict(rejection.body), code=rejection.error)
        self.rejection = rejection
        self.status_code = rejection.status
        self.headers = rejection.header_map
        self.auth_header = self.headers.get("WWW-Authenticate")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus every header and the exact body of a :class:`TokenRejected`."""
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, TokenRejected):
        response.data = dict(exc.rejection.body)
        for name, value in exc.headers.items():
            response[name] = value
        response["Cache-Control"] = "no-store"
    return response


class ResourceServerAuthentication(BaseAuthentication):
    """Authenticate a request by its access token (Bearer or DPoP) through the core."""

    def authenticate(self, request: Request) -> tuple[Any, AccessTokenPrincipal] | None:
        django_request = request._request
        done = getattr(django_request, PRINCIPAL_ATTRIBUTE, None)
        if isinstance(done, AccessTokenPrincipal):  # the middleware validated it already
            return (getattr(django_request, "user", None), done)
        configuration = get_configuration()
        try:
            incoming = incoming_request_from(django_request, configuration)
            if not carries_token(configuration.server, incoming):
                return None
            principal = configuration.server.authenticate(incoming)
        except ResourceRejection as rejection:
            raise TokenRejected(rejection) from None
        attach(django_request, principal, configuration)
        return (django_request.user, principal)

    def authenticate_header(self, request: Request) -> str:
        """The core's challenge for a request without a token (one value, comma-joined)."""
        # Only the URL matters to a challenge (the metadata URL of a non-URL resource).
        where = IncomingRequest(request.method or "GET", request.build_absolute_uri(), [])
        return ", ".join(get_configuration().server.challenges(where))


def _required(view: APIView) -> tuple[str, ...]:
    scopes = getattr(view, "required_scopes", ())
    if isinstance(scopes, str):
        raise ConfigurationException(f"{type(view).__name__}.required_scopes must be a tuple")
    return tuple(scopes)


class HasScopes(BasePermission):
    """Require a token principal with every scope in the view's ``required_scopes``.

    Without a principal DRF answers 401 (the challenge); a missing scope is the core's 403
    ``insufficient_scope`` with the required ``scope`` in the challenge.
    """

    scopes: tuple[str, ...] = ()

    def has_permission(self, request: Request, view: APIView) -> bool:
        principal = request.auth
        if not isinstance(principal, AccessTokenPrincipal):
            return False
        required = (*self.scopes, *_required(view))
        try:
            principal.require_scopes(required)
        except ResourceRejection as rejection:
            raise TokenRejected(rejection) from None
        return True


def require_scopes(*scopes: str) -> type[HasScopes]:
    """A :class:`HasScopes` for these scopes: ``permission_classes = [require_scopes("a")]``."""
    if not scopes or not all(isinstance(s, str) and s for s in scopes):
        raise ConfigurationException("require_scopes needs one or more scope names")
    return type("RequireScopes", (HasScopes,), {"scopes": tuple(scopes)})
