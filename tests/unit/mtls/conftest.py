"""Certificates for the mTLS unit tests: made once per session with trustme and cryptography."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.provider.tls import TlsMaterial, make_tls_material


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> TlsMaterial:
    directory: Path = tmp_path_factory.mktemp("mtls-certs")
    return make_tls_material(directory)
