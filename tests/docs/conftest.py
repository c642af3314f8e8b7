"""Fixtures for the documentation tests.

The docs examples run against the same real OpenID provider as the integration tests; its
session fixture lives in tests/integration/conftest.py and is made visible here by import.
"""

from tests.integration.conftest import provider  # noqa: F401
