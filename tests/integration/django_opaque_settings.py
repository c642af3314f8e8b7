"""The Django example's settings plus introspection, for the opaque-token tests.

``runserver`` reads them through ``DJANGO_SETTINGS_MODULE``; the introspection endpoint and
the resource server's own credentials (``client-basic``) come from the environment.
"""

from __future__ import annotations

import os

from api_example.settings import *  # noqa: F403
from api_example.settings import PY_IDENTITY_MODEL_RESOURCE_SERVER

from py_identity_model.resource_server import IntrospectionSettings

PY_IDENTITY_MODEL_RESOURCE_SERVER = {
    **PY_IDENTITY_MODEL_RESOURCE_SERVER,
    "INTROSPECTION": IntrospectionSettings(
        address=os.environ["TEST_INTROSPECTION_ENDPOINT"],
        client_id=os.environ["TEST_INTROSPECTION_CLIENT_ID"],
        client_secret=os.environ["TEST_INTROSPECTION_CLIENT_SECRET"],
    ),
}
