"""Test order never decides the Django configuration (tests/django_settings.py).

The Django/DRF unit tests and the django-oauth-toolkit provider share one process-wide
Django configuration. When each configured its own, whichever ran first won and the other
failed. A separate ``pytest`` process per order (the in-process settings of this run are
already made, so only a fresh process can show what the first configurer does): the
smallest DRF unit module and one DOT provider test, both orders.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRF_UNIT = "tests/unit/integrations/test_django_drf.py"
DOT_TEST = "tests/integration/test_dot_provider.py::test_discovery"


@pytest.mark.parametrize(
    "order", [(DRF_UNIT, DOT_TEST), (DOT_TEST, DRF_UNIT)], ids=["unit-first", "provider-first"]
)
def test_both_orders_pass_in_one_process(order: tuple[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-q", *order],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    # Both modules ran: the DRF module's tests and the DOT test, none skipped.
    summary = re.search(r"^(\d+) passed in ", done.stdout, re.MULTILINE)
    assert summary is not None, done.stdout[-2000:]
    assert int(summary.group(1)) > 2


def test_a_foreign_configuration_is_refused() -> None:
    # Django configured by anything but configure_django(): refused, never silently used.
    code = (
        "from django.conf import settings\n"
        "settings.configure(SECRET_KEY='x')\n"
        "from tests.django_settings import DjangoConfigurationError, configure_django\n"
        "try:\n"
        "    configure_django()\n"
        "except DjangoConfigurationError as exc:\n"
        "    print('refused:', exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused: Django settings were configured in this process")
