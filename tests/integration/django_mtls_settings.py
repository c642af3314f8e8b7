"""The Django example's settings for the certificate-bound token tests (``provider_mtls``).

The issuer is the provider's TLS mode: discovery and keys are fetched over HTTPS from a
certificate of the test CA (``TEST_CA_FILE``), and its discovery document lists mTLS endpoint
aliases on a second listener (``TEST_MTLS_BASE_ADDRESS``) the discovery policy must allow.
Everything else, ``OIDC_CERTIFICATE_HEADER`` included, is the example's.
"""

from __future__ import annotations

import os
import ssl

import httpx
from api_example.settings import *  # noqa: F403
from api_example.settings import PY_IDENTITY_MODEL_RESOURCE_SERVER

from py_identity_model import DiscoveryPolicy

PY_IDENTITY_MODEL_RESOURCE_SERVER = {
    **PY_IDENTITY_MODEL_RESOURCE_SERVER,
    "HTTP_CLIENT": httpx.Client(
        verify=ssl.create_default_context(cafile=os.environ["TEST_CA_FILE"])
    ),
    "DISCOVERY_POLICY": DiscoveryPolicy(
        additional_endpoint_base_addresses=[os.environ["TEST_MTLS_BASE_ADDRESS"]]
    ),
}
