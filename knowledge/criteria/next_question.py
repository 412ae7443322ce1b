"""Which question to ask next: the one whose answer can change the most.

A question is worth asking only if some answer to it changes what would be recommended: the
primary (an eligible insats) or, while none is eligible, the provisional one (the likeliest,
the one the known facts point to, recommend.choose_provisional). A fact whose every answer
leaves both as they are is skipped: the hours only choose an interval, nedsatt arbetsförmåga only
adds a referral, and the LSS personkrets cannot move a case whose social goal points to socialt
inriktad sysselsättning while the wish is unknown. Among the rest the one whose answers change
most on average goes first — a changed primary counts most, then a provisional replaced or ruled
out (recommendation.yaml: outcome_weights), then each insats whose status changes
(question_weights); a provisional found where there was none decides but settles no insats by
itself, so it adds nothing to the rank — with plain facts
before the handläggare's own assessments, then facts.yaml order, breaking ties. A stated fact
(also "oklart") is never asked again.

The dialogue asks behov, syfte och målsättning before any fact (002 §2.1.3, §4.2.4: they are the
ground of every assessment), stops after `unanswered_limit` questions left open ("vet inte"; the
best answer the known facts allow is then given), and stops once an insats is eligible — unless that insats is one
another still-open insats supersedes (recommendation.yaml: `supersedes`): Insteg is "ett
inledande alternativ" to the full LSS insats and what the handläggare informs about when its
criteria are not met (004), so while the full insats is undetermined its missing facts are asked.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from knowledge.criteria.engine import Assessed, Standing, assess, evaluate, open_facts, standing
from knowledge.criteria.facts import FACTS
from knowledge.criteria.questions import ASSESSMENT_RANK, FACT_ORDER
from knowledge.criteria.recommend import choose_primary, choose_provisional
from knowledge.criteria.schema import RuleBook, load_rulebook

BEHOV_SYFTE_MAL = "behov_syfte_mal"


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
    if len(left_open) >= rulebook.unanswered_limit:
        return None
    # The behov question asks for the goal: left open, the goal is not asked again on its own.
    if BEHOV_SYFTE_MAL in left_open:
        left_open = {*left_open, "primart_mal"}
    day = on or date.today()
    assessed = assess(rulebook, facts, day)
    primary = choose_primary(rulebook, _statuses(standing(rulebook, facts, day, assessed=assessed)))
    if primary is not None:
        superseding = superseding_facts(rulebook, facts, day, primary, assessed=assessed)
        return next((name for name in superseding if name not in left_open), None)
    return next((name for name in deciding_facts(rulebook, facts, day, assessed=assessed) if name not in left_open), None)


def superseding_facts(
    rulebook: RuleBook, facts: Mapping[str, Any], on: date, primary: str, *, assessed: list[Assessed] | None = None
) -> list[str]:
    """The missing facts, in its own order, of each still-undetermined insats that supersedes
    `primary` (the full LSS insats over an eligible Insteg); empty when none does. `assessed`:
    engine.assess()'s for the same facts and day, when the caller has it."""
    superseding = [key for key, hidden in rulebook.supersedes.items() if primary in hidden]
    if not superseding:
        return []
    results = {entry["id"]: entry for entry in evaluate(rulebook, facts, on, assessed=assessed)}
    return [
        name for key in superseding if results[key]["status"] == "undetermined" for name in results[key]["missing_facts"]
    ]


# A turn asks for the same facts' deciding facts up to three times (the previous turn's check, this
# turn's check, the next question), and each costs a full standing per open fact and answer: the
# largest share of the action server's CPU. Facts are scalars (facts.yaml), so they make a key.
_RECENT_SIZE = 256
_recent: OrderedDict[tuple, tuple[RuleBook, tuple[str, ...]]] = OrderedDict()


def deciding_facts(
    rulebook: RuleBook, facts: Mapping[str, Any], on: date, *, assessed: list[Assessed] | None = None
) -> list[str]:
    """The unstated facts some answer to which changes the primary or the provisional, best first.
    `assessed`: engine.assess()'s for the same facts and day, when the caller has it (the check
    does), so the current facts are not evaluated again."""
    key = (id(rulebook), on, frozenset(facts.items()))
    hit = _recent.get(key)
    # The rulebook itself is kept with the answer, so an id reused by a later rulebook never matches.
    if hit is not None and hit[0] is rulebook:
        _recent.move_to_end(key)
        return list(hit[1])
    found = _deciding_facts(rulebook, facts, on, assess(rulebook, facts, on) if assessed is None else assessed)
    _recent[key] = (rulebook, tuple(found))
    if len(_recent) > _RECENT_SIZE:
        _recent.popitem(last=False)
    return found


def _deciding_facts(rulebook: RuleBook, facts: Mapping[str, Any], on: date, assessed: list[Assessed]) -> list[str]:
    before = _outcome(rulebook, standing(rulebook, facts, on, assessed=assessed))
    scores = {}
    for name in sorted(open_facts(rulebook, facts, on, assessed=assessed), key=FACT_ORDER.get):
        changes = [
            _changes(rulebook, before, _outcome(rulebook, standing(rulebook, {**facts, name: value}, on)))
            for value in answers(rulebook, name)
        ]
        if any(decides for decides, _ in changes):
            scores[name] = sum(score for _, score in changes) / len(changes)
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


def _statuses(by_id: Mapping[str, Standing]) -> dict[str, str]:
    return {key: entry.status for key, entry in by_id.items()}


def _outcome(rulebook: RuleBook, by_id: Mapping[str, Standing]) -> tuple[dict[str, str], str | None, str | None]:
    statuses = _statuses(by_id)
    primary = choose_primary(rulebook, statuses)
    return statuses, primary, None if primary else choose_provisional(rulebook, by_id)


def _changes(rulebook: RuleBook, before, after) -> tuple[bool, float]:
    """(whether the answer changes what would be recommended, how much it settles). A provisional
    insats replaced or ruled out weighs; one found where there was none only decides: the facts
    then point somewhere, which settles no insats by itself (the statuses count what it settles)."""
    (old, old_primary, old_provisional), (new, new_primary, new_provisional) = before, after
    primary, provisional = new_primary != old_primary, new_provisional != old_provisional
    statuses = sum(rulebook.question_weights.get(key, 1.0) for key, status in new.items() if old.get(key) != status)
    weights = rulebook.outcome_weights
    replaced = provisional and old_provisional is not None
    return primary or provisional, weights["primary"] * primary + weights["provisional"] * replaced + statuses
