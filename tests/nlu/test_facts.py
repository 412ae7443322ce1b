"""nlu.facts against the table in facts_cases.yaml, plus the lexicon's coverage of SPEC's facts."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlu.facts import extract_answer, extract_facts

CASES = yaml.safe_load((Path(__file__).with_name("facts_cases.yaml")).read_text(encoding="utf-8"))

# The fact names of SPEC.md's public contract.
SPEC_FACTS = {
    "alder", "malgrupp_socialpsykiatri", "lss_personkrets", "primart_mal",
    "onskar_narma_sig_arbete_eller_studier", "kontakt_specialistpsykiatri",
    "kan_ej_finna_fa_behalla_arbete_pa_egen_hand", "stodbehov_storre_an_jobbtorg",
    "inforstadd_och_beredd", "samtycker_samordning_specialistpsykiatri",
    "bedoms_kunna_borja_arbeta_med_arbetsspecialist", "af_kan_erbjuda_lamplig_atgard",
    "forutsattningar_med_jobbcoach", "klarar_anpassat_arbete_med_jobbcoach",
    "behov_stod_overgangsperiod", "forsorjningsstod", "jobbtorg_del_av_planering",
    "saknar_annan_daglig_sysselsattning", "flera_myndigheter_involverade", "samtycke_finsam",
    "nedsatt_arbetsformaga", "onskad_omfattning_timmar",
}


@pytest.mark.parametrize("case", CASES["facts"], ids=[case["name"] for case in CASES["facts"]])
def test_extract_facts(case):
    assert extract_facts(case["text"]) == case["facts"]


@pytest.mark.parametrize("case", CASES["answers"], ids=[case["name"] for case in CASES["answers"]])
def test_extract_answer(case):
    assert extract_answer(case["text"], case["fact"]) == case["value"]


def test_the_table_is_large_enough():
    assert len(CASES["facts"]) >= 60


def test_every_spec_fact_has_patterns():
    from nlu.facts import _lexicon

    assert set(_lexicon().facts) == SPEC_FACTS


def test_every_spec_fact_is_exercised_by_the_table():
    stated = {fact for case in CASES["facts"] for fact in case["facts"]}
    assert stated == SPEC_FACTS


def test_an_unknown_fact_name_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="known facts: .*forsorjningsstod"):
        extract_answer("ja", "forsorjningstod")


def test_no_number_of_a_personnummer_or_phone_number_becomes_a_fact():
    text = "Hon är 19980312-1234, tel 08-123 45 67, ålder 070 123 45 67, 20 h/v: 199803121234"
    assert extract_facts(text) == {"onskad_omfattning_timmar": 20}


def test_the_lexicon_reads_type_and_number_range_from_the_fact_schema():
    from knowledge.criteria import FACTS
    from nlu.facts import _lexicon

    for name, fact in _lexicon().facts.items():
        schema = FACTS[name]
        assert fact.kind == schema["type"]
        if schema["type"] == "int":
            assert fact.numbers == frozenset(range(schema["min"], schema["max"] + 1))


def test_a_lexicon_value_the_schema_does_not_allow_is_refused_at_load():
    import re

    from knowledge.criteria import FACTS
    from nlu.facts import _check_values, _Fact, _Pattern

    pattern = _Pattern(re.compile("jobb"), "karriar", "ignore", None, None)
    fact = _Fact("primart_mal", "enum", (pattern,), None)
    with pytest.raises(ValueError, match="'karriar' is not a value of the schema"):
        _check_values(fact, FACTS["primart_mal"])


@pytest.mark.parametrize("word, mended", [
    ("psykiatin", "psykiatrin"),     # a letter missing
    ("stuktur", "struktur"),
    ("malgrupen", "malgruppen"),
    ("personkrest", "personkrets"),  # two letters swapped
    ("jobbat", "jobbat"),            # near both "jobbar" and "jobbet": left alone
    ("behovde", "behovde"),          # a key word itself
    ("fbs", "fbs"),                  # too short to mend
    ("kastrull", "kastrull"),        # near nothing
])
def test_a_word_one_typo_from_exactly_one_key_word_is_read_as_it(word, mended):
    from nlu.facts import _lexicon, _spelled

    assert _spelled(word, _lexicon()) == mended


def _case_texts() -> list[str]:
    texts = [case["text"] for case in CASES["facts"]] + [case["text"] for case in CASES.get("answers", [])]
    # The tuning half only: this is about the prefilters, not about what the lexicon reads.
    tune = yaml.safe_load((Path(__file__).parents[1] / "data" / "nlu_eval" / "tune.yaml").read_text(encoding="utf-8"))
    return texts + [item["text"] for item in tune if isinstance(item, dict) and "text" in item]


def test_every_pattern_match_is_found_by_its_prefilter_so_skipping_on_none_loses_nothing():
    from nlu.facts import _lexicon, _sentences

    lexicon = _lexicon()
    patterns = [pattern for fact in lexicon.facts.values() for pattern in fact.patterns]
    assert all(pattern.prefilter is not None for pattern in patterns)
    texts = _case_texts()
    assert len(texts) > 500
    for text in texts:
        for sentence in _sentences(text, lexicon):
            for pattern in patterns:
                if pattern.regex.search(sentence):
                    assert pattern.prefilter.search(sentence), (pattern.regex.pattern, sentence)


def test_the_facts_read_with_and_without_the_prefilters_are_the_same(monkeypatch):
    import dataclasses

    import nlu.facts

    texts = _case_texts()
    with_prefilters = [nlu.facts.extract_facts(text) for text in texts]
    lexicon = nlu.facts._lexicon()
    unfiltered = dataclasses.replace(lexicon, facts={
        name: dataclasses.replace(fact, patterns=tuple(dataclasses.replace(p, prefilter=None) for p in fact.patterns))
        for name, fact in lexicon.facts.items()})
    monkeypatch.setattr(nlu.facts, "_lexicon", lambda: unfiltered)
    assert [nlu.facts.extract_facts(text) for text in texts] == with_prefilters
