"""The consultation as plain data: what is known, what was left open, what was just asked.

One user turn goes in (intent, text, entities), a new state and what changed come out. The
eligibility itself is never decided here: every turn ends in a call to the criteria checker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from knowledge.criteria import FACTS, FactsError, check, validate_facts
from knowledge.criteria.next_question import BEHOV_SYFTE_MAL, next_question
# Turn is imported from here by the actions: the consultation takes one, nlu reads it.
from nlu.turn import Turn, acknowledges, hedged, new_person, read_turn, takes_back


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
class TurnOutcome:
    consultation: Consultation
    learned: dict[str, Any]
    corrected: dict[str, tuple[Any, Any]]
    rejected: list[str]
    # The check of the facts before the turn, only where the turn corrected one (None otherwise).
    previous_result: dict | None
    result: dict
    answered_pending: bool
    next_question: str | None
    # "ja" to a question with several options: offer the options again (nlu.turn).
    needs_choice: bool = False
    # "ok", "ja", "tack" after a finished result: acknowledged, the result is not repeated.
    acknowledged: bool = False
    # The turn started on another person ("ny klient", "nästa ärende: …"): the earlier person's
    # facts were dropped before this turn was read.
    started_over: bool = False
    # The pending question got a guess ("tror det", "tror inte det"), kept as unknown.
    doubted: bool = False

    @property
    def recommend_now(self) -> bool:
        return self.next_question is None


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


def _corrects_a_known_fact(consultation: Consultation, turn: Turn) -> bool:
    # A known fact restated with its value corrects nothing: in "nej, hon har ingen sysselsättning"
    # to the question about psychiatry the "nej" answers, the rest repeats the opening.
    return any(name in consultation.facts and consultation.facts[name] != value for name, value in read_turn(turn).facts.items())


# A bare no before a correction belongs to it: "nej. hon är 31" says the age was wrong.
_BARE_NO = re.compile(r"^\W*(nej|nä|nää|nix|nope)\W*$", re.IGNORECASE)


def _answer_beside_correction(consultation: Consultation, turn: Turn) -> Turn | None:
    """The sentences of a correction turn that correct nothing, as the answer to the pending
    question: in "ja hon har inget. förresten är hon 47, inte 43" the first sentence answers."""
    rest = [
        sentence.strip() for sentence in re.split(r"[.!?;\n]+", turn.text)
        if sentence.strip() and not _corrects_a_known_fact(consultation, replace(turn, text=sentence, entities=()))
    ]
    text = ". ".join(rest)
    return Turn("inform", text, conversation=turn.conversation) if rest and not _BARE_NO.match(text) else None


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
    # "nästa ärende: kille 26 …": the facts that follow are a new person's, read from scratch.
    rest = new_person(turn.text)
    started_over = rest is not None and consultation.started
    if rest is not None:
        consultation, turn = (Consultation() if started_over else consultation), replace(turn, text=rest)
    left_open = list(consultation.left_open)
    behov_syfte_mal = consultation.behov_syfte_mal
    answered_pending = False
    # The fact question this turn may answer. A correction ("nej, hon är 31") is about an
    # earlier fact; its "nej" does not answer the pending question, which is asked again below.
    # A "correction" that changes no known fact ("nej men hon har fbs") is an answer after all.
    fact_question = consultation.pending if consultation.pending in FACTS else None
    answer_turn = None
    # "nej förlåt, hon är 45" read as a no is a correction all the same: its "nej" takes back the age.
    if (turn.intent == "correct_fact" or takes_back(turn.text)) and _corrects_a_known_fact(consultation, turn):
        answer_turn = _answer_beside_correction(consultation, turn) if fact_question else None
        if answer_turn is None:
            fact_question = None
    elif consultation.pending == BEHOV_SYFTE_MAL:
        # A guess is "vet inte"; a bare "ja" or "ok" describes no need and is asked again.
        answered_pending = not acknowledges(turn.text)
        if turn.intent == "dont_know" or hedged(turn.text):
            left_open.append(BEHOV_SYFTE_MAL)
        elif answered_pending:
            behov_syfte_mal = turn.text

    reading = read_turn(turn, fact_question)
    if answer_turn is not None:
        # The answer from its own sentences; every fact the whole turn states, the correction too.
        answered = read_turn(answer_turn, fact_question)
        reading = replace(answered, facts={**answered.facts, **read_turn(turn).facts})
    if reading.answered:
        answered_pending = True
        if fact_question not in reading.facts:
            left_open.append(fact_question)
    learned, rejected = _validated(reading.facts)

    corrected = {
        name: (consultation.facts[name], value)
        for name, value in learned.items()
        if name in consultation.facts and consultation.facts[name] != value
    }
    # The verdicts before the turn are shown only beside a correction ("Ändrat (ålder 28 → 31) …"):
    # checked then, not on every turn (a check is about half of a "ja" turn's CPU).
    previous_result = check(consultation.facts) if corrected else None
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
    # After a finished result nothing is pending; a bare "ok" there asks for nothing new.
    acknowledged = consultation.pending is None and consultation.started and not learned and acknowledges(turn.text)
    return TurnOutcome(
        consultation=updated,
        learned=learned,
        corrected=corrected,
        rejected=rejected,
        previous_result=previous_result,
        result=result,
        answered_pending=answered_pending,
        next_question=question,
        needs_choice=reading.needs_choice,
        acknowledged=acknowledged,
        started_over=started_over,
        doubted=answered_pending and (reading.doubted or (fact_question is None and hedged(turn.text))),
    )
