"""The fresh NLU probe sets (benchmarks/data/nlu_fresh*_{tune,check}.yaml) written after the
near-copy check became a test: well-formed, mostly folded or with typos, and no near copy of a
message in the training data or in any other labelled set."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from knowledge.criteria import FACTS, validate_facts
from knowledge.ingest.swedish import fold
from tests.nlu.test_eval_set import EVAL_DIR, HALVES, KINDS, SUBSETS, _domain_intents
from tests.near_copies import near_copies
from tests.nlu.test_heldout_is_disjoint import HELDOUT, _examples, _plain, _training

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "benchmarks" / "data"
FRESH = ("nlu_fresh18", "nlu_fresh19", "nlu_fresh20", "nlu_fresh21")


def _load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _halves(name: str) -> dict[str, list[dict]]:
    return {half: _load(DATA_DIR / f"{name}_{half}.yaml") for half in ("tune", "check")}


def _words(text: str) -> set[str]:
    return set(fold(_plain(text)).split())


def _other_texts(name: str) -> list[str]:
    """Every message the fresh set must not copy: training examples, tests/nlu/heldout.yml, both
    halves of tests/data/nlu_eval and every other fresh set."""
    texts = [example for _, example in _training()] + [example for _, example in _examples(HELDOUT)]
    texts += [item["text"] for half in HALVES for item in _load(EVAL_DIR / f"{half}.yaml")]
    texts += [item["text"] for path in sorted(DATA_DIR.glob("nlu_fresh*.yaml")) if not path.name.startswith(f"{name}_")
              for item in _load(path)]
    return texts


@pytest.mark.parametrize("name", FRESH)
def test_no_fresh_message_is_a_near_copy_of_another_labelled_message(name):
    # A near copy would carry a training example into a check half, or a check message of an
    # earlier set into a tune half.
    fresh = [item["text"] for items in _halves(name).values() for item in items]
    assert near_copies(fresh, _other_texts(name), _words) == []


@pytest.mark.parametrize("name", FRESH)
def test_a_third_of_a_fresh_set_is_folded_a_quarter_has_typos_and_each_half_has_every_subset(name):
    # fresh18-20 were over half folded; fresh21 is a third each of folded, typo and clean text.
    halves = _halves(name)
    items = [item for half in halves.values() for item in half]
    subsets = Counter(item["subset"] for item in items)
    assert len(items) >= 150 and set(subsets) == SUBSETS
    assert subsets["folded"] >= len(items) / 3 and subsets["typo"] >= len(items) / 4 - 1
    assert not [item["text"] for item in items if item["subset"] == "folded" and any(c in item["text"].lower() for c in "åäö")]
    for half in halves.values():  # split alternately, so the halves differ a little per subset
        assert {item["subset"] for item in half} == SUBSETS and abs(len(half) - len(items) / 2) <= 1
        assert {"case", "answer", "guideline", "outreach"} <= {item["kind"] for item in half}
    plain = [_plain(item["text"]) for item in items]
    assert sorted({text for text in plain if plain.count(text) > 1}) == []


@pytest.mark.parametrize("name", FRESH)
def test_every_fresh_item_is_labelled_with_known_names_and_valid_values(name):
    intents = _domain_intents()
    for item in (item for half in _halves(name).values() for item in half):
        assert set(item) <= {"text", "intent", "facts", "subset", "kind", "pending"}, item["text"]
        assert item["intent"] in intents and item["subset"] in SUBSETS and item["kind"] in KINDS, item["text"]
        assert validate_facts(item["facts"]) == item["facts"], item["text"]
        assert (item["kind"] == "answer") == ("pending" in item), item["text"]
        assert item.get("pending", "alder") in FACTS, item["text"]
