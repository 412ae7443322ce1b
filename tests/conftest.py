"""How `make test` spreads the suite over two pytest-xdist workers (`-n 2 --dist loadgroup`).

Each directory under tests/ is one unit of work: its conftest's session- and package-scoped
stacks (Rasa, action server, HTTP app, PostgreSQL, Redis, Chromium) then start once, on the one
worker that runs the directory, as they do without xdist. tests/e2e and tests/browser are one
unit: they share the stack below. A test file directly in tests/ is a unit of its own. Without
xdist nothing here changes the run.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.processes import MODEL_PATH, LocalStack, local_stack

TESTS = Path(__file__).resolve().parent
# Directories that share a session stack run in one unit, named after the first.
SHARED_UNITS = {"browser": "e2e"}


@pytest.fixture(scope="session")
def local_servers(tmp_path_factory: pytest.TempPathFactory) -> LocalStack:
    """Action server, Rasa server and HTTP app as `python -m assistant run` starts them, for the
    end-to-end tests and the browser tests: both need nothing else, so one start serves both
    (a start costs some 19 s of CPU). Feedback goes to a database of its own, not var/."""
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    workdir = tmp_path_factory.mktemp("servers")
    stack = local_stack(workdir, api_env={"INSATSLOTSEN_FEEDBACK_DB": f"sqlite:///{workdir / 'feedback.db'}"})
    stack.supervisor.start()
    yield stack
    stack.supervisor.stop()

# The units that take longest, longest first (seconds per directory in one serial run on this
# machine, docs/benchmarks.md, "Build and test time"): the workers take units in collection
# order, so the long ones go first and the short ones fill in behind them, instead of one worker
# finishing tests/stores alone at the end.
LONGEST_FIRST = ("stores", "deploy", "faults", "widget_session", "e2e", "security", "fuzz",
                 "test_dialogue_evaluation.py", "knowledge", "teams")


def work_unit(path: Path) -> str:
    """tests/<directory>/... -> <directory> (or the unit it shares a stack with); tests/<file>.py
    -> <file>.py."""
    first = path.resolve().relative_to(TESTS).parts[0]
    return SHARED_UNITS.get(first, first)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the marks into node ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # On its workers, where collection happens, xdist sets `dist` to "no" and keeps the choice in
    # option.loadgroup: checking `dist` alone left every test ungrouped, so each directory's
    # stacks started on both workers (the cluster, the replicas, the browser's servers twice).
    if not config.pluginmanager.hasplugin("xdist") or not (
            getattr(config.option, "loadgroup", False) or config.getoption("dist", "no") == "loadgroup"):
        return
    for item in items:
        item.add_marker(pytest.mark.xdist_group(work_unit(item.path)))
    # The scheduler hands out units in the order the workers collected them; every worker sorts
    # the same way, so their collections stay identical.
    rank = {unit: index for index, unit in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(work_unit(item.path), len(rank)))
