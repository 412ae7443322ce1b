"""Runs the table-driven cases in cases/*.yaml: facts in, expected statuses and recommendation out."""
from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.criteria import check

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_DAY = date(2026, 6, 1)


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name == "flips.yaml":
            continue
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


def _flips():
    tables = yaml.safe_load((CASES_DIR / "flips.yaml").read_text(encoding="utf-8"))
    for table in tables:
        for flip in table["flips"]:
            yield pytest.param(table, flip, id=f"flip {table['intervention']}: {flip['name']}")


def test_there_are_at_least_forty_named_cases():
    assert len(list(_cases())) >= 40


@pytest.mark.parametrize("case", _cases())
def test_case(case):
    result = check(case["facts"], on=case.get("day", DEFAULT_DAY))
    expect = case["expect"]
    by_id = {item["id"]: item for item in result["interventions"]}
    recommendation = result["recommendation"]
    for intervention_id, status in expect.get("status", {}).items():
        assert by_id[intervention_id]["status"] == status, intervention_id
    for intervention_id, criteria in expect.get("criteria", {}).items():
        statuses = {criterion["id"]: criterion["status"] for criterion in by_id[intervention_id]["criteria"]}
        for criterion_id, status in criteria.items():
            assert statuses.get(criterion_id) == status, f"{intervention_id}.{criterion_id}"
    for intervention_id in expect.get("absent", []):
        assert intervention_id not in by_id
    for intervention_id, missing in expect.get("missing_facts", {}).items():
        assert by_id[intervention_id]["missing_facts"] == missing, intervention_id
    if "primary" in expect:
        assert recommendation["primary"] == expect["primary"]
    if "also_consider" in expect:
        assert recommendation["also_consider"] == expect["also_consider"]
    for intervention_id in expect.get("also_consider_includes", []):
        assert intervention_id in recommendation["also_consider"]
    for intervention_id in expect.get("also_consider_excludes", []):
        assert intervention_id not in recommendation["also_consider"]
    if "referrals" in expect:
        assert sorted(recommendation["referrals"]) == sorted(expect["referrals"])
    if "interval" in expect:
        assert result["omfattning"]["interval"] == expect["interval"], result["omfattning"]["reason"]
    if "fits" in expect:
        assert result["omfattning"]["fits"] == expect["fits"]
    for fragment in expect.get("reason_includes", []):
        assert fragment in result["omfattning"]["reason"]
    if "conflicts" in expect:
        assert sorted(conflict["id"] for conflict in result["conflicts"]) == sorted(expect["conflicts"])
    if "next_facts_start" in expect:
        start = expect["next_facts_start"]
        assert result["next_facts"][: len(start)] == start
    for fragment in expect.get("next_steps_include", []):
        assert any(fragment in step for step in result["next_steps"]), fragment
    for fragment in expect.get("next_steps_exclude", []):
        assert not any(fragment in step for step in result["next_steps"]), fragment
    for name in expect.get("next_facts_exclude", []):
        assert name not in result["next_facts"]
    if "provisional" in expect:
        provisional = recommendation["provisional"]
        got = None if provisional is None else {"id": provisional["id"], "pending_facts": provisional["pending_facts"]}
        assert got == expect["provisional"]
    way_forward = recommendation["way_forward"] or {"routes": [], "would_change": []}
    if "routes" in expect:
        assert sorted(route["id"] for route in way_forward["routes"]) == sorted(expect["routes"])
    for intervention_id, criterion_id in expect.get("would_change", {}).items():
        assert {"id": intervention_id, "criterion": criterion_id} in [
            {"id": entry["id"], "criterion": entry["criterion"]} for entry in way_forward["would_change"]
        ]
    if expect.get("way_forward") is None and "way_forward" in expect:
        assert recommendation["way_forward"] is None


@pytest.mark.parametrize("table, flip", _flips())
def test_flipping_one_criterion_makes_only_that_criterion_unmet(table, flip):
    intervention_id = table["intervention"]
    base = check(table["base"], on=DEFAULT_DAY)
    base_entry = next(item for item in base["interventions"] if item["id"] == intervention_id)
    assert base_entry["status"] == "eligible"
    flipped = check({**table["base"], **flip["set"]}, on=DEFAULT_DAY)
    entry = next(item for item in flipped["interventions"] if item["id"] == intervention_id)
    assert entry["status"] == "not_eligible"
    statuses = {criterion["id"]: criterion["status"] for criterion in entry["criteria"]}
    assert statuses.pop(flip["unmet"]) == "unmet"
    assert set(statuses.values()) == {"met"}


def test_flip_tables_flip_every_criterion_of_every_insats():
    from knowledge.criteria import load_interventions

    tables = {table["intervention"]: table for table in yaml.safe_load((CASES_DIR / "flips.yaml").read_text(encoding="utf-8"))}
    for item in load_interventions():
        flipped = {flip["unmet"] for flip in tables[item["id"]]["flips"]}
        assert flipped == {criterion["id"] for criterion in item["criteria"]}, item["id"]
