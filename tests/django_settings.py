"""The one Django configuration of a test process, shared by every in-process Django user.

Django has one settings object per process and ``settings.configure()`` works once, so when
the unit tests of the Django/DRF integrations (tests/unit/integrations, through
``django_test_setup.ensure_django``) and the django-oauth-toolkit provider
(tests/provider_dot, the ``dot_provider`` fixture of tests/integration) each configured their
own project, whichever ran first won and the other failed or ran on the wrong settings.
Both now call :func:`configure_django`, so test order never matters:

* the first call configures the union of what they need: contenttypes, auth, sessions,
  DRF and (when installed) django-oauth-toolkit; SQLite in a temporary file, so the DOT
  server's request threads share the database (an in-memory database is per connection);
  the session, CSRF and authentication middleware and the templates of DOT's login page;
  ``ROOT_URLCONF`` = the DOT provider's URLs. Later calls only check that the settings are
  still this configuration (a foreign ``settings.configure()`` is an error, never silently
  used) and return.
* Per-user settings are set by their user, not here: the unit tests wrap each test in
  ``override_settings`` (``ROOT_URLCONF``, ``MIDDLEWARE``, ``REST_FRAMEWORK``,
  ``PY_IDENTITY_MODEL_RESOURCE_SERVER``, ...), which also drops the integration's cached
  configuration; the DOT provider sets ``OAUTH2_PROVIDER`` (its issuer contains the port it
  is served on, known only when it starts) and reloads DOT's settings.
* The database file's directory is removed when the process exits.

A subprocess that needs another project (the example apps under ``runserver`` in
tests/integration/test_django_integration.py) has its own process and its own
``DJANGO_SETTINGS_MODULE``; it does not come through here.
"""

from __future__ import annotations

import atexit
import importlib.util
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

#: A setting only this configuration has: how a later call recognises it.
MARKER = "PYIDM_TEST_DJANGO_CONFIGURATION"

#: The DOT provider's login page template (templates/registration/login.html).
_DOT_TEMPLATES = Path(__file__).resolve().parent / "provider_dot" / "templates"


class DjangoConfigurationError(RuntimeError):
    """Django was configured in this process by something other than :func:`configure_django`."""


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _settings(db_path: Path) -> dict[str, Any]:
    apps = [
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "rest_framework",
    ]
    # Optional so that the Django unit tests do not need DOT; the DOT fixture checks for it
    # itself and fails loudly without it.
    if _installed("oauth2_provider"):
        apps.append("oauth2_provider")
    return {
        MARKER: True,
        "DEBUG": False,
        "SECRET_KEY": secrets.token_urlsafe(50),
        # The DOT server on loopback; Django's test clients ("testserver") and the unit tests'
        # resource (https://api.example/orders).
        "ALLOWED_HOSTS": ["127.0.0.1", "testserver", "api.example"],
        "INSTALLED_APPS": apps,
        # What DOT's login view needs; the unit tests override MIDDLEWARE per test.
        "MIDDLEWARE": [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        "ROOT_URLCONF": "tests.provider_dot.urls",
        "DATABASES": {
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(db_path)},
        },
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "TEMPLATES": [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [str(_DOT_TEMPLATES)],
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                    ]
                },
            }
        ],
        # Test speed: DOT hashes client secrets (and Django passwords) with the first
        # hasher; PBKDF2's million rounds would cost ~0.5 s per token request.
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "LOGIN_URL": "/accounts/login/",
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        # Set by the DOT provider when it starts (its issuer has the port in it).
        "OAUTH2_PROVIDER": {},
    }


def configure_django() -> None:
    """Configure Django for this test process once; later calls check and return.

    Raises :class:`DjangoConfigurationError` when Django's settings were configured by
    anything else: running on a configuration this module did not write would make the
    result depend on test order again.
    """
    import django
    from django.conf import settings

    if settings.configured:
        if not getattr(settings, MARKER, False):
            raise DjangoConfigurationError(
                "Django settings were configured in this process by something other than "
                "tests/django_settings.py:configure_django(); every in-process Django user of "
                "the tests must go through it (test order would decide the settings otherwise)"
            )
    else:
        workdir = Path(tempfile.mkdtemp(prefix="pyidm-django-"))
        atexit.register(shutil.rmtree, workdir, ignore_errors=True)
        settings.configure(**_settings(workdir / "db.sqlite3"))
    # Idempotent: the app registry is populated once.
    django.setup()
