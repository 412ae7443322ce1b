"""The family of doubts that carry content (nlu/data/nlu/answers_with_content.yml) teaches what
the consultation does with them: a "vet inte" that records no fact."""
from __future__ import annotations

from pathlib import Path

import pytest

from nlu.turn import Turn, read_turn
from tests.nlu.test_heldout_is_disjoint import _ANNOTATION, _examples

FAMILY = Path(__file__).resolve().parents[2] / "nlu" / "data" / "nlu" / "answers_with_content.yml"


def _family(intent: str) -> list[str]:
    return [_ANNOTATION.sub(r"\1", text) for name, text in _examples(FAMILY) if name == intent]


@pytest.mark.parametrize("text", _family("dont_know"))
def test_a_doubt_about_one_fact_states_no_fact(text):
    # Else the classifier would learn "vet inte" for a message the consultation reads a fact from.
    assert read_turn(Turn("dont_know", text)).facts == {}


def test_the_family_has_doubts():
    assert len(_family("dont_know")) >= 15
