"""The term AGEWORD (an age typed as a word) has one owner: nlu/facts.py derives it from the
lexicon's `numbers` table instead of the table of terms restating the number words."""
from __future__ import annotations

import re

import pytest
import yaml

from nlu.facts import LEXICON_PATH, _lexicon, age_words, extract_facts, number_words

LEXICON = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
# The term as fact_patterns.yaml spelled it out before it was derived (session 17): the derived
# term must accept exactly the same words.
RESTATED = re.compile(r"((tjugo|trettio|fyrtio|femtio|sextio|sjuttio|attio|nittio)(en|ett|tva|tre|fyra|fem|sex|sju|atta|nio)?|sjutton|arton|nitton)")


def _derived() -> re.Pattern[str]:
    return re.compile(age_words(LEXICON["numbers"], LEXICON["age_words_from"]))


def test_the_table_of_terms_does_not_restate_the_number_words_as_an_ageword():
    assert "AGEWORD" not in LEXICON["terms"]


def test_the_derived_ageword_accepts_the_same_words_as_the_restated_one():
    candidates = set(number_words(LEXICON["numbers"])) | {"tjugo" + unit for unit in LEXICON["numbers"]}
    assert {word for word in candidates if _derived().fullmatch(word)} == {word for word in candidates if RESTATED.fullmatch(word)}


def test_the_derived_ageword_holds_only_ages_from_seventeen_to_ninety_nine():
    values = {number_words(LEXICON["numbers"])[word] for word in _derived().pattern.strip("()").split("|")}
    assert values == set(range(17, 100))


def test_a_number_word_below_seventeen_is_no_ageword():
    assert _derived().fullmatch("sexton") is None and _derived().fullmatch("tre") is None


@pytest.mark.parametrize("text, age", [("kvinna trettiotva har fsd", 32), ("han är tjugo år", 20), ("hon är arton", 18), ("mannen är fyrtiofem år gammal", 45)])
def test_an_age_typed_as_a_word_is_read(text, age):
    assert extract_facts(text).get("alder") == age


def test_a_compound_number_word_is_read_as_its_value():
    assert _lexicon().numbers["trettiotva"] == 32 and _lexicon().numbers["nittionio"] == 99


def test_a_lexicon_that_restates_ageword_is_refused(tmp_path, monkeypatch):
    import nlu.facts as facts

    restated = {**LEXICON, "terms": {**LEXICON["terms"], "AGEWORD": RESTATED.pattern}}
    path = tmp_path / LEXICON_PATH.name
    path.write_text(yaml.safe_dump(restated, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(facts, "LEXICON_PATH", path)
    facts._lexicon.cache_clear()
    try:
        with pytest.raises(ValueError, match="AGEWORD"):
            facts._lexicon()
    finally:
        facts._lexicon.cache_clear()
