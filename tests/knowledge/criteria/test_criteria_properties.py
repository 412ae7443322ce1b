"""Properties of the checker over arbitrary (valid) facts."""
import copy
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.criteria import FACTS, check

DAY = date(2026, 6, 1)


def _values(spec):
    if spec["type"] == "bool":
        return st.booleans()
    if spec["type"] == "enum":
        return st.sampled_from(list(spec["values"]))
    bounds = [19, 20, 34, 35, 64, 65, 10, 12, 22, 24]
    edges = [value for value in bounds if spec["min"] <= value <= spec["max"]]
    return st.integers(spec["min"], spec["max"]) | st.sampled_from(edges)


VALUES = {name: _values(spec) for name, spec in FACTS.items()}
facts_strategy = st.fixed_dictionaries({}, optional=VALUES)


@st.composite
def facts_and_one_more(draw):
    facts = draw(facts_strategy)
    unknown = [name for name in FACTS if name not in facts]
    if not unknown:
        name = draw(st.sampled_from(list(FACTS)))
        facts = {key: value for key, value in facts.items() if key != name}
    else:
        name = draw(st.sampled_from(unknown))
    return facts, name, draw(VALUES[name])


def _criteria(result):
    return {
        (item["id"], criterion["id"]): (criterion["status"], criterion["facts"])
        for item in result["interventions"]
        for criterion in item["criteria"]
    }


@settings(max_examples=300, deadline=None)
@given(facts_strategy)
def test_status_follows_the_criteria_and_never_eligible_with_an_unmet_one(facts):
    for item in check(facts, on=DAY)["interventions"]:
        statuses = {criterion["status"] for criterion in item["criteria"]}
        if item["status"] == "eligible":
            assert statuses == {"met"}
        if "unmet" in statuses:
            assert item["status"] == "not_eligible"
        if item["status"] == "undetermined":
            assert statuses == {"met", "unknown"} or statuses == {"unknown"}
            # Missing: not stated, or stated as unclear ("oklart" settles nothing).
            unsettled = {name for name in facts if facts[name] in FACTS[name].get("unclear", ())}
            assert item["missing_facts"] and not set(item["missing_facts"]) & (set(facts) - unsettled)
        else:
            assert item["missing_facts"] == []


@settings(max_examples=300, deadline=None)
@given(facts_and_one_more())
def test_learning_a_fact_never_turns_another_criterions_status(drawn):
    facts, name, value = drawn
    before = _criteria(check(facts, on=DAY))
    after = _criteria(check({**facts, name: value}, on=DAY))
    for key, (status, reads) in before.items():
        if name not in reads:
            assert after[key][0] == status, key
        elif status != "unknown":
            assert after[key][0] == status, key


@settings(max_examples=150, deadline=None)
@given(facts_strategy)
def test_the_result_is_a_pure_function_of_the_facts(facts):
    original = copy.deepcopy(facts)
    first = check(facts, on=DAY)
    assert facts == original
    assert check(dict(reversed(list(facts.items()))), on=DAY) == first
    assert check(copy.deepcopy(facts), on=DAY) == first


@settings(max_examples=200, deadline=None)
@given(facts_strategy)
def test_the_recommendation_is_consistent_with_the_statuses(facts):
    result = check(facts, on=DAY)
    status = {item["id"]: item["status"] for item in result["interventions"]}
    recommendation = result["recommendation"]
    if recommendation["primary"] is not None:
        assert status[recommendation["primary"]] == "eligible"
    assert all(status[key] != "not_eligible" for key in recommendation["also_consider"])
    assert recommendation["primary"] not in recommendation["also_consider"]
    assert not set(result["next_facts"]) & set(facts)
    assert recommendation["disclaimer"]
    interval = result["omfattning"]["interval"]
    if interval is not None:
        low, high = map(int, interval.split("-"))
        assert low <= facts["onskad_omfattning_timmar"] <= high


@settings(max_examples=200, deadline=None)
@given(facts_strategy)
def test_no_result_without_an_eligible_insats_ends_without_a_way_forward(facts):
    # Issue 14 §1: "nothing fits" always comes with the routes that remain (at least the right
    # to apply again, 004) and, for each insats ruled out by one criterion, what would change it.
    result = check(facts, on=DAY)
    recommendation = result["recommendation"]
    if recommendation["primary"] is not None:
        assert recommendation["way_forward"] is None
        return
    routes = {route["id"] for route in recommendation["way_forward"]["routes"]}
    assert "ny_ansokan" in routes
    single_unmet = {
        item["id"] for item in result["interventions"]
        # FINSAM is no biståndsbeslut (002 §5.1): nothing to apply for again, nothing to change.
        if item["status"] == "not_eligible" and item["id"] != "finsam"
        and [c["status"] for c in item["criteria"]].count("unmet") == 1
    }
    assert {entry["id"] for entry in recommendation["way_forward"]["would_change"]} == single_unmet


@settings(max_examples=60, deadline=None)
@given(facts_strategy)
def test_indications_choose_the_provisional_only_and_never_change_a_status(facts):
    import dataclasses

    from knowledge.criteria.engine import evaluate, standing
    from knowledge.criteria.schema import load_rulebook

    rulebook = load_rulebook()
    without = dataclasses.replace(
        rulebook, interventions=tuple(dataclasses.replace(item, indications=()) for item in rulebook.interventions)
    )
    assert [e["status"] for e in evaluate(rulebook, facts, DAY)] == [e["status"] for e in evaluate(without, facts, DAY)]
    assert {k: v.status for k, v in standing(rulebook, facts, DAY).items()} == {
        k: v.status for k, v in standing(without, facts, DAY).items()
    }
