"""The next question: only one whose answer can change what would be recommended, the one that
changes most first, behov/syfte/mål before any fact, nothing asked twice."""
from datetime import date

import pytest
from hypothesis import given, settings

from knowledge.criteria import check
from knowledge.criteria.next_question import BEHOV_SYFTE_MAL, answers, deciding_facts, next_question
from knowledge.criteria.schema import load_rulebook
from tests.knowledge.criteria.test_criteria_properties import facts_strategy

DAY = date(2026, 6, 1)
COMMON_CASE = {"alder": 34, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True}


def test_behov_syfte_och_malsattning_come_before_any_fact():
    assert next_question({}, behov_known=False, on=DAY) == BEHOV_SYFTE_MAL


def test_a_stated_goal_stands_in_for_the_behov_question():
    assert next_question({"primart_mal": "arbete"}, behov_known=False, on=DAY) != BEHOV_SYFTE_MAL


def test_behov_left_open_is_not_asked_again():
    assert next_question({}, behov_known=False, left_open=[BEHOV_SYFTE_MAL], on=DAY) != BEHOV_SYFTE_MAL


def test_no_question_once_an_insats_is_eligible():
    facts = {**COMMON_CASE, "onskar_narma_sig_arbete_eller_studier": False}
    assert next_question(facts, behov_known=True, on=DAY) is None


def test_the_wish_about_work_is_asked_first_in_the_most_common_case():
    assert next_question(COMMON_CASE, behov_known=True, on=DAY) == "onskar_narma_sig_arbete_eller_studier"


def test_a_fact_whose_every_answer_changes_nothing_that_would_be_recommended_is_skipped():
    ranked = deciding_facts(load_rulebook(), COMMON_CASE, DAY)
    # The hours choose an interval, reduced work capacity adds a referral: neither decides.
    assert "onskad_omfattning_timmar" not in ranked
    assert "nedsatt_arbetsformaga" not in ranked


def test_a_stated_fact_is_never_asked_again_even_when_it_is_oklart():
    facts = {**COMMON_CASE, "primart_mal": "oklart"}
    ranked = deciding_facts(load_rulebook(), facts, DAY)
    assert "primart_mal" not in ranked and "alder" not in ranked


def test_a_fact_left_open_is_passed_over_for_the_next_one():
    first = next_question(COMMON_CASE, behov_known=True, on=DAY)
    second = next_question(COMMON_CASE, behov_known=True, left_open=[first], on=DAY)
    assert second not in (None, first)


def test_nothing_is_asked_when_no_answer_can_change_the_outcome():
    # A child: every sysselsättning and stödinsats is out, and no answer can bring one back.
    facts = {"alder": 12, "lss_personkrets": 0}
    assert next_question(facts, behov_known=True, on=DAY) is None


def test_the_edge_assessment_of_working_age_is_asked_only_at_the_edge():
    assert "yrkesverksam_alder_bedoms" not in deciding_facts(load_rulebook(), COMMON_CASE, DAY)
    at_edge = {**COMMON_CASE, "alder": 19, "onskar_narma_sig_arbete_eller_studier": False}
    assert next_question(at_edge, behov_known=True, on=DAY) == "yrkesverksam_alder_bedoms"


def test_an_age_is_tried_at_every_bound_the_rules_compare_it_with():
    tried = answers(load_rulebook(), "alder")
    assert {17, 18, 19, 20, 64, 65, 66, 67} <= set(tried)


def test_the_check_result_lists_the_deciding_facts_in_order():
    assert check(COMMON_CASE, on=DAY)["next_facts"] == deciding_facts(load_rulebook(), COMMON_CASE, DAY)


def test_when_the_wish_is_unknown_the_likeliest_insats_is_provisional_and_primary_stays_empty():
    result = check({**COMMON_CASE, "primart_mal": "social_samvaro"}, on=DAY)
    assert result["recommendation"]["primary"] is None
    assert result["recommendation"]["provisional"] == {
        "id": "socialt_inriktad_sysselsattning",
        "pending_facts": ["onskar_narma_sig_arbete_eller_studier"],
        "name": "Socialt inriktad sysselsättning",
    }
    assert result["recommendation"]["explanation"].startswith("Troligast: Socialt inriktad sysselsättning, om")


def test_the_provisional_insats_is_the_one_whose_decisive_criteria_the_facts_support():
    # In the target group, with a psychiatric contact and work as the goal, but the LSS
    # personkrets unknown: the socialpsykiatri stödinsats, not Insteg, is the likelier one.
    facts = {
        "alder": 30, "malgrupp_socialpsykiatri": True, "kontakt_specialistpsykiatri": True, "primart_mal": "arbete",
        "onskar_narma_sig_arbete_eller_studier": True, "kan_ej_finna_fa_behalla_arbete_pa_egen_hand": True,
        "forsorjningsstod": False, "stodbehov_storre_an_jobbtorg": False,
    }
    assert check(facts, on=DAY)["recommendation"]["provisional"]["id"] == "stodinsats_4_2_socialpsykiatri"


# In the target group and wanting work, but neither sysselsättning nor the socialpsykiatri
# stödinsats can be had (no larger support need than Jobbtorg, no psychiatric contact); the LSS
# personkrets is not known.
ONLY_LSS_OPEN = {
    "alder": 40, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
    "onskar_narma_sig_arbete_eller_studier": True, "primart_mal": "studier", "forsorjningsstod": False,
    "stodbehov_storre_an_jobbtorg": False, "kontakt_specialistpsykiatri": False,
}


def test_an_insats_merely_not_ruled_out_is_not_named_provisional():
    # Nothing known points to the LSS insatser (Insteg is for people in personkrets 1 or 2, 004):
    # "Troligast: Insteg" would be no answer the known facts allow.
    result = check(ONLY_LSS_OPEN, on=DAY)
    status = {entry["id"]: entry["status"] for entry in result["interventions"]}
    assert status["stodinsats_4_2_lss_insteg"] == status["stodinsats_4_2_lss"] == "undetermined"
    assert result["recommendation"]["provisional"] is None
    assert result["recommendation"]["way_forward"] is not None
    assert not result["recommendation"]["explanation"].startswith("Troligast")


def test_a_question_that_would_point_to_an_insats_is_still_asked_when_none_is_provisional():
    # Personkrets 1 or 2 would make Insteg the best answer: the question decides.
    assert next_question(ONLY_LSS_OPEN, behov_known=True, on=DAY) == "lss_personkrets"
    with_personkrets = check({**ONLY_LSS_OPEN, "lss_personkrets": 2}, on=DAY)
    assert with_personkrets["recommendation"]["provisional"]["id"] == "stodinsats_4_2_lss_insteg"


def test_with_the_personkrets_left_open_the_jobbcoach_assessments_are_not_asked():
    # The handläggare assesses a person for an insats within its target group (002 Bilaga 2,
    # Informationsmöte): without the personkrets, Iwork's jobbcoach questions point nowhere.
    assert next_question(ONLY_LSS_OPEN, behov_known=True, left_open=["lss_personkrets"], on=DAY) is None
    pointed = check({**ONLY_LSS_OPEN, "forutsattningar_med_jobbcoach": True}, on=DAY)
    assert pointed["recommendation"]["provisional"] is None


def test_the_target_group_alone_points_to_the_sysselsattningar():
    result = check(COMMON_CASE, on=DAY)
    assert result["recommendation"]["provisional"]["id"] == "socialt_inriktad_sysselsattning"
    outside = check({"alder": 34, "saknar_annan_daglig_sysselsattning": True}, on=DAY)
    assert outside["recommendation"]["provisional"] is None


@pytest.mark.parametrize("goal", ["social_samvaro", "struktur_i_vardagen", "meningsfull_aktivitet"])
def test_with_a_social_goal_and_the_wish_left_open_no_lss_or_jobbcoach_question_is_asked(goal):
    # 002 §3.2: behov, syfte och målsättning point to socialt inriktad sysselsättning; an LSS
    # personkrets would only open insatser that need the same unknown wish.
    facts = {**COMMON_CASE, "primart_mal": goal, "forsorjningsstod": False}
    wish = "onskar_narma_sig_arbete_eller_studier"
    assert next_question(facts, behov_known=True, on=DAY) == wish
    assert next_question(facts, behov_known=True, left_open=[wish], on=DAY) is None
    assert check(facts, on=DAY)["recommendation"]["provisional"]["id"] == "socialt_inriktad_sysselsattning"


def test_a_goal_of_work_points_to_arbetsrehabiliterande_sysselsattning_while_the_support_need_is_open():
    facts = {**COMMON_CASE, "primart_mal": "arbete", "forsorjningsstod": False, "kontakt_specialistpsykiatri": False}
    assert check(facts, on=DAY)["recommendation"]["provisional"]["id"] == "arbetsrehabiliterande_sysselsattning"


def test_the_goal_is_not_asked_on_its_own_after_behov_syfte_och_malsattning_was_left_open():
    asked = []
    for _ in range(load_rulebook().unanswered_limit):
        question = next_question({}, behov_known=False, left_open=asked, on=DAY)
        if question is None:
            break
        asked.append(question)
    assert asked[0] == BEHOV_SYFTE_MAL and "primart_mal" not in asked


def test_an_eligible_primary_leaves_no_provisional():
    result = check({**COMMON_CASE, "onskar_narma_sig_arbete_eller_studier": False}, on=DAY)
    assert result["recommendation"]["provisional"] is None and result["recommendation"]["way_forward"] is None


def _outcome(result):
    rec = result["recommendation"]
    return rec["primary"], (rec["provisional"] or {}).get("id")


@settings(max_examples=40, deadline=None)
@given(facts_strategy)
def test_every_listed_question_has_an_answer_that_changes_the_outcome_and_none_is_stated(facts):
    result = check(facts, on=DAY)
    rulebook = load_rulebook()
    for name in result["next_facts"]:
        assert name not in facts
        outcomes = {_outcome(check({**facts, name: value}, on=DAY)) for value in answers(rulebook, name)}
        assert outcomes - {_outcome(result)}, name


def test_the_deciding_facts_of_the_same_facts_are_worked_out_once(monkeypatch):
    from knowledge.criteria import next_question as module
    from knowledge.criteria.schema import load_rulebook

    rulebook = load_rulebook()
    first = module.deciding_facts(rulebook, COMMON_CASE, DAY)
    monkeypatch.setattr(module, "_deciding_facts", lambda *args: pytest.fail("worked out again"))
    again = module.deciding_facts(rulebook, dict(reversed(list(COMMON_CASE.items()))), DAY)
    assert again == first and again is not first


def test_other_facts_a_later_day_or_another_rulebook_are_worked_out_afresh(monkeypatch):
    import dataclasses

    from knowledge.criteria import next_question as module
    from knowledge.criteria.schema import load_rulebook

    rulebook = load_rulebook()
    module.deciding_facts(rulebook, COMMON_CASE, DAY)
    worked_out = []
    stock = module._deciding_facts
    monkeypatch.setattr(module, "_deciding_facts", lambda *args: worked_out.append(args) or stock(*args))
    stated = module.deciding_facts(rulebook, {**COMMON_CASE, "onskar_narma_sig_arbete_eller_studier": True}, DAY)
    assert "onskar_narma_sig_arbete_eller_studier" not in stated
    module.deciding_facts(rulebook, COMMON_CASE, DAY.replace(year=DAY.year + 1))
    module.deciding_facts(dataclasses.replace(rulebook, question_weights={}), COMMON_CASE, DAY)
    assert len(worked_out) == 3


# Insteg eligible: personkrets 1, the wish, förutsättningar med jobbcoach, cannot find work alone, no fbs.
INSTEG_ELIGIBLE = {
    "alder": 30, "lss_personkrets": 1, "onskar_narma_sig_arbete_eller_studier": True,
    "forutsattningar_med_jobbcoach": True, "kan_ej_finna_fa_behalla_arbete_pa_egen_hand": True,
    "forsorjningsstod": False,
}


def test_an_eligible_insteg_does_not_end_the_questions_while_the_full_lss_insats_is_open():
    # 004: Insteg is the introductory alternative to the full insats, and what the handläggare
    # informs about when the full criteria are not met; so the full insats is settled first.
    assert check(INSTEG_ELIGIBLE, on=DAY)["recommendation"]["primary"] == "stodinsats_4_2_lss_insteg"
    question = next_question(INSTEG_ELIGIBLE, behov_known=True, on=DAY)
    full = next(i for i in check(INSTEG_ELIGIBLE, on=DAY)["interventions"] if i["id"] == "stodinsats_4_2_lss")
    assert question is not None and question in full["missing_facts"]


def test_insteg_ends_the_questions_once_the_full_lss_insats_is_ruled_out():
    facts = {**INSTEG_ELIGIBLE, "af_kan_erbjuda_lamplig_atgard": True}
    assert next_question(facts, behov_known=True, on=DAY) is None


def test_the_full_lss_insats_is_not_pursued_past_what_was_left_open():
    full = next(i for i in check(INSTEG_ELIGIBLE, on=DAY)["interventions"] if i["id"] == "stodinsats_4_2_lss")
    assert next_question(INSTEG_ELIGIBLE, behov_known=True, left_open=full["missing_facts"], on=DAY) is None


def test_the_full_lss_insats_becomes_primary_when_its_open_facts_are_met():
    facts = {**INSTEG_ELIGIBLE, "inforstadd_och_beredd": True, "klarar_anpassat_arbete_med_jobbcoach": True,
             "behov_stod_overgangsperiod": True, "af_kan_erbjuda_lamplig_atgard": False}
    assert next_question(facts, behov_known=True, on=DAY) is None
    assert check(facts, on=DAY)["recommendation"]["primary"] == "stodinsats_4_2_lss"


def test_after_the_limit_of_unanswered_questions_the_dialogue_answers_instead_of_asking():
    limit = load_rulebook().unanswered_limit
    open_ = ["onskar_narma_sig_arbete_eller_studier", "malgrupp_socialpsykiatri", "forsorjningsstod",
             "saknar_annan_daglig_sysselsattning", "kontakt_specialistpsykiatri", "lss_personkrets",
             "stodbehov_storre_an_jobbtorg", "kan_ej_finna_fa_behalla_arbete_pa_egen_hand"][:limit]
    assert len(open_) == limit
    assert next_question({"alder": 52}, behov_known=True, left_open=open_[:-1], on=DAY) is not None
    assert next_question({"alder": 52}, behov_known=True, left_open=open_, on=DAY) is None


def test_the_unanswered_limit_must_be_a_positive_whole_number(tmp_path):
    import shutil

    import pytest
    from knowledge.criteria.schema import HERE, RuleFileError

    copy = tmp_path / "criteria"
    shutil.copytree(HERE, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    policy = copy / "recommendation.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("unanswered_limit: 6", "unanswered_limit: 0"), encoding="utf-8")
    load_rulebook.cache_clear()
    try:
        with pytest.raises(RuleFileError, match="unanswered_limit"):
            load_rulebook(copy)
    finally:
        load_rulebook.cache_clear()
