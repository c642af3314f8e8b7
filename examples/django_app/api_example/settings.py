"""Settings of the example API, configured only by the environment.

* ``OIDC_AUTHORITY``: the issuer of the access tokens (its discovery document and keys);
* ``OIDC_AUDIENCE``: this API's identifier, the ``aud`` the tokens must carry;
* ``OIDC_REQUIRED_SCOPE``: the scope ``GET /admin`` requires;
* ``OIDC_CERTIFICATE_HEADER`` (optional): the header in which a TLS-terminating proxy
  forwards the client certificate, for certificate-bound tokens (RFC 8705). Set it only when
  every request comes through that proxy and the proxy overwrites the header. Under a WSGI
  server that verifies client certificates itself (``SSL_CLIENT_CERT``), it is not needed.
"""

from __future__ import annotations

import os
import secrets

DEBUG = False
# No sessions, no forms: the key only satisfies Django; a fresh one per process is enough.
SECRET_KEY = secrets.token_urlsafe(32)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "api_example.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"]
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True

MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    # Every path needs a token but /health and the metadata document.
    "py_identity_model.integrations.django.ResourceServerMiddleware",
]

PY_IDENTITY_MODEL_RESOURCE_SERVER = {
    "AUTHORITY": os.environ["OIDC_AUTHORITY"],
    "AUDIENCE": os.environ["OIDC_AUDIENCE"],
    "EXCLUDED_PATHS": ["/health"],
    "CLIENT_CERTIFICATE_HEADER": os.environ.get("OIDC_CERTIFICATE_HEADER") or None,
}
OIDC_REQUIRED_SCOPE = os.environ["OIDC_REQUIRED_SCOPE"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "py_identity_model.integrations.drf.ResourceServerAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["py_identity_model.integrations.drf.HasScopes"],
    "EXCEPTION_HANDLER": "py_identity_model.integrations.drf.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
