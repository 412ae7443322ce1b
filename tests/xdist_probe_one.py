"""Run only by tests/test_xdist_units.py (the name does not match test_*.py): a module-scoped
fixture that records on which worker it is set up, and tests that use it."""
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def recorded_setup():
    with Path(os.environ["XDIST_PROBE_LOG"]).open("a") as log:
        log.write(f"{Path(__file__).stem} {os.environ.get('PYTEST_XDIST_WORKER')}\n")


@pytest.mark.parametrize("number", range(6))
def test_uses_the_module_fixture(recorded_setup, number):
    pass
