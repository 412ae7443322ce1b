"""The second unit of work for tests/test_xdist_units.py: the same fixture and tests as
tests/xdist_probe_one.py, in a module of its own."""
from tests.xdist_probe_one import recorded_setup, test_uses_the_module_fixture  # noqa: F401
