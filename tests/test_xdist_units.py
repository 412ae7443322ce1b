"""`make test`'s two xdist workers take whole units of work (tests/conftest.py): a module's
fixtures are set up once, on one worker, as in a serial run."""
import os
import subprocess
import sys
from pathlib import Path

from assistant.processes import ROOT

PROBES = ["tests/xdist_probe_one.py", "tests/xdist_probe_two.py"]


def test_each_unit_runs_whole_on_one_worker(tmp_path: Path):
    log = tmp_path / "setups.log"
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup",
         "--no-loadscope-reorder", "--basetemp", str(tmp_path / "run"), *PROBES],
        cwd=ROOT, env={**os.environ, "XDIST_PROBE_LOG": str(log)}, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    setups = sorted(log.read_text().split("\n")[:-1])
    # Each module once (not once per worker that got some of its tests).
    assert [line.split()[0] for line in setups] == ["xdist_probe_one", "xdist_probe_two"], setups
