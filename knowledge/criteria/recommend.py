"""Turns the insatser's statuses into a recommendation: primary, provisional, also_consider,
referrals, and the way forward when nothing fits."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.criteria.engine import Standing
from knowledge.criteria.facts import FACTS
from knowledge.criteria.schema import RuleBook


def choose_primary(rulebook: RuleBook, status: Mapping[str, str]) -> str | None:
    """The first eligible insats in recommendation.yaml's order; only an eligible one."""
    return next((choice.id for choice in rulebook.primary_order if status.get(choice.id) == "eligible"), None)


def choose_provisional(rulebook: RuleBook, standing: Mapping[str, Standing]) -> str | None:
    """While no insats is eligible: the one the known facts point to, if the unknown facts turn out
    as those suggest. Only an undetermined insats something known points to can be chosen — one of
    its decisive criteria (what sets it apart: the wish for work, the support need, the psychiatric
    contact, the LSS personkrets), its target group or an indication (the goal the person expresses,
    002 §3.2) is met; one merely not yet ruled out is no best answer (issue 14 §3: "the best answer
    the known facts allow"), and then there is none. Of those, the largest share of what points to
    it, then the share of all its criteria met (so a long list is not favoured for its length),
    then the one closest to settled (fewest facts missing), then recommendation.yaml's order.
    Complements (FINSAM) are never chosen."""
    open_ = [
        (-standing[choice.id].pointers, -standing[choice.id].met, standing[choice.id].missing, index, choice.id)
        for index, choice in enumerate(rulebook.primary_order)
        if choice.id in standing and standing[choice.id].status == "undetermined" and standing[choice.id].pointers > 0
    ]
    return min(open_)[-1] if open_ else None


def recommend(
    rulebook: RuleBook,
    results: list[dict[str, Any]],
    by_id: Mapping[str, Standing],
    facts: Mapping[str, Any],
    ask_first: list[str],
) -> dict[str, Any]:
    """`results` are engine.evaluate's, `by_id` engine.standing's for the same facts and day."""
    status = {entry["id"]: entry["status"] for entry in results}
    primary_id = choose_primary(rulebook, status)
    primary = next((choice for choice in rulebook.primary_order if choice.id == primary_id), None)
    provisional = None if primary_id else _provisional(rulebook, results, by_id)
    superseded = {
        hidden for key, hides in rulebook.supersedes.items() if status.get(key) == "eligible" for hidden in hides
    }
    rank = {choice.id: index for index, choice in enumerate(rulebook.primary_order)}
    also_consider = sorted(
        (
            entry["id"]
            for entry in results
            if entry["id"] not in (primary_id, (provisional or {}).get("id"))
            and entry["status"] != "not_eligible"
            and entry["id"] not in superseded
        ),
        key=lambda key: (status[key] != "eligible", rank.get(key, len(rank))),
    )
    referrals = [referral for referral in rulebook.referrals if referral.condition.evaluate(facts) is True]
    way_forward = None if primary_id else _way_forward(rulebook, results, facts)
    return {
        "primary": primary_id,
        "provisional": provisional,
        "also_consider": also_consider,
        "referrals": [referral.id for referral in referrals],
        "referral_details": [
            {"id": r.id, "name": r.name, "reason": r.reason, "source": r.source.as_dict()} for r in referrals
        ],
        "way_forward": way_forward,
        "explanation": _explanation(rulebook, primary, provisional, status, also_consider, ask_first),
        "disclaimer": rulebook.disclaimer,
    }


def _provisional(rulebook: RuleBook, results: list[dict[str, Any]], by_id: Mapping[str, Standing]) -> dict[str, Any] | None:
    chosen = choose_provisional(rulebook, by_id)
    missing = {entry["id"]: entry["missing_facts"] for entry in results}
    return {"id": chosen, "pending_facts": list(missing[chosen])} if chosen else None


def _way_forward(rulebook: RuleBook, results: list[dict[str, Any]], facts: Mapping[str, Any]) -> dict[str, Any]:
    """The routes that remain and, per insats that is ruled out, what would have to change."""
    routes = [
        {"id": r.id, "name": r.name, "text": r.text, "source": r.source.as_dict()}
        for r in rulebook.routes
        if r.condition is None or r.condition.evaluate(facts) is True
    ]
    assessed_insatser = {item.id for item in rulebook.interventions if item.bistandsbedomd}
    would_change = []
    for entry in results:
        unmet = [c for c in entry["criteria"] if c["status"] == "unmet"]
        if entry["id"] in assessed_insatser and entry["status"] == "not_eligible" and len(unmet) == 1:
            would_change.append({
                "id": entry["id"],
                "criterion": unmet[0]["id"],
                "text": unmet[0]["text"],
                "facts": unmet[0]["facts"],
                "source": unmet[0]["source"],
            })
    return {"routes": routes, "would_change": would_change}


def _explanation(rulebook: RuleBook, primary, provisional, status, also_consider: list[str], ask_first: list[str]) -> str:
    names = {item.id: item.name for item in rulebook.interventions}
    if primary is not None:
        why = primary.why.rstrip(".")
        text = f"{names[primary.id]}: alla kriterier är uppfyllda utifrån angivna fakta. {why} ({primary.source.short()})."
        eligible = [names[key] for key in also_consider if status[key] == "eligible"]
        if eligible:
            text += f" Även {_join(eligible)} uppfyller kriterierna och kan övervägas."
        return text
    if provisional is not None:
        pending = [FACTS[name]["label"].lower() for name in provisional["pending_facts"]]
        text = f"Troligast: {names[provisional['id']]}, om följande klaras ut: {_join(pending)}."
        if ask_first:
            text += f" Fråga först: {FACTS[ask_first[0]]['question']}"
        return text
    return "Ingen av insatserna uppfyller kriterierna utifrån angivna fakta; se vägarna vidare och hänvisningarna."


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]
