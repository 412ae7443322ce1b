"""The family of answers that carry content (nlu/data/nlu/answers_with_content.yml) teaches what
it says: a doubt the consultation leaves open, and a yes told from the same statement without it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlu.turn import Turn, read_turn
from tests.nlu.test_heldout_is_disjoint import _ANNOTATION, _examples

FAMILY = Path(__file__).resolve().parents[2] / "nlu" / "data" / "nlu" / "answers_with_content.yml"
_OPENING_YES = re.compile(r"^(ja|jaa|jo|japp|jepp)\b[\s,]*", re.IGNORECASE)


def _family(intent: str) -> list[str]:
    return [_ANNOTATION.sub(r"\1", text) for name, text in _examples(FAMILY) if name == intent]


@pytest.mark.parametrize("text", _family("dont_know"))
def test_a_doubt_about_one_fact_states_no_fact(text):
    # Else the classifier would learn "vet inte" for a message the consultation reads a fact from.
    assert read_turn(Turn("dont_know", text)).facts == {}


@pytest.mark.parametrize("text", _family("affirm"))
def test_every_yes_with_content_opens_with_the_yes(text):
    assert _OPENING_YES.match(text)


def test_each_yes_statement_is_also_there_without_the_yes():
    # The contrast that keeps descriptions of the same facts (inform) from being pulled to affirm.
    without_yes = {_OPENING_YES.sub("", text) for text in _family("affirm")}
    informs = set(_family("inform"))
    missing = sorted(text for text in without_yes if len(text.split()) >= 3 and text not in informs)
    assert missing == []
