"""The consultation as plain data: what is known, what was left open, what was just asked.

One user turn goes in (intent, text, entities), a new state and what changed come out. The
eligibility itself is never decided here: every turn ends in a call to the criteria checker.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from knowledge.criteria import FACTS, FactsError, check, validate_facts
from knowledge.criteria.next_question import BEHOV_SYFTE_MAL, next_question
from nlu.facts import answer_polarity, extract_answer, extract_facts

YES_NO_INTENTS = {"affirm": True, "deny": False}

# Entities DIET finds, used when the rule-based extractor found nothing for that fact.
ENTITY_FACTS = {"alder": "alder", "timmar": "onskad_omfattning_timmar", "personkrets": "lss_personkrets"}


@dataclass(frozen=True)
class Consultation:
    facts: Mapping[str, Any] = field(default_factory=dict)
    left_open: tuple[str, ...] = ()
    pending: str | None = None
    behov_syfte_mal: str | None = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> Consultation:
        return cls(
            facts=dict(slots.get("facts") or {}),
            left_open=tuple(slots.get("facts_left_open") or ()),
            pending=slots.get("pending_fact"),
            behov_syfte_mal=slots.get("behov_syfte_mal"),
        )

    def to_slots(self) -> dict[str, Any]:
        return {
            "facts": dict(self.facts),
            "facts_left_open": list(self.left_open),
            "pending_fact": self.pending,
            "behov_syfte_mal": self.behov_syfte_mal,
        }

    @property
    def started(self) -> bool:
        return bool(self.facts) or self.behov_syfte_mal is not None or bool(self.left_open)


@dataclass(frozen=True)
class Turn:
    intent: str
    text: str
    entities: tuple[Mapping[str, Any], ...] = ()

    def entity(self, name: str) -> Any:
        return next((e.get("value") for e in self.entities if e.get("entity") == name), None)


@dataclass(frozen=True)
class TurnOutcome:
    consultation: Consultation
    learned: dict[str, Any]
    corrected: dict[str, tuple[Any, Any]]
    rejected: list[str]
    previous_result: dict | None
    result: dict
    answered_pending: bool
    next_question: str | None

    @property
    def recommend_now(self) -> bool:
        return self.next_question is None


def _answer_to_pending(pending: str, turn: Turn) -> tuple[bool, Any]:
    """(answered, value) for the question just asked; value None means left open."""
    if turn.intent == "dont_know":
        return True, None
    button_value = turn.entity("svar")
    if button_value is not None:
        return True, button_value
    if turn.intent in YES_NO_INTENTS and _is_bool_fact(pending):
        return True, YES_NO_INTENTS[turn.intent]
    try:
        value = extract_answer(turn.text, pending)
    except ValueError:
        # A fact the text patterns do not know (the handläggare's edge assessments of working age
        # and of Jobbtorg, asked only as yes/no questions): a yes or a no answers it.
        value = answer_polarity(turn.text) if _is_bool_fact(pending) else None
    return value is not None, value


def _is_bool_fact(name: str) -> bool:
    return FACTS[name]["type"] == "bool"


def _facts_from_text(turn: Turn) -> dict[str, Any]:
    facts = extract_facts(turn.text)
    for entity, fact in ENTITY_FACTS.items():
        value = turn.entity(entity)
        if fact not in facts and value is not None and str(value).isdigit():
            facts[fact] = int(value)
    return facts


def _validated(candidates: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Each fact validated on its own, so one impossible value does not drop the others."""
    accepted: dict[str, Any] = {}
    rejected: list[str] = []
    for name, value in candidates.items():
        try:
            accepted.update(validate_facts({name: value}))
        except FactsError as error:
            rejected.extend(error.errors)
    return accepted, rejected


def _next_question(
    consultation: Consultation, result: dict, turn: Turn, learned: dict, unanswered: str | None
) -> str | None:
    asks_for_answer_now = turn.intent == "ask_recommendation" and not learned and consultation.started
    if asks_for_answer_now:
        return None
    # Which question decides most is the rules' business (knowledge.criteria.next_question).
    question = next_question(
        consultation.facts, behov_known=consultation.behov_syfte_mal is not None, left_open=consultation.left_open
    )
    # A question left hanging (by a correction, say) is asked again while it still matters.
    if unanswered and question not in (None, BEHOV_SYFTE_MAL) and unanswered in result["next_facts"]:
        return unanswered
    return question


def take_turn(consultation: Consultation, turn: Turn) -> TurnOutcome:
    previous_result = check(consultation.facts) if consultation.facts else None
    candidates: dict[str, Any] = {}
    left_open = list(consultation.left_open)
    behov_syfte_mal = consultation.behov_syfte_mal
    answered_pending = False

    if turn.intent == "correct_fact":
        # A correction ("nej, hon är 31") is about an earlier fact; its "nej" does not answer
        # the question that is pending, which is asked again below.
        pass
    elif consultation.pending == BEHOV_SYFTE_MAL:
        answered_pending = True
        if turn.intent == "dont_know":
            left_open.append(BEHOV_SYFTE_MAL)
        else:
            behov_syfte_mal = turn.text
    elif consultation.pending:
        answered_pending, value = _answer_to_pending(consultation.pending, turn)
        if answered_pending and value is None:
            left_open.append(consultation.pending)
        elif answered_pending:
            candidates[consultation.pending] = value

    # What the text states outright wins over how a short answer was read.
    candidates.update(_facts_from_text(turn))
    learned, rejected = _validated(candidates)

    corrected = {
        name: (consultation.facts[name], value)
        for name, value in learned.items()
        if name in consultation.facts and consultation.facts[name] != value
    }
    facts = {**consultation.facts, **learned}
    updated = Consultation(
        facts=facts,
        left_open=tuple(f for f in dict.fromkeys(left_open) if f not in learned),
        pending=None,
        behov_syfte_mal=behov_syfte_mal,
    )
    result = check(facts)
    unanswered = None if answered_pending else consultation.pending
    question = _next_question(updated, result, turn, learned, unanswered)
    updated = replace(updated, pending=question)
    return TurnOutcome(
        consultation=updated,
        learned=learned,
        corrected=corrected,
        rejected=rejected,
        previous_result=previous_result,
        result=result,
        answered_pending=answered_pending,
        next_question=question,
    )
