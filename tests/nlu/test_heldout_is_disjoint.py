"""The held-out NLU set must stay unseen: no utterance may also be a training example."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TRAINING_DIR = ROOT / "nlu" / "data" / "nlu"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"

# "[28](alder)" and '[4:2]{"entity": "insats", ...}' both become their plain text "28" / "4:2".
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_ENTITY_NAME = re.compile(r"\[[^\]]+\]\(([^):]+)[^)]*\)|\[[^\]]+\]\{\s*\"entity\"\s*:\s*\"([^\"]+)\"")


def _examples(path: Path) -> list[tuple[str, str]]:
    """(intent, raw example) pairs of one Rasa YAML file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for block in document.get("nlu", []):
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((block["intent"], line[2:].strip()))
    return pairs


def _plain(example: str) -> str:
    """Case-, space- and punctuation-insensitive text, so "Ja, det har han!" equals "ja det har han"."""
    text = _ANNOTATION.sub(r"\1", example).lower()
    return " ".join(re.sub(r"[^\w:§]+", " ", text).split())


def _training() -> list[tuple[str, str]]:
    return [pair for path in sorted(TRAINING_DIR.glob("*.yml")) for pair in _examples(path)]


def test_no_heldout_utterance_is_in_the_training_data():
    seen = {_plain(example) for _, example in _training()}
    overlap = sorted({_plain(example) for _, example in _examples(HELDOUT)} & seen)
    assert overlap == []


def test_heldout_has_no_duplicates_of_its_own():
    plain = [_plain(example) for _, example in _examples(HELDOUT)]
    duplicates = sorted({text for text in plain if plain.count(text) > 1})
    assert duplicates == []


def test_heldout_is_large_enough():
    assert len(_examples(HELDOUT)) >= 170


@pytest.mark.parametrize("intent", sorted({intent for intent, _ in _training()}))
def test_every_training_intent_has_at_least_eight_heldout_utterances(intent):
    count = sum(1 for heldout_intent, _ in _examples(HELDOUT) if heldout_intent == intent)
    assert count >= 8


def test_heldout_uses_only_intents_the_model_is_trained_on():
    assert {intent for intent, _ in _examples(HELDOUT)} <= {intent for intent, _ in _training()}


@pytest.mark.parametrize("entity", ["alder", "timmar", "personkrets", "insats", "roll"])
def test_heldout_annotates_every_entity(entity):
    names = set()
    for _, example in _examples(HELDOUT):
        for match in _ENTITY_NAME.finditer(example):
            names.add(match.group(1) or match.group(2))
    assert entity in names
