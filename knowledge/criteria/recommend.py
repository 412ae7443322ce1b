"""Turns the insatser's statuses into a recommendation: primary, also_consider, referrals."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.criteria.facts import FACTS
from knowledge.criteria.schema import RuleBook


def recommend(
    rulebook: RuleBook, results: list[dict[str, Any]], facts: Mapping[str, Any], ask_first: list[str]
) -> dict[str, Any]:
    status = {entry["id"]: entry["status"] for entry in results}
    primary = next((choice for choice in rulebook.primary_order if status.get(choice.id) == "eligible"), None)
    primary_id = primary.id if primary else None
    superseded = {
        hidden for key, hides in rulebook.supersedes.items() if status.get(key) == "eligible" for hidden in hides
    }
    rank = {choice.id: index for index, choice in enumerate(rulebook.primary_order)}
    also_consider = sorted(
        (
            entry["id"]
            for entry in results
            if entry["id"] != primary_id and entry["status"] != "not_eligible" and entry["id"] not in superseded
        ),
        key=lambda key: (status[key] != "eligible", rank.get(key, len(rank))),
    )
    referrals = [referral for referral in rulebook.referrals if referral.condition.evaluate(facts) is True]
    return {
        "primary": primary_id,
        "also_consider": also_consider,
        "referrals": [referral.id for referral in referrals],
        "referral_details": [
            {"id": r.id, "name": r.name, "reason": r.reason, "source": r.source.as_dict()} for r in referrals
        ],
        "explanation": _explanation(rulebook, primary, status, also_consider, ask_first),
        "disclaimer": rulebook.disclaimer,
    }


def _explanation(rulebook: RuleBook, primary, status, also_consider: list[str], ask_first: list[str]) -> str:
    names = {item.id: item.name for item in rulebook.interventions}
    if primary is not None:
        why = primary.why.rstrip(".")
        text = f"{names[primary.id]}: alla kriterier är uppfyllda utifrån angivna fakta. {why} ({primary.source.short()})."
        eligible = [names[key] for key in also_consider if status[key] == "eligible"]
        if eligible:
            text += f" Även {_join(eligible)} uppfyller kriterierna och kan övervägas."
        return text
    open_count = sum(value == "undetermined" for value in status.values())
    if open_count:
        text = f"Ingen insats är ännu fastställd: {open_count} av {len(status)} insatser väntar på fakta."
        if ask_first:
            text += f" Fråga först: {FACTS[ask_first[0]]['question']}"
        return text
    return "Ingen av insatserna uppfyller kriterierna utifrån angivna fakta; se hänvisningarna."


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]
