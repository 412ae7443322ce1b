"""The rule files: the six SPEC insatser, their shape, and the date filter."""
from datetime import date
from pathlib import Path

import pytest

from knowledge.criteria import FACTS, load_interventions
from knowledge.criteria.conditions import ConditionError, compile_condition
from knowledge.criteria.schema import HERE, RuleFileError, load_rulebook

SPEC_INTERVENTIONS = [
    "socialt_inriktad_sysselsattning",
    "arbetsrehabiliterande_sysselsattning",
    "stodinsats_4_2_socialpsykiatri",
    "stodinsats_4_2_lss",
    "stodinsats_4_2_lss_insteg",
    "finsam",
]


def test_the_six_spec_insatser_are_loaded_in_spec_order():
    assert [item["id"] for item in load_interventions()] == SPEC_INTERVENTIONS


def test_each_insats_has_a_swedish_name_legal_basis_and_sourced_criteria():
    for item in load_interventions():
        assert item["name"] and item["legal_basis"]
        for criterion in item["criteria"]:
            assert criterion["text"] and criterion["facts"] and criterion["source"]["section"]


def test_the_handlaggares_own_assessments_say_so():
    for item in load_interventions():
        for criterion in item["criteria"]:
            if criterion["assessed_by"] == "handlaggarens_bedomning":
                assert "bedöms av handläggaren" in criterion["text"], criterion["id"]


def test_no_diagnosis_certificate_or_sjukersattning_is_ever_a_criterion():
    texts = " ".join(c["text"].lower() for item in load_interventions() for c in item["criteria"])
    for word in ("diagnos", "läkarintyg", "sjukersättning", "aktivitetsersättning", "öppen verksamhet ska"):
        assert word not in texts


def test_the_socialpsykiatri_stodinsats_follows_002_and_keeps_004s_working_age():
    item = next(i for i in load_interventions() if i["id"] == "stodinsats_4_2_socialpsykiatri")
    by_id = {criterion["id"]: criterion for criterion in item["criteria"]}
    assert by_id["samtycker_samordning_specialistpsykiatri"]["source"]["section"] == "4.2.3"
    assert by_id["yrkesverksam_alder"]["source"]["doc"].startswith("004_")
    assert "20–64" in by_id["yrkesverksam_alder"]["interpretation"]


def test_every_fact_is_used_by_some_rule():
    rulebook = load_rulebook()
    used = {name for item in rulebook.interventions for c in item.criteria for name in c.condition.facts}
    used |= {name for r in rulebook.referrals for name in r.condition.facts}
    used.add("onskad_omfattning_timmar")  # read by the interval choice
    assert used == set(FACTS)


def test_interventions_before_their_start_date_are_left_out():
    ids = [item["id"] for item in load_interventions(on=date(2022, 6, 30))]
    assert ids == ["socialt_inriktad_sysselsattning", "arbetsrehabiliterande_sysselsattning", "finsam"]


def test_002s_consent_criterion_applies_from_october_2023():
    def consent_listed(day):
        item = next(i for i in load_interventions(on=day) if i["id"] == "stodinsats_4_2_socialpsykiatri")
        return "samtycker_samordning_specialistpsykiatri" in {c["id"] for c in item["criteria"]}

    assert not consent_listed(date(2023, 9, 30))
    assert consent_listed(date(2023, 10, 1))


@pytest.mark.parametrize(
    "condition, message",
    [
        ({"fact": "alder_x", "is": 1}, "unknown fact 'alder_x'"),
        ({"fact": "primart_mal", "is": "jobb"}, "'jobb' is not a valid enum value"),
        ({"fact": "forsorjningsstod", "at_least": 1}, "needs an int fact"),
        ({"fact": "alder", "within": "pensionsalder"}, "unknown range 'pensionsalder'"),
        ({"all": [{"fact": "alder", "is": 3}]}, "needs a list of at least two conditions"),
        ({"some": []}, "expected one of fact/all/any/not"),
    ],
)
def test_a_malformed_condition_fails_at_load_with_its_place(condition, message):
    with pytest.raises(ConditionError, match=message):
        compile_condition(condition, FACTS, {"yrkesverksam_alder": (20, 64)}, "rules/x.yaml")


def test_a_rule_file_whose_id_differs_from_its_name_is_refused(tmp_path: Path):
    source = HERE
    for path in source.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "rules").mkdir()
    for path in (source / "rules").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == "finsam":
            text = text.replace("id: finsam", "id: samordning", 1)
        (tmp_path / "rules" / path.name).write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match="must match the file name"):
        load_rulebook(tmp_path)
