"""One owner for each setting: the app's settings object (assistant/settings.py, with the knowledge
base's fields from knowledge/settings.py) and the offline environment (offline.env). A module that
defines a second settings class, reads an INSATSLOTSEN_ variable itself or sets an offline flag of
its own would let two places disagree."""
import ast
import re
from pathlib import Path

import yaml

from assistant.processes import QUIET_ENV
from knowledge.offline import OFFLINE_ENV
from nlu.facts import LEXICON_PATH

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for folder in ("assistant", "knowledge", "actions", "nlu") for p in (ROOT / folder).rglob("*.py")]
SETTINGS_OWNERS = {ROOT / "assistant" / "settings.py", ROOT / "knowledge" / "settings.py"}
# Passing the environment on to child processes, expanding ${VAR} in endpoints.yml exactly as
# Rasa does, setting the offline flags, and the Rasa start (which must read its JWT secret and
# force the flags before Rasa is imported) are not settings of their own.
ENVIRONMENT_USERS = {ROOT / "assistant" / "processes.py", ROOT / "assistant" / "stores" / "config.py",
                     ROOT / "knowledge" / "offline.py", ROOT / "assistant" / "rasa_server.py"}


def _relative(paths) -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in paths)


def test_only_the_settings_modules_define_settings_classes():
    defining = [p for p in SOURCES if re.search(r"class \w+\((\w+\.)?BaseSettings\)", p.read_text())]
    assert _relative(defining) == ["knowledge/settings.py"], "assistant.settings.Settings extends it"


def test_no_module_reads_the_environment_past_the_settings():
    reading = [p for p in SOURCES if p not in SETTINGS_OWNERS | ENVIRONMENT_USERS
               and re.search(r"os\.environ|os\.getenv|getenv\(", p.read_text())]
    assert _relative(reading) == []


def test_handlers_take_the_settings_from_one_dependency():
    defining = [p for p in SOURCES if re.search(r"^AppSettings\s*=", p.read_text(), re.M)]
    assert _relative(defining) == ["assistant/deps.py"]


def test_the_offline_flags_are_set_only_from_offline_env():
    names = "|".join(OFFLINE_ENV)
    setting = [p for p in SOURCES if p != ROOT / "knowledge" / "offline.py"
               and re.search(rf"[\"']({names})[\"']\s*[:\]]", p.read_text())]
    assert _relative(setting) == []
    assert {k: QUIET_ENV[k] for k in OFFLINE_ENV} == OFFLINE_ENV
    assert OFFLINE_ENV["RASA_TELEMETRY_ENABLED"] == "false" and OFFLINE_ENV["HF_HUB_OFFLINE"] == "1"
    makefile = (ROOT / "Makefile").read_text()
    assert "include offline.env" in makefile and not re.search(rf"^export ({names})\b", makefile, re.M)


def _word_lists(tree: ast.AST):
    """Each string of a module but its docstrings, as the set of words it holds, and each literal
    list, set or tuple of strings as one set: where a copy of a word list would sit."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield set(re.findall(r"\w+", node.value))
        elif isinstance(node, (ast.List, ast.Set, ast.Tuple)) and node.elts and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            yield {e.value for e in node.elts}


def test_the_reply_word_lists_live_only_in_the_lexicon():
    # nlu/fact_patterns.yaml's answers.hedges, acknowledging and correcting own the words a whole
    # reply of doubt, thanks or taking back is made of; a module that spells out several of them again
    # (as nlu.turn once did) would let the two lists drift apart.
    lexicon = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))["answers"]
    owned = [set(lexicon[kind]) for kind in ("hedges", "acknowledging", "correcting")]
    copying = {p for p in SOURCES for words in _word_lists(ast.parse(p.read_text()))
               if any(len(words & list_) >= 4 for list_ in owned)}
    assert _relative(copying) == []
