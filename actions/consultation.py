"""The consultation's actions. They read slots, call the consultation state and the replies
module, and send what comes back; the rules live in knowledge/criteria."""
from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.consultation_state import Consultation, Turn, take_turn
from knowledge.criteria import check
from knowledge.ingest.swedish import fold
from knowledge.provenance import stamp
from nlu.turn import acknowledges, asks_instead_of_answering, asks_something, new_person, read_turn, role_of

log = logging.getLogger(__name__)

# After this many turns in a row that the bot could not read, it explains the question once
# and offers "vet inte" instead of asking again.
NOT_UNDERSTOOD_LIMIT = 2

WHICH_OPTION = "Vilket av alternativen gäller? Välj nedan eller skriv det."

OUTREACH_LEAD = "Jag svarar som till uppsökande personal – så här går vägen in:"

# The writer speaking of themselves: "jag …", "vi …", or a note that drops the "jag" ("jobbar på KV …").
_SPEAKS_OF_SELF = re.compile(r"\b(jag|vi)\b|^\W*(jobbar|arbetar)\b")
ROLE_RESPONSES = {"handlaggare": "utter_role_handlaggare", "uppsokare": "utter_role_uppsokare"}


def turn_of(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    return Turn(
        intent=(message.get("intent") or {}).get("name") or "",
        text=message.get("text") or "",
        entities=tuple(message.get("entities") or ()),
        conversation=tracker.sender_id,
    )


def _slot_events(values: dict[str, Any]) -> list[EventType]:
    return [SlotSet(name, value) for name, value in values.items()]


def ask_question(dispatcher: CollectingDispatcher, fact: str) -> None:
    text, buttons = replies.question(fact)
    dispatcher.utter_message(text=text, buttons=buttons)


def ask_pending(dispatcher: CollectingDispatcher, consultation: Consultation, lead: str | None = None) -> None:
    """Asks the question the consultation is waiting for again, after an aside."""
    if consultation.pending:
        if lead:
            dispatcher.utter_message(text=lead)
        ask_question(dispatcher, consultation.pending)


def current_result(consultation: Consultation) -> dict | None:
    return check(consultation.facts) if consultation.started else None


def provenance_stamped(result: dict, tracker: Tracker) -> dict:
    """The result as sent to the user: with the versions that produced it, which the log records too
    (statuses and versions only; the facts stay out of the log)."""
    stamped = stamp(result, model=_model_id(tracker))
    versions = " ".join(f"{name}={value}" for name, value in stamped["versions"].items())
    log.info("check result sent: primary=%s %s", stamped["recommendation"]["primary"], versions)
    return stamped


def _model_id(tracker: Tracker) -> str | None:
    # Rasa adds the running model's id to the metadata of every event it logs.
    for event in reversed(tracker.events):
        model_id = (event.get("metadata") or {}).get("model_id")
        if model_id:
            return model_id
    return None


def _answer_guideline(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
    """A question typed in the middle of the consultation gets the guidelines' answer and the
    pending question again (nlu.turn.asks_instead_of_answering)."""
    # Imported here: guideline_answers imports this module for ActionConsult.
    from actions.guideline_answers import ActionAnswerGuideline

    return ActionAnswerGuideline().run(dispatcher, tracker, domain)


class ActionConsult(Action):
    def name(self) -> str:
        return "action_consult"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        # "Jobbar på Kompetensverkstan, en tjej 19 år …" read as a case description still says
        # who is asking: outreach staff get the ways in, not the consultation's questions.
        # The role is DIET's entity or, where the writer speaks of themselves ("jobbar på KV",
        # "jag är fältassistent"), the words (nlu.turn.role_of): "hon går på Kompetensverkstan"
        # in a case note is where the person goes, not who is asking.
        turn = turn_of(tracker)
        role = turn.entity("roll") or (role_of(turn) if _SPEAKS_OF_SELF.search(fold(turn.text).lower()) else None)
        if role == "uppsokare" and tracker.get_slot("role") != "uppsokare":
            return ActionSetRole().run(dispatcher, tracker, domain)
        if asks_instead_of_answering(turn):
            return _answer_guideline(dispatcher, tracker, domain)
        consultation = Consultation.from_slots(tracker.current_slot_values())
        outcome = take_turn(consultation, turn)
        if outcome.started_over:
            dispatcher.utter_message(response="utter_new_case" if outcome.learned else "utter_restarted")
            consultation = Consultation()
        if outcome.acknowledged:
            dispatcher.utter_message(response="utter_what_next")
            return [SlotSet("not_understood", 0.0)]

        if outcome.needs_choice and not outcome.learned:
            return self._offer_choices(dispatcher, consultation.pending)
        nothing_new = not outcome.learned and not outcome.answered_pending and not outcome.rejected
        if nothing_new and not outcome.consultation.started:
            if outcome.started_over:
                return _slot_events({**outcome.consultation.to_slots(), "not_understood": 0.0})
            dispatcher.utter_message(response="utter_no_question_pending")
            return []
        if nothing_new and turn.intent != "ask_recommendation" and consultation.pending:
            return self._not_understood(dispatcher, tracker, consultation.pending)

        for message in outcome.rejected:
            dispatcher.utter_message(text=message)
        changes = replies.verdict_changes(outcome.previous_result, outcome.result, outcome.corrected)
        learned = {k: v for k, v in outcome.learned.items() if k not in outcome.corrected}
        doubt = replies.DOUBT_KEPT_OPEN if outcome.doubted else None
        note = "\n".join(filter(None, [changes, replies.learned_text(learned), doubt]))
        if note:
            dispatcher.utter_message(text=note)

        if outcome.next_question:
            ask_question(dispatcher, outcome.next_question)
        else:
            result = provenance_stamped(outcome.result, tracker)
            text, quotes = replies.recommendation(result, tracker.get_slot("role"))
            dispatcher.utter_message(text=text, json_message={**result, "quotes": quotes})
        return _slot_events({**outcome.consultation.to_slots(), "not_understood": 0.0})

    @staticmethod
    def _offer_choices(dispatcher: CollectingDispatcher, pending: str) -> list[EventType]:
        """ "ja" to a question with several options is no misunderstanding: ask which, briefly."""
        _, buttons = replies.question(pending)
        dispatcher.utter_message(text=WHICH_OPTION, buttons=buttons)
        return [SlotSet("not_understood", 0.0)]

    @staticmethod
    def _not_understood(dispatcher: CollectingDispatcher, tracker: Tracker, pending: str) -> list[EventType]:
        count = (tracker.get_slot("not_understood") or 0) + 1
        if count >= NOT_UNDERSTOOD_LIMIT:
            dispatcher.utter_message(text="Jag förstod inte svaret. " + replies.why_text(pending, None))
            dispatcher.utter_message(
                text="Om det inte är känt går det bra att svara ”vet inte”, så går vi vidare.",
                buttons=[{"title": "Vet inte", "payload": "/dont_know"}],
            )
            return [SlotSet("not_understood", 0.0)]
        dispatcher.utter_message(text="Förlåt, det svaret förstod jag inte.")
        ask_question(dispatcher, pending)
        return [SlotSet("not_understood", float(count))]


class ActionClarify(Action):
    """Low NLU confidence: read the text as an answer to the pending question if it is one,
    otherwise ask what the user wants, with options, rather than guess."""

    def name(self) -> str:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        consultation = Consultation.from_slots(tracker.current_slot_values())
        # An "ok" after the result and "nästa ärende: …" are the consultation's to read too.
        text = turn_of(tracker).text
        if consultation.pending or (consultation.started and acknowledges(text)) or new_person(text) is not None:
            return ActionConsult().run(dispatcher, tracker, domain)
        dispatcher.utter_message(
            text="Jag är inte säker på vad du menar. Vad vill du göra?",
            buttons=[
                {"title": "Beskriva en person och få förslag på insats", "payload": "/ask_recommendation"},
                {"title": "Ställa en fråga om riktlinjerna", "payload": "/bot_capabilities"},
                {"title": "Sammanfatta ärendet", "payload": "/summarize"},
            ],
        )
        return []


class ActionRestartConsultation(Action):
    def name(self) -> str:
        return "action_restart"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        # "ny klient, kvinna 50 i målgruppen …": the new person's description is read at once.
        turn = turn_of(tracker)
        rest = new_person(turn.text)
        if rest and read_turn(Turn(turn.intent, rest, conversation=turn.conversation)).facts:
            return ActionConsult().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_restarted")
        return _slot_events({**Consultation().to_slots(), "not_understood": 0.0})


class ActionSetRole(Action):
    def name(self) -> str:
        return "action_set_role"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        # The intent says a role was stated; the words decide which when DIET tagged none.
        role = role_of(turn_of(tracker))
        # "Jag har en ansökan om sysselsättning från en kvinna som är 38 år" read as a role
        # statement names no role but describes a person: it opens a consultation, not a
        # question about who is asking.
        if role not in ROLE_RESPONSES and read_turn(turn_of(tracker)).facts:
            return ActionConsult().run(dispatcher, tracker, domain)
        if role not in ROLE_RESPONSES:
            dispatcher.utter_message(
                text="Arbetar du som handläggare eller uppsökande, t.ex. på Kompetensverkstan?",
                buttons=[
                    {"title": "Handläggare", "payload": '/inform_role{"roll": "handlaggare"}'},
                    {"title": "Uppsökande", "payload": '/inform_role{"roll": "uppsokare"}'},
                ],
            )
            return []
        turn = turn_of(tracker)
        if role == "uppsokare" and (asks_something(turn.text) or read_turn(turn).facts):
            return [SlotSet("role", role), *give_ways_in(dispatcher, tracker, turn)]
        dispatcher.utter_message(response=ROLE_RESPONSES[role])
        return [SlotSet("role", role)]


def give_ways_in(dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn) -> list[EventType]:
    """Outreach staff who describe a young person and ask how to get help get the ways in at
    once: they make no decisions, so the consultation's questions are not theirs to answer.
    A follow-up asking whom to contact gets them again for the facts kept."""
    outcome = take_turn(Consultation.from_slots(tracker.current_slot_values()), turn)
    result, recommendation = outcome.result, outcome.result["recommendation"]
    open_ids = [item["id"] for item in result["interventions"] if item["status"] != "not_eligible"]
    first = recommendation["primary"] or (open_ids[0] if open_ids else None)
    lines = [OUTREACH_LEAD, replies.ways_in_text(first, recommendation.get("referrals", []))]
    others = [replies.name_of(i) for i in open_ids if i != first]
    if first and others:
        lines.append("Andra vägar som kan bli aktuella: " + ", ".join(others) + ".")
    dispatcher.utter_message(text="\n\n".join(lines))
    # The facts are kept for a follow-up; no question is left pending.
    return _slot_events({**outcome.consultation.to_slots(), "pending_fact": None})


class ActionAfterThanks(Action):
    """After "tack": back to the question still waiting, or what can be done after a result."""

    def name(self) -> str:
        return "action_after_thanks"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if asks_instead_of_answering(turn_of(tracker)):
            return _answer_guideline(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_thank")
        consultation = Consultation.from_slots(tracker.current_slot_values())
        if consultation.pending:
            ask_pending(dispatcher, consultation)
        elif consultation.started:
            dispatcher.utter_message(response="utter_what_next")
        return []


class ActionListFacts(Action):
    def name(self) -> str:
        return "action_list_facts"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        consultation = Consultation.from_slots(tracker.current_slot_values())
        if not consultation.started:
            dispatcher.utter_message(response="utter_no_question_pending")
            return []
        listing = replies.facts_text(consultation.facts, list(consultation.left_open), consultation.behov_syfte_mal)
        dispatcher.utter_message(
            text=f"Det här vet jag om personen:\n{listing}\n\n"
            "Skriv t.ex. ”ändra åldern till 31” eller ”hon har faktiskt försörjningsstöd” för att ändra något."
        )
        ask_pending(dispatcher, consultation)
        return []


class ActionExplainQuestion(Action):
    def name(self) -> str:
        return "action_explain_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        consultation = Consultation.from_slots(tracker.current_slot_values())
        dispatcher.utter_message(text=replies.why_text(consultation.pending, current_result(consultation)))
        ask_pending(dispatcher, consultation)
        return []


class ActionSummarize(Action):
    def name(self) -> str:
        return "action_summarize"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        consultation = Consultation.from_slots(tracker.current_slot_values())
        if not consultation.started:
            dispatcher.utter_message(text="Det finns inget att sammanfatta ännu. Beskriv personen som ansöker.")
            return []
        result = provenance_stamped(current_result(consultation), tracker)
        dispatcher.utter_message(
            text=replies.summary(consultation.facts, list(consultation.left_open), consultation.behov_syfte_mal, result),
            json_message=result,
        )
        return []
