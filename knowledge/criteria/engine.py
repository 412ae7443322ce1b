"""Generic three-valued evaluation of the insatser's criteria.

A criterion is met, unmet or unknown. An insats is eligible when all its criteria are met,
not_eligible when any is unmet, otherwise undetermined with the facts still missing. A
criterion with `applies_if` counts only once that condition is known to hold.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, NamedTuple

from knowledge.criteria.facts import FACTS
from knowledge.criteria.questions import fact_reach, order_missing
from knowledge.criteria.schema import Criterion, Intervention, RuleBook

CRITERION_STATUS = {True: "met", False: "unmet", None: "unknown"}
STATUS_VALUE = {status: value for value, status in CRITERION_STATUS.items()}


def in_force(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


def is_settled(name: str, facts: Mapping[str, Any]) -> bool:
    """Stated with a value that settles something ("oklart" is stated but settles nothing)."""
    return name in facts and facts[name] not in FACTS[name].get("unclear", ())


def in_force_criteria(rulebook: RuleBook, on: date) -> Iterator[tuple[Intervention, list[Criterion]]]:
    """Each insats in force on `on` with its criteria in force."""
    for item in rulebook.interventions:
        if in_force(item.valid_from, item.valid_to, on):
            yield item, [c for c in item.criteria if in_force(c.valid_from, c.valid_to, on)]


def applies(criterion: Criterion, facts: Mapping[str, Any]) -> bool:
    return criterion.applies_if is None or criterion.applies_if.evaluate(facts) is True


class Assessed(NamedTuple):
    """One insats's criteria in force, each evaluated once against one set of facts."""
    item: Intervention
    values: list[tuple[Criterion, bool | None]]  # the criteria that apply, with their value
    waiting: list[Criterion]  # those whose `applies_if` does not (yet) hold


def assess(rulebook: RuleBook, facts: Mapping[str, Any], on: date) -> list[Assessed]:
    """Evaluates every criterion in force once. evaluate(), standing() and open_facts() read
    this, so a check that needs all three (knowledge.criteria.checker) evaluates the rules once
    instead of once for each of them."""
    assessed = []
    for item, in_force_now in in_force_criteria(rulebook, on):
        values, waiting = [], []
        for criterion in in_force_now:
            if applies(criterion, facts):
                values.append((criterion, criterion.condition.evaluate(facts)))
            else:
                waiting.append(criterion)
        assessed.append(Assessed(item, values, waiting))
    return assessed


def evaluate(
    rulebook: RuleBook, facts: Mapping[str, Any], on: date, *, assessed: list[Assessed] | None = None
) -> list[dict[str, Any]]:
    """Each insats in force with its status, criteria and missing facts. `assessed`: assess()'s
    for the same facts and day, when the caller has it already."""
    results = []
    unknown_facts: dict[str, list[tuple[list[str], str]]] = {}
    for item, values, _ in assess(rulebook, facts, on) if assessed is None else assessed:
        criteria = []
        per_criterion = []
        for criterion, value in values:
            missing = _missing(criterion, facts) if value is None else []
            criteria.append(_criterion_result(criterion, value, missing))
            if missing:
                per_criterion.append((missing, criterion.assessed_by))
        status = _status([value for _, value in values])
        if status == "undetermined":
            unknown_facts[item.id] = per_criterion
        results.append({"id": item.id, "status": status, "criteria": criteria, "missing_facts": []})
    sets = {key: sorted({name for names, _ in value for name in names}) for key, value in unknown_facts.items()}
    reach = fact_reach(sets, rulebook.question_weights)
    for entry in results:
        if entry["id"] in unknown_facts:
            entry["missing_facts"] = order_missing(unknown_facts[entry["id"]], reach)
    return results


class Standing(NamedTuple):
    """How an insats stands, in brief (for weighing questions and choosing the provisional one)."""
    status: str
    pointers: float  # share of what points to it (decisive and target-group criteria, indications) that is met; 0 while none of its own is
    met: float  # share of all its (applying) criteria that are met
    missing: int  # facts still missing, while undetermined


def met_share(values: list[bool | None]) -> float:
    return values.count(True) / len(values) if values else 0.0


def standing(
    rulebook: RuleBook, facts: Mapping[str, Any], on: date, *, assessed: list[Assessed] | None = None
) -> dict[str, Standing]:
    """Each insats in force and how it stands, without the detail: for weighing what a question
    could change and for choosing the provisional insats. `assessed` as for evaluate()."""
    result = {}
    for item, values, _ in assess(rulebook, facts, on) if assessed is None else assessed:
        pointers, missing = [], set()
        # The handläggare assesses a person for an insats within its target group (the
        # målgruppstillhörighetsbedömning comes first, 002 Bilaga 2 "Informationsmöte"): such an
        # assessment points to the insats only once the target group is met.
        in_target_group = all(value is True for criterion, value in values if criterion.target_group)
        # Where the target group alone does not set the insats apart (`target_group_points: false`),
        # it counts in the share, but the insats is pointed to only once a decisive criterion or an
        # indication is met (docs/criteria.md item 14).
        own = []
        for criterion, value in values:
            if criterion.decisive or criterion.target_group:
                held_back = criterion.assessed_by == "handlaggarens_bedomning" and not in_target_group
                pointers.append(None if held_back else value)
                if criterion.decisive or item.target_group_points:
                    own.append(pointers[-1])
            if value is None:
                missing.update(_missing(criterion, facts))
        indications = [indication.condition.evaluate(facts) for indication in item.indications]
        pointers += indications
        statuses = [value for _, value in values]
        status = _status(statuses)
        result[item.id] = Standing(
            status,
            met_share(pointers) if True in own + indications else 0.0,
            met_share(statuses),
            len(missing) if status == "undetermined" else 0,
        )
    return result


def open_facts(
    rulebook: RuleBook, facts: Mapping[str, Any], on: date, *, assessed: list[Assessed] | None = None
) -> set[str]:
    """The unsettled facts an answer to which can change some criterion: those an unknown criterion
    reads, and those a not-yet-applying criterion's `applies_if` reads. No other fact can change
    a status (Kleene logic is monotone), so only these are worth weighing as questions.
    `assessed` as for evaluate()."""
    names: set[str] = set()
    for _, values, waiting in assess(rulebook, facts, on) if assessed is None else assessed:
        for criterion in waiting:
            names.update(criterion.applies_if.facts)
        for criterion, value in values:
            if value is None:
                names.update(criterion.condition.facts)
    return {name for name in names if name not in facts}


def _missing(criterion: Criterion, facts: Mapping[str, Any]) -> list[str]:
    return [name for name in criterion.condition.facts if not is_settled(name, facts)]


def _status(values: list[bool | None]) -> str:
    return "not_eligible" if False in values else "undetermined" if None in values else "eligible"


def _criterion_result(criterion: Criterion, value: bool | None, missing: list[str]) -> dict[str, Any]:
    entry = {
        "id": criterion.id,
        "status": CRITERION_STATUS[value],
        "text": criterion.text,
        "source": criterion.source.as_dict(),
        "assessed_by": criterion.assessed_by,
        "facts": list(criterion.condition.facts),
        "question": (criterion.question or FACTS[missing[0]]["question"]) if missing else None,
    }
    if criterion.decisive:
        entry["decisive"] = True
    if criterion.interpretation:
        entry["interpretation"] = criterion.interpretation
    if criterion.see_also:
        entry["see_also"] = [source.as_dict() for source in criterion.see_also]
    return entry
