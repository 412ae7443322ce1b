"""The NLU evaluation set (tests/data/nlu_eval) stays fresh, well-formed and split in two halves."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.criteria import FACTS, validate_facts
from tests.nlu.test_heldout_is_disjoint import HELDOUT, _examples, _plain, _training

ROOT = Path(__file__).resolve().parents[2]
EVAL_DIR = ROOT / "tests" / "data" / "nlu_eval"
HALVES = ("tune", "heldout")
SUBSETS = {"clean", "folded", "typo"}
KINDS = {"case", "answer", "guideline", "outreach", "recommendation", "correction", "role", "meta", "chitchat"}


def _half(name: str) -> list[dict]:
    return yaml.safe_load((EVAL_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def _all_items() -> list[tuple[str, dict]]:
    return [(name, item) for name in HALVES for item in _half(name)]


def _domain_intents() -> set[str]:
    return set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])


def test_no_eval_message_is_a_training_example_or_in_the_older_heldout_file():
    seen = {_plain(example) for _, example in _training()} | {_plain(e) for _, e in _examples(HELDOUT)}
    overlap = sorted({_plain(item["text"]) for _, item in _all_items()} & seen)
    assert overlap == []


def test_the_two_halves_share_no_message_and_none_repeats():
    plain = [_plain(item["text"]) for _, item in _all_items()]
    assert sorted({text for text in plain if plain.count(text) > 1}) == []


def test_the_set_is_large_and_a_third_of_it_is_not_clean_text():
    items = [item for _, item in _all_items()]
    assert len(items) >= 200
    assert sum(item["subset"] != "clean" for item in items) >= len(items) / 3


@pytest.mark.parametrize("half", HALVES)
def test_each_half_has_every_subset_and_the_main_kinds(half):
    items = _half(half)
    assert {item["subset"] for item in items} == SUBSETS
    assert {"case", "answer", "guideline", "outreach"} <= {item["kind"] for item in items}


@pytest.mark.parametrize("half, item", _all_items(), ids=lambda value: value if isinstance(value, str) else value["text"][:40])
def test_every_item_is_labelled_with_known_names_and_valid_values(half, item):
    assert set(item) <= {"text", "intent", "facts", "subset", "kind", "pending"}
    assert item["intent"] in _domain_intents()
    assert item["subset"] in SUBSETS and item["kind"] in KINDS
    assert validate_facts(item["facts"]) == item["facts"]
    assert (item["kind"] == "answer") == ("pending" in item)
    if "pending" in item:
        assert item["pending"] in FACTS
