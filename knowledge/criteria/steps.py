"""The next steps: the 002 Bilaga 1 checklist for the chosen insats, each step with its source."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.criteria.schema import RuleBook, Step

INVESTIGATION = "utredning"


def next_steps(
    rulebook: RuleBook,
    primary_id: str | None,
    status: Mapping[str, str],
    facts: Mapping[str, Any],
    provisional_id: str | None = None,
) -> list[Step]:
    """The chosen insats's checklist; while none is chosen, the investigation the provisional insats
    belongs to (next_steps.yaml `investigations`, else 002 Bilaga 1's)."""
    key = primary_id or rulebook.investigations.get(provisional_id, INVESTIGATION)
    chosen = list(rulebook.checklists[key])
    chosen += [step for step, applies_to in rulebook.shared_steps if key in applies_to]
    # A complement (FINSAM) is not a choice but something to look into while it is not ruled
    # out; its steps carry their own conditions.
    for complement in sorted(rulebook.complements):
        if complement != key and status.get(complement) in ("eligible", "undetermined"):
            chosen += rulebook.checklists[complement]
    return [step for step in chosen if step.condition is None or step.condition.evaluate(facts) is True]


def as_text(step: Step) -> str:
    return f"{step.text} ({step.source.short()})"
