"""Django for the unit tests of the Django and DRF integrations, in this process.

Django has one settings object per process. When nothing configured it yet, a minimal project
is configured here; when another test already did (the django-oauth-toolkit provider of
tests/integration), that configuration is kept. Either way each test module overrides what it
needs (``ROOT_URLCONF``, ``MIDDLEWARE``, ``PY_IDENTITY_MODEL_RESOURCE_SERVER``, ...) with
``override_settings``, which also drops the integration's cached configuration.
"""

from __future__ import annotations

import django
from django.conf import settings


def ensure_django() -> None:
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="unit-tests-only",
            ALLOWED_HOSTS=["testserver", "api.example"],
            INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
            DATABASES={},
            USE_TZ=True,
            MIDDLEWARE=[],
            ROOT_URLCONF=__name__,
        )
    django.setup()


urlpatterns: list[object] = []
