"""A Flask API protected by py-identity-model (the ``[flask]`` extra).

Configured only by the environment:

* ``OIDC_AUTHORITY``: the issuer of the access tokens (its discovery document and keys);
* ``OIDC_AUDIENCE``: this API's identifier, the ``aud`` the tokens must carry;
* ``OIDC_REQUIRED_SCOPE``: the scope ``GET /admin`` requires;
* ``OIDC_CERTIFICATE_HEADER`` (optional): the header in which a TLS-terminating proxy
  forwards the client certificate, for certificate-bound tokens (RFC 8705). Set it only when
  every request comes through that proxy and the proxy overwrites the header. Served with TLS
  by Werkzeug or mod_wsgi, the app reads the certificate the server verified without it.

Routes: ``GET /health`` (public), ``GET /me`` (the token's claims), ``GET /admin`` (needs the
scope) and the protected-resource metadata (RFC 9728) at its well-known path.

Run it: ``flask --app examples/flask_app/app.py run``.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, g

from py_identity_model.integrations.flask import ProtectedResource, require_token

REQUIRED_SCOPE = os.environ["OIDC_REQUIRED_SCOPE"]

app = Flask(__name__)
app.config["OIDC_AUTHORITY"] = os.environ["OIDC_AUTHORITY"]
app.config["OIDC_AUDIENCE"] = os.environ["OIDC_AUDIENCE"]
app.config["OIDC_CLIENT_CERTIFICATE_HEADER"] = os.environ.get("OIDC_CERTIFICATE_HEADER") or None
ProtectedResource(app)


@app.get("/health")
def health() -> dict[str, Any]:
    return {"status": "ok"}


@app.get("/me")
@require_token
def me() -> dict[str, Any]:
    return dict(g.access_token.claims)


@app.get("/admin")
@require_token(scopes=[REQUIRED_SCOPE])
def admin() -> dict[str, Any]:
    return {"subject": g.access_token.subject, "scopes": sorted(g.access_token.scopes)}
