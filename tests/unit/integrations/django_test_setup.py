"""Django for the unit tests of the Django and DRF integrations, in this process.

The process's one Django configuration is tests/django_settings.py's (shared with the
django-oauth-toolkit provider of tests/integration, so test order does not matter). Each test
module overrides what it needs (``ROOT_URLCONF``, ``MIDDLEWARE``,
``PY_IDENTITY_MODEL_RESOURCE_SERVER``, ...) with ``override_settings``, which also drops the
integration's cached configuration.
"""

from __future__ import annotations

from tests.django_settings import configure_django


def ensure_django() -> None:
    configure_django()
