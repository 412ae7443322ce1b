"""The Rasa training data, domain and config agree with each other."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_rasa_data_validate_passes_without_warnings():
    rasa = Path(sys.executable).parent / "rasa"
    completed = subprocess.run(
        [str(rasa), "data", "validate", "--config", "config.yml", "--domain", "domain.yml",
         "--data", "nlu/data", "--fail-on-warnings"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
