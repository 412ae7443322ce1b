"""The order of one insats's missing facts (its `missing_facts`), and the fact orderings the
next-question choice (next_question.py) breaks ties with.

A fact settles more the more undetermined criteria and insatser hang on it. Plain facts come
before facts that only the handläggare's own assessment settles (those usually wait for the
investigation or for Jobbtorg's bedömning); facts.yaml order breaks the remaining ties.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from knowledge.criteria.facts import FACTS

FACT_ORDER = {name: index for index, name in enumerate(FACTS)}
ASSESSMENT_RANK = {name: int(spec["assessed_by"] == "handlaggarens_bedomning") for name, spec in FACTS.items()}


def order_missing(unknown: Iterable[tuple[list[str], str]], reach: Mapping[str, float]) -> list[str]:
    """Orders one insats's missing facts, given (missing facts, assessed_by) per unknown criterion:
    facts some plain criterion needs first, then how many of its unknown criteria each settles,
    then how far it reaches across all insatser, then facts.yaml order."""
    counts: Counter[str] = Counter()
    plain: set[str] = set()
    for names, assessed_by in unknown:
        counts.update(names)
        if assessed_by == "fakta":
            plain.update(names)
    return sorted(counts, key=lambda name: (name not in plain, -counts[name], -reach.get(name, 0), FACT_ORDER[name]))


def fact_reach(missing_by_intervention: Mapping[str, list[str]], weights: Mapping[str, float]) -> dict[str, float]:
    """Scores each missing fact by the undetermined insatser it appears in; an insats that
    lacks fewer facts is closer to settled and counts for more."""
    reach: dict[str, float] = {}
    for intervention_id, names in missing_by_intervention.items():
        weight = weights.get(intervention_id, 1.0) * (1 + 1 / len(names))
        for name in names:
            reach[name] = reach.get(name, 0.0) + weight
    return reach
