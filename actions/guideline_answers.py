"""Questions about the guidelines, asked on their own or in the middle of a consultation.

They are answered from the passage index (quoted, with the source) or from the rule files, and
then the consultation resumes with the question that was pending."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.citations import cite
from actions.consultation import ActionConsult, ask_pending, current_result, give_ways_in, turn_of
from actions.consultation_state import Consultation
from knowledge.ingest.swedish import fold
from knowledge.retrieval import QueryError, load_retriever
from nlu.turn import answers_outright, asks_for_way_in, asks_something, read_turn

PASSAGES_SHOWN = 2
BACK_TO_CASE = "Tillbaka till ärendet:"

# The insats entity names a family; the person's facts pick the member where they can.
GENERIC_INSATS = {
    "sysselsattning": ["socialt_inriktad_sysselsattning", "arbetsrehabiliterande_sysselsattning"],
    "stodinsats_4_2": ["stodinsats_4_2_socialpsykiatri"],
}


def answers_pending(tracker: Tracker) -> bool:
    """The message read as a question opens with a yes or no to the question the consultation
    waits for and asks nothing: it is that answer. Were it answered as a question, the same
    question would come back after the aside and a user who gives the same answer again would
    go round for ever (a held-out consultation did, 20 turns, docs/benchmarks.md session 13)."""
    pending = Consultation.from_slots(tracker.current_slot_values()).pending
    return pending is not None and answers_outright(turn_of(tracker).text)


def describes_instead_of_asking(turn) -> bool:
    """Read as a question, the message asks nothing and states facts: a description or a
    correction ("ursäkta, personkrets 2 ska det vara", "ansökan om sysselsättning, man 52"),
    for the consultation to read."""
    return not asks_something(turn.text) and bool(read_turn(turn).facts)


class ActionAnswerGuideline(Action):
    def name(self) -> str:
        return "action_answer_guideline"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if describes_instead_of_asking(turn_of(tracker)) or answers_pending(tracker):
            return ActionConsult().run(dispatcher, tracker, domain)
        question = (tracker.latest_message or {}).get("text") or ""
        # "vem ska hon ringa?" from outreach staff: the ways in, not a passage about the insats.
        if tracker.get_slot("role") == "uppsokare" and asks_for_way_in(question):
            return give_ways_in(dispatcher, tracker, turn_of(tracker))
        try:
            retriever = load_retriever()
            hits = retriever.search(question, k=PASSAGES_SHOWN)
        except QueryError as error:
            dispatcher.utter_message(text=str(error))
            return []
        if not hits:
            dispatcher.utter_message(text="Jag hittar inget om det i riktlinjerna. Försök formulera frågan på ett annat sätt.")
        else:
            quotes = [
                {
                    "citation": cite({"doc": hit.passage.doc, "section": hit.passage.section}),
                    "passage_id": hit.passage.id,
                    "title": hit.passage.title,
                    # The sentence that answers, not the passage's first lines.
                    "text": retriever.quote(question, hit.passage),
                }
                for hit in hits
            ]
            lines = ["Så här står det i riktlinjerna:"]
            lines += [f"» {q['text']} « ({q['citation']}, {q['title']})" for q in quotes]
            notes = superseded_notes(question, hits, quotes, retriever.passages)
            lines += [f"{note['note']} ({cite(note['source'])})" for note in notes]
            dispatcher.utter_message(text="\n\n".join(lines), json_message={"quotes": quotes})
        ask_pending(dispatcher, Consultation.from_slots(tracker.current_slot_values()), BACK_TO_CASE)
        return []


@lru_cache(maxsize=1)
def _superseded() -> tuple[dict[str, Any], ...]:
    entries = yaml.safe_load((Path(__file__).parent / "superseded.yaml").read_text(encoding="utf-8"))
    return tuple({**e, "stale": re.compile(e["stale"]), "about": re.compile(e["about"])} for e in entries)


def superseded_notes(question: str, hits: list, quotes: list[dict[str, Any]], passages: list) -> list[dict[str, Any]]:
    """The notes (superseded.yaml) for quoted passages whose section holds a statement a governing
    document overrides, when the question or the quote is about its topic; each note once.

    The section, not the passage alone: "Kan hon gå direkt till Alfa utan beslut?" may quote the
    second passage of 000 §2.7 (how IPS works) while the outdated "inte en biståndsbedömd insats"
    stands in its first, and the handläggare reads the quote as that section's answer."""
    notes = []
    for entry in _superseded():
        for hit, quote in zip(hits, quotes):
            passage = hit.passage
            section = " ".join(p.text for p in passages if (p.doc, p.section) == (passage.doc, passage.section))
            if (
                passage.doc in entry["docs"]
                and entry["stale"].search(fold(f"{passage.text} {section}").lower())
                and entry["about"].search(fold(f"{question} {quote['text']}").lower())
            ):
                notes.append(entry)
                break
    return notes


class ActionExplainInsats(Action):
    def name(self) -> str:
        return "action_explain_insats"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        turn = turn_of(tracker)
        # "ansökan om sysselsättning, man 52" names an insats but asks nothing and describes a
        # person: it opens (or adds to) a consultation, not a list of criteria.
        if describes_instead_of_asking(turn) or answers_pending(tracker):
            return ActionConsult().run(dispatcher, tracker, domain)
        consultation = Consultation.from_slots(tracker.current_slot_values())
        named = next(tracker.get_latest_entity_values("insats"), None)
        if named is None:
            return ActionAnswerGuideline().run(dispatcher, tracker, domain)
        ids = GENERIC_INSATS.get(named, [named])
        if named == "stodinsats_4_2" and consultation.facts.get("lss_personkrets") in (1, 2):
            ids = ["stodinsats_4_2_lss", "stodinsats_4_2_lss_insteg"]
        known = [i for i in ids if i in replies.interventions()]
        if not known:
            return ActionAnswerGuideline().run(dispatcher, tracker, domain)
        if tracker.get_slot("role") == "uppsokare":
            texts = [f"{replies.name_of(i)}\n{replies.ways_in_text(i, [])}" for i in known]
        else:
            result = current_result(consultation)
            texts = [replies.criteria_overview(i, result) for i in known]
        dispatcher.utter_message(text="\n\n".join(texts))
        ask_pending(dispatcher, consultation, BACK_TO_CASE)
        return []
