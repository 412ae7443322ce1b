"""The Rasa training data, domain and config agree with each other."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Rasa's default fallback action sends utter_default; no rule names it.
SENT_BY_RASA = {"utter_default"}


def _validate() -> subprocess.CompletedProcess:
    rasa = Path(sys.executable).parent / "rasa"
    return subprocess.run(
        [str(rasa), "data", "validate", "--config", "config.yml", "--domain", "domain.yml", "--data", "nlu/data"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


def test_rasa_data_validate_passes_and_warns_only_about_responses_that_actions_send():
    completed = _validate()
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-3000:]
    action_code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "actions").glob("*.py"))
    warnings = re.findall(r"UserWarning: (.*)", output)
    unexplained = []
    for warning in warnings:
        unused = re.fullmatch(r"The utterance '(\w+)' is not used in any story or rule\.", warning.strip())
        if unused and (unused.group(1) in SENT_BY_RASA or f'"{unused.group(1)}"' in action_code):
            continue
        unexplained.append(warning)
    assert unexplained == []
