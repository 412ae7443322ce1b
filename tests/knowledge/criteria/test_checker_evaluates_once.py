"""One check evaluates each criterion once for the stated facts: the statuses, the standing (the
provisional insats) and the deciding facts all read engine.assess()'s single evaluation; and
reading that evaluation gives exactly what evaluating afresh gives."""
import dataclasses
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.criteria import checker
from knowledge.criteria.engine import assess, evaluate, open_facts, standing
from knowledge.criteria.facts import validate_facts
from knowledge.criteria.schema import load_rulebook

DAY = date(2026, 6, 1)
PERSONAS = yaml.safe_load((Path(__file__).parents[2] / "e2e" / "personas.yaml").read_text(encoding="utf-8"))
# What each of 003's personas amounts to once the handläggare has answered (tests/e2e/personas.yaml),
# plus the ways a check can end: eligible, provisional, nothing yet, and ruled out.
FACT_SETS = {
    **{name: persona["expect_facts"] for name, persona in PERSONAS.items()},
    "none_stated": {},
    "socialt_eligible": {"alder": 34, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
                         "onskar_narma_sig_arbete_eller_studier": False},
    "fsd_with_jobbtorg": {"alder": 40, "malgrupp_socialpsykiatri": True, "forsorjningsstod": True,
                          "jobbtorg_del_av_planering": True, "primart_mal": "arbete"},
    "child": {"alder": 12, "malgrupp_socialpsykiatri": True},
    "insteg": {"alder": 22, "lss_personkrets": 2, "onskar_narma_sig_arbete_eller_studier": True,
               "forutsattningar_med_jobbcoach": True, "forsorjningsstod": False},
}


def counting_rulebook(rulebook, calls: Counter, watched: dict):
    """`rulebook` with each criterion's condition counting the calls made with `watched` facts."""
    def counted(criterion, key):
        inner = criterion.condition.evaluate

        def evaluate(facts):
            if dict(facts) == watched:
                calls[key] += 1
            return inner(facts)

        return dataclasses.replace(criterion, condition=dataclasses.replace(criterion.condition, evaluate=evaluate))

    return dataclasses.replace(rulebook, interventions=tuple(
        dataclasses.replace(item, criteria=tuple(counted(c, (item.id, c.id)) for c in item.criteria))
        for item in rulebook.interventions
    ))


@pytest.mark.parametrize("name", sorted(FACT_SETS))
def test_a_check_evaluates_each_criterion_once_for_the_stated_facts(name, monkeypatch):
    known = validate_facts(FACT_SETS[name])
    calls: Counter = Counter()
    rulebook = counting_rulebook(load_rulebook(), calls, known)
    applying = {(item.id, c.id) for item, values, _ in assess(load_rulebook(), known, DAY) for c, _ in values}
    monkeypatch.setattr(checker, "load_rulebook", lambda: rulebook)
    checker.check(known, on=DAY)
    assert set(calls) == applying
    assert set(calls.values()) == {1}, {key: n for key, n in calls.items() if n != 1}


def test_evaluating_afresh_counts_once_more_so_the_count_can_fail(monkeypatch):
    known = validate_facts(FACT_SETS["socialt_eligible"])
    calls: Counter = Counter()
    rulebook = counting_rulebook(load_rulebook(), calls, known)
    evaluate(rulebook, known, DAY)
    standing(rulebook, known, DAY)
    assert set(calls.values()) == {2}


@pytest.mark.parametrize("name", sorted(FACT_SETS))
def test_reading_one_evaluation_gives_what_evaluating_afresh_gives(name):
    rulebook, known = load_rulebook(), validate_facts(FACT_SETS[name])
    assessed = assess(rulebook, known, DAY)
    assert evaluate(rulebook, known, DAY, assessed=assessed) == evaluate(rulebook, known, DAY)
    assert standing(rulebook, known, DAY, assessed=assessed) == standing(rulebook, known, DAY)
    assert open_facts(rulebook, known, DAY, assessed=assessed) == open_facts(rulebook, known, DAY)
