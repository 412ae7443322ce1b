"""The trained model on data it was not trained on: the held-out NLU set and the test stories."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.processes import MODEL_PATH, QUIET_ENV, ROOT

RASA = Path(sys.executable).parent / "rasa"


def _endpoints_env(out: Path) -> dict[str, str]:
    # endpoints.yml reads these; `rasa test core` opens the tracker store it names.
    return {"TRACKER_DB": str(out / "tracker.db"), "ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook"}


def _rasa_test(kind: str, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(RASA), "test", kind, "--model", str(MODEL_PATH), "--out", str(out), "--no-plot", *args],
        cwd=ROOT, env={**os.environ, **QUIET_ENV, **_endpoints_env(out)}, capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="module")
def nlu_results(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nlu")
    completed = _rasa_test("nlu", out, "--nlu", "tests/nlu/heldout.yml")
    assert completed.returncode == 0, completed.stderr[-3000:]
    return out


def test_intents_on_the_held_out_set_reach_macro_f1_0_95(nlu_results):
    report = json.loads((nlu_results / "intent_report.json").read_text())
    assert report["macro avg"]["f1-score"] >= 0.95


def test_entities_on_the_held_out_set_reach_f1_0_90(nlu_results):
    # One report per entity extractor in config.yml's pipeline (StoredCRFEntityExtractor_report.json, ...).
    reports = [p for p in nlu_results.glob("*_report.json") if p.name != "intent_report.json"]
    assert reports, "rasa test nlu wrote no entity report"
    for path in reports:
        assert json.loads(path.read_text())["micro avg"]["f1-score"] >= 0.90, path.name


def test_every_test_story_is_followed(tmp_path):
    completed = _rasa_test("core", tmp_path, "--stories", "tests/stories", "--fail-on-prediction-errors")
    failed = (tmp_path / "failed_test_stories.yml")
    assert completed.returncode == 0, failed.read_text() if failed.exists() else completed.stderr[-3000:]
