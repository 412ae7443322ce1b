"""Run only by tests/test_xdist_units.py (the name does not match test_*.py): a module-scoped
fixture that records in which module and on which worker it is set up, and tests that use it.
tests/xdist_probe_two.py imports both, so pytest sets the fixture up for that module too."""
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def recorded_setup(request):
    with Path(os.environ["XDIST_PROBE_LOG"]).open("a") as log:
        log.write(f"{request.module.__name__.rsplit('.', 1)[-1]} {os.environ.get('PYTEST_XDIST_WORKER')}\n")


@pytest.mark.parametrize("number", range(6))
def test_uses_the_module_fixture(recorded_setup, number):
    pass
