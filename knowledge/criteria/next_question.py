"""Which question to ask next: the one whose answer can change the most.

A question is worth asking only if some answer to it changes the status of an insats or the
primary recommendation; a fact whose every answer leaves them as they are is skipped (the hours
only choose an interval, nedsatt arbetsförmåga only adds a referral). Among the rest the one
whose answers change most on average goes first; plain facts before the handläggare's own
assessments, then facts.yaml order, break ties. A stated fact is never asked again.

The dialogue asks behov, syfte och målsättning before any fact (002 §2.1.3, §4.2.4: they are the
ground of every assessment), and stops once an insats is eligible.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from knowledge.criteria.engine import statuses
from knowledge.criteria.facts import FACTS
from knowledge.criteria.recommend import choose_primary
from knowledge.criteria.schema import RuleBook, load_rulebook

BEHOV_SYFTE_MAL = "behov_syfte_mal"

FACT_ORDER = {name: index for index, name in enumerate(FACTS)}
ASSESSMENT_RANK = {name: int(spec["assessed_by"] == "handlaggarens_bedomning") for name, spec in FACTS.items()}


def next_question(
    facts: Mapping[str, Any],
    *,
    behov_known: bool,
    left_open: Collection[str] = (),
    on: date | None = None,
) -> str | None:
    """BEHOV_SYFTE_MAL, a fact name, or None when it is time to recommend."""
    if not behov_known and "primart_mal" not in facts and BEHOV_SYFTE_MAL not in left_open:
        return BEHOV_SYFTE_MAL
    rulebook = load_rulebook()
    day = on or date.today()
    if choose_primary(rulebook, statuses(rulebook, facts, day)) is not None:
        return None
    return next((name for name in deciding_facts(rulebook, facts, day) if name not in left_open), None)


def deciding_facts(rulebook: RuleBook, facts: Mapping[str, Any], on: date) -> list[str]:
    """The unstated facts some answer to which changes a status or the primary, best first."""
    before = statuses(rulebook, facts, on)
    primary = choose_primary(rulebook, before)
    scores = {}
    for name in FACTS:
        if name in facts:
            continue
        changes = [
            _changes(rulebook, before, primary, statuses(rulebook, {**facts, name: value}, on))
            for value in answers(rulebook, name)
        ]
        if any(changes):
            scores[name] = sum(changes) / len(changes)
    return sorted(scores, key=lambda name: (-scores[name], ASSESSMENT_RANK[name], FACT_ORDER[name]))


def answers(rulebook: RuleBook, name: str) -> list[Any]:
    """The answers worth trying: every value of a bool or enum; for an int, each bound the rules
    compare it with and its neighbours (the answer changes nothing in between)."""
    spec = FACTS[name]
    if spec["type"] == "bool":
        return [True, False]
    if spec["type"] == "enum":
        return [value for value in spec["values"] if value not in spec.get("unclear", ())]
    points = {spec["min"], *rulebook.cuts.get(name, ())}
    return sorted(point for point in points if spec["min"] <= point <= spec["max"])


def _changes(rulebook: RuleBook, before: Mapping[str, str], primary: str | None, after: Mapping[str, str]) -> float:
    changed = sum(rulebook.question_weights.get(key, 1.0) for key, status in after.items() if before.get(key) != status)
    return changed + (choose_primary(rulebook, after) != primary)
