"""check(): validated facts in, the SPEC check result out — a pure function of facts and date."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from knowledge.criteria.engine import assess, evaluate, in_force, standing
from knowledge.criteria.facts import validate_facts
from knowledge.criteria.next_question import deciding_facts
from knowledge.criteria.omfattning import choose_interval
from knowledge.criteria.presentation import present
from knowledge.criteria.recommend import recommend
from knowledge.criteria.schema import load_rulebook
from knowledge.criteria.steps import as_text, next_steps


def check(facts: Mapping[str, Any], on: date | None = None) -> dict[str, Any]:
    """Checks every insats in force on `on` (default today) against the facts.

    Raises FactsError (with Swedish `.errors`) when the facts are not valid.
    """
    rulebook = load_rulebook()
    known = validate_facts(facts)
    on = _day(on)
    # Each criterion is evaluated once for the known facts; the statuses, the standing (for the
    # provisional insats) and the question to ask first all read that one evaluation.
    assessed = assess(rulebook, known, on)
    results = evaluate(rulebook, known, on, assessed=assessed)
    ask = deciding_facts(rulebook, known, on, assessed=assessed)
    recommendation = recommend(rulebook, results, standing(rulebook, known, on, assessed=assessed), known, ask)
    primary_id = recommendation["primary"]
    primary = rulebook.intervention(primary_id) if primary_id else None
    status = {entry["id"]: entry["status"] for entry in results}
    steps = next_steps(rulebook, primary_id, status, known, (recommendation["provisional"] or {}).get("id"))

    return present({
        "interventions": results,
        "recommendation": recommendation,
        "omfattning": choose_interval(rulebook.omfattning, primary, known.get("onskad_omfattning_timmar")),
        "next_steps": [as_text(step) for step in steps],
        "next_step_details": [{"text": step.text, "source": step.source.as_dict()} for step in steps],
        "conflicts": [
            {"id": c.id, "text": c.text, "facts": list(c.condition.facts), "source": c.source.as_dict()}
            for c in rulebook.conflicts
            if c.condition.evaluate(known) is True
            and all(status.get(key) in wanted for key, wanted in c.when_status.items())
        ],
        "next_facts": ask,
        "facts": known,
        "on": on.isoformat(),
        "versions": {"rules": rulebook.version},
    })


def next_facts_to_ask(result: Mapping[str, Any]) -> list[str]:
    """The unstated facts whose answer can change the primary or the provisional insats, the one that
    settles most first (knowledge.criteria.next_question)."""
    on = date.fromisoformat(result["on"]) if result.get("on") else date.today()
    return deciding_facts(load_rulebook(), result.get("facts") or {}, on)



def load_interventions(on: date | None = None) -> list[dict[str, Any]]:
    """The rule files as plain data (insatser in force on `on`, default all), for listing criteria in prose."""
    day = None if on is None else _day(on)
    return [
        {
            "id": item.id,
            "name": item.name,
            "legal_basis": item.legal_basis,
            "kind": item.kind,
            "bistandsbedomd": item.bistandsbedomd,
            "summary": item.summary,
            "source": item.source.as_dict(),
            "valid_from": _iso(item.valid_from),
            "last_verified": _iso(item.last_verified),
            "criteria": [
                {
                    "id": criterion.id,
                    "text": criterion.text,
                    "source": criterion.source.as_dict(),
                    "facts": list(criterion.condition.facts),
                    "assessed_by": criterion.assessed_by,
                    "question": criterion.question,
                    "interpretation": criterion.interpretation,
                    "valid_from": _iso(criterion.valid_from),
                }
                for criterion in item.criteria
                if day is None or in_force(criterion.valid_from, criterion.valid_to, day)
            ],
        }
        for item in load_rulebook().interventions
        if day is None or in_force(item.valid_from, item.valid_to, day)
    ]


def _day(on: date | None) -> date:
    if on is None:
        return date.today()
    if isinstance(on, datetime):
        return on.date()
    if not isinstance(on, date):
        raise TypeError(f"on must be a date, got {on!r}")
    return on


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
