"""What one user turn states: the single place where the lexicon's reading (nlu.facts), the
entities DIET found, the intent and the question just asked are weighed against each other.

The consultation (actions/consultation_state.py) calls `read_turn` once per turn and never
looks at entities or patterns itself. No Rasa imports, so the evaluation and the tests call it
directly.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping

import re
import threading
import unicodedata

from knowledge.criteria import FACTS
from knowledge.ingest.swedish import fold
from nlu.facts import (
    answer_polarity, extract_answer, extract_facts, mentioned_in_doubt, named_role, opens_with_doubt, outright_answer,
    refuses_number, reply_words, sounds_unsure, lexicon_words,
)

YES_NO_INTENTS = {"affirm": True, "deny": False}

# A message that asks something: a question mark, or a question word as people type without one
# ("hur kan hon fa hjalp", "undrar vem hon ska ringa"). Folded text, so "vart" covers "vårt" too,
# which is harmless here: it only decides whether a role statement also asks for the ways in.
_QUESTION = re.compile(r"\?|(?<!\w)(hur|vart|vem|vilka|vilken|vad|var|kan|undrar|far)(?!\w)")

# Where a message starts on another person ("ny klient", "nästa ärende: kille 26 …"): the
# facts after it are that person's, and the earlier person's are not carried over.
_PERSON_NOUN = r"(klient|klienten|arende|arendet|person|personen|brukare|brukaren|individ|fall|fallet|case|caset)"
_NEW_PERSON = (
    # "ny klient kvinna 50", "nästa ärende: …"; "en annan person" only before a pause, since
    # "en annan person i hushållet har fbs" is about someone else, not a new case.
    rf"(ny|nytt|nasta)\s+{_PERSON_NOUN}\b(\s+nu\b)?\W*"
    rf"|(en annan|ett annat|annan|annat)\s+{_PERSON_NOUN}(\s+nu)?(\s*[:.,;!–-]+\s*|\s*$)"
    # "nästa: man 40", "ny: kvinna 30", "en till: kille 22": the colon says a description follows.
    r"|(ny|nytt|nasta|en till|ett till)\s*:\s*"
    r"|borja om\b\W*"
)
# How people lead into the new person: an acknowledgement of the last answer (the lexicon's
# words, "okej", "tack!") or a greeting ("hej igen,"), then "nu", "då tar vi", "har ett" ("Okej,
# nu ett nytt ärende.").
_NEW_PERSON_LEAD = (
    r"(hej|hejsan|halla|tja)(\s+igen)?\W+|(nu|da|sa)\s+|(har|tar)(\s+(jag|vi))?\s+|(jag|vi)\s+(har|tar)\s+"
    r"|(ett|en)\s+(?=ny|nasta)"
)


@lru_cache(maxsize=1)
def _new_person_start() -> re.Pattern[str]:
    acknowledging = "|".join(sorted(reply_words("acknowledging"), key=len, reverse=True))
    return re.compile(rf"^\W*(({acknowledging})\b\W*)*({_NEW_PERSON_LEAD})*({_NEW_PERSON})")


# An outreach worker's follow-up asking whom to contact or how to get in ("vem ska hon ringa?",
# "vart vänder han sig", "hur söker hon"): the ways in answer it, not a guideline passage.
_WAY_IN = re.compile(
    r"\b(ringa|ringer|kontakta\w*|ta kontakt|vanda (sig|oss|mig)|vander (hon|han|hen|sig|vi|jag)|"
    r"vart (ska|kan|gar|vander)|vem (ska|kan|bor) (hon|han|hen|vi|jag|man)|"
    r"hur (soker|ansoker|kommer) (hon|han|hen|man|vi)|var (soker|ansoker) (hon|han|hen|man))\b"
)

# DIET's number entities and the facts they can fill.
ENTITY_FACTS = {"alder": "alder", "timmar": "onskad_omfattning_timmar", "personkrets": "lss_personkrets"}


@dataclass(frozen=True)
class Turn:
    intent: str
    text: str
    entities: tuple[Mapping[str, Any], ...] = ()
    # The conversation the turn belongs to (Rasa's sender id): what its text states is kept for
    # that conversation only (ConversationReadings). None reads the text afresh every time.
    conversation: str | None = None

    def entity(self, name: str) -> Any:
        return next((e.get("value") for e in self.entities if e.get("entity") == name), None)


class ConversationReadings:
    """What the texts of a conversation state (`extract_facts`), kept per conversation.

    A turn reads its text once for the facts and again for each check of a correction, an
    action that hands over to the consultation reads it twice, and a conversation sends "ja",
    "nej" and "vet inte" many times. The key is (conversation, text): what one conversation wrote
    is never looked up by another, even for the same words, so nothing a user wrote (nor how
    soon an answer came back) reaches another session. At most `size` texts are kept, the least
    recently read going first, so a conversation's texts do not stay in memory for long.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._read: OrderedDict[tuple[str, str], tuple[tuple[str, Any], ...]] = OrderedDict()
        # The action server runs actions on its event loop, but a thread may read as well.
        self._lock = threading.Lock()

    def facts(self, conversation: str, text: str) -> dict[str, Any]:
        """A new dict each time: read_turn adds entity facts to what it gets."""
        key = (conversation, text)
        with self._lock:
            kept = self._read.get(key)
            if kept is not None:
                self._read.move_to_end(key)
                return dict(kept)
        kept = tuple(extract_facts(text).items())
        with self._lock:
            self._read[key] = kept
            while len(self._read) > self.size:
                self._read.popitem(last=False)
        return dict(kept)

    def __len__(self) -> int:
        return len(self._read)

    def clear(self) -> None:
        with self._lock:
            self._read.clear()


READINGS = ConversationReadings()


def stated_facts(turn: Turn) -> dict[str, Any]:
    """The facts `turn`'s text states by the lexicon (nlu.facts), for its conversation."""
    if turn.conversation is None:
        return extract_facts(turn.text)
    return READINGS.facts(turn.conversation, turn.text)


@dataclass(frozen=True)
class TurnReading:
    # Every fact the turn states, the answer to the pending question included.
    facts: dict[str, Any] = field(default_factory=dict)
    # The pending question got an answer; when the answer was "vet inte", facts lacks it.
    answered: bool = False
    # A bare "ja" to a question with several options ("personkrets 1, 2, 3 eller ingen?"):
    # it says something, but not which option, so the options are offered again.
    needs_choice: bool = False
    # The answer was a guess ("tror det", "han har nog kontakt med psykiatrin"): left open, and
    # the reply says so, so that it is not taken for recorded.
    doubted: bool = False


def read_turn(turn: Turn, pending: str | None = None) -> TurnReading:
    """The facts `turn` states and, when a fact question is pending, whether it answers it.

    What the text states outright wins over how a short answer was read: "nej, hon har fbs"
    to the försörjningsstöd question records försörjningsstöd. An answer that also states
    other facts ("ja, och hon är 30") records them all.
    """
    stated = stated_facts(turn)
    stated.update(_entity_facts(turn, stated))
    if pending is None:
        return TurnReading(facts=stated)
    if pending not in FACTS:
        raise ValueError(f"unknown pending fact {pending!r}; known facts: {', '.join(FACTS)}")
    # "tror inte det" to "personkrets 1, 2, 3 eller ingen?" is no "ingen"; "tror inte han har nån
    # kontakt m psyk", "hon har antagligen fsd": the words name the fact, but as a guess. Either
    # way the yes or no the classifier heard is none: answered and left open (issue 14 §2).
    whole_reply_hedged = hedged(turn.text)
    doubted = pending not in stated and (whole_reply_hedged or _guessed(turn.text, pending))
    answered, value = (True, None) if whole_reply_hedged or doubted else _answer(pending, turn, stated)
    facts = {pending: value, **stated} if answered and value is not None else stated
    needs_choice = not answered and FACTS[pending]["type"] == "enum" and _says_yes(turn)
    return TurnReading(facts=facts, answered=answered, needs_choice=needs_choice, doubted=doubted)


def _answer(pending: str, turn: Turn, stated: Mapping[str, Any]) -> tuple[bool, Any]:
    """(answered, value) for the question just asked, when the reply is no guess; value None
    means left open."""
    if turn.intent == "dont_know":
        # DIET reads a bare "ingen" as "ingen aning"; to "personkrets 1, 2, 3 eller ingen?" it is
        # the answer. The lexicon tells "ingen" from "vet inte" and "ingen aning" (nlu.facts). Only
        # for a question with options: to a yes/no question a doubt must never become a "nej".
        return True, _lexicon_answer(turn.text, pending) if FACTS[pending]["type"] == "enum" else None
    # "ja kanske", "nej, osäker": the doubt wins over the yes or no the classifier heard; and
    # "vet inte, väntar på Jobbtorgs bedömning" or "det vet vi inte" read as inform or deny is
    # still a "vet inte": answered and left open, never a yes or a no.
    if pending not in stated and sounds_unsure(turn.text):
        return True, None
    button_value = turn.entity("svar")
    if button_value is not None:
        return True, button_value
    if pending in stated:
        return True, stated[pending]
    if turn.intent in YES_NO_INTENTS and FACTS[pending]["type"] == "bool" and not _yes_no_belongs_elsewhere(turn, stated):
        # Where the words say it outright, they win over the classifier: "ja tror inte det"
        # ("jag tror inte det" typed fast) is a no even when the classifier hears the "ja".
        in_words = answer_polarity(turn.text)
        return True, YES_NO_INTENTS[turn.intent] if in_words is None else in_words
    value = _lexicon_answer(turn.text, pending)
    if _is_another_facts_number(value, pending, stated):
        # "hon är 20" to the hours question: the 20 is the age the text states, not the hours.
        return False, None
    return value is not None, value


def _lexicon_answer(text: str, pending: str) -> Any:
    try:
        return extract_answer(text, pending)
    except ValueError:
        # A fact the lexicon has no patterns for (the handläggare's edge assessments of working
        # age and of Jobbtorg, asked only as yes/no questions): a yes or a no answers it.
        return answer_polarity(text) if FACTS[pending]["type"] == "bool" else None


def _numbers_stated(stated: Mapping[str, Any], besides: str | None = None) -> set[Any]:
    """The values stated for the number facts, `besides` excepted: a number that is one fact's
    value is not another's."""
    return {value for name, value in stated.items() if FACTS[name]["type"] == "int" and name != besides}


def _is_another_facts_number(value: Any, pending: str, stated: Mapping[str, Any]) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in _numbers_stated(stated, pending)


def _yes_no_belongs_elsewhere(turn: Turn, stated: Mapping[str, Any]) -> bool:
    """A yes or no the classifier heard in a message that states other facts without answering
    in words: in the note "ek bistånd: ja. jobbtorg: nej" the "ja" and "nej" belong to the words
    before them, not to the question just asked, so they must not answer it."""
    return bool(stated) and answer_polarity(turn.text) is None


def _guessed(text: str, fact: str) -> bool:
    """True when `text` speaks of `fact` under a guess word of the lexicon ("tror", "nog",
    "antagligen"): not a condition or someone else's fact, which the lexicon also keeps back."""
    hedges = reply_words("hedges")
    return any(word in hedges for word in lexicon_words(text)) and fact in mentioned_in_doubt(text)


def _says_yes(turn: Turn) -> bool:
    return turn.intent == "affirm" or answer_polarity(turn.text) is True


def _entity_facts(turn: Turn, stated: Mapping[str, Any]) -> dict[str, Any]:
    """DIET's number entities, only where the lexicon read nothing for that fact, the number is
    not already another fact's value and the lexicon does not refuse it in that role: in
    "kvinna 34 år … vill träffa folk" the 34 is the age the lexicon read, so a `timmar` entity on
    it is the extractor confusing the roles; in "jobbar 10 timmar i veckan", "10-15 tim/v" or
    "kanske 10" the lexicon saw the hours and ruled them out (a wrong fact is worse than none)."""
    used = _numbers_stated(stated)
    found: dict[str, Any] = {}
    for entity, fact in ENTITY_FACTS.items():
        value = turn.entity(entity)
        if fact in stated or value is None or not str(value).isdigit() or int(value) in used:
            continue
        if refuses_number(turn.text, fact, int(value)):
            continue
        found[fact] = int(value)
        used.add(int(value))
    return found


def hedged(text: str) -> bool:
    """True for a reply made only of a guess and yes/no words: "tror det", "nog inte". A yes or
    no set off on its own ("tror det, ja", "nej, tror inte det") answers; "ja tror inte det" is
    "jag tror inte det" typed fast."""
    words = lexicon_words(text)
    if any(len(lexicon_words(clause)) == 1 and answer_polarity(clause) is not None for clause in re.split(r"[,.;:!?]", text)):
        return False
    hedges, filler = reply_words("hedges"), reply_words("hedge_filler")
    return any(w in hedges for w in words) and all(w in hedges or w in filler for w in words)


def acknowledges(text: str) -> bool:
    """True for a reply that only acknowledges: "ja", "ok", "okej tack", "tack så mycket"."""
    words = lexicon_words(text)
    acknowledging = reply_words("acknowledging")
    return bool(words) and all(w in acknowledging for w in words)


def takes_back(text: str) -> bool:
    """True when the reply opens by taking back what was said: "nej förlåt, hon är 45", "oj sorry",
    "nej det var fel, hon har fsd" (its "fel" is the fourth word, "nej nej jag sa fel" the fifth)."""
    return any(w in reply_words("correcting") for w in lexicon_words(text)[:5])


def new_person(text: str) -> str | None:
    """The rest of a message that starts on another person ("nästa ärende: kille 26 …" gives
    "kille 26 …", a bare "ny klient" gives ""); None when the message does not start so."""
    # Cut in the composed text the match ran on: a decomposed "ä" (a + ring) is one character less
    # folded, and the rest would lose its first letter.
    text = unicodedata.normalize("NFC", text)
    match = _new_person_start().match(fold(text).lower())
    return None if match is None else text[match.end():].strip()


def asks_for_way_in(text: str) -> bool:
    """True when the message asks whom to contact or how to apply: "vem ska hon ringa?"."""
    return bool(_WAY_IN.search(fold(text).lower()))


def role_of(turn: Turn) -> str | None:
    """Who is asking: DIET's `roll` entity, else the role the words name (a typo such as
    "kompetensverkstn" leaves DIET without an entity while the intent is still inform_role)."""
    return turn.entity("roll") or named_role(turn.text)


def asks_something(text: str) -> bool:
    """True when the message asks a question, with or without a question mark."""
    return bool(_QUESTION.search(fold(text).lower()))


# The intents a question typed in the middle of a consultation is misread as: a description
# ("behöver hon ett läkarintyg?" shares its words with "behöver struktur"), a yes or a no ("kan
# hon tacka nej?"), thanks ("vad gör man om hon tackar nej?").
_MISREAD_QUESTION_INTENTS = frozenset({"inform", "affirm", "deny", "thank"})


def asks_instead_of_answering(turn: Turn) -> bool:
    """True for a question typed where the classifier heard a description, a yes, a no or thanks:
    a question mark, no yes or no word (or doubt) first and no fact stated. It is a guideline
    question, not the answer to the question pending ("behöver hon ett läkarintyg?" to the behov
    question was kept as her behov) nor a "tack" or a "nej"."""
    text = turn.text
    if turn.intent not in _MISREAD_QUESTION_INTENTS or "?" not in text:
        return False
    if outright_answer(text) is not None or opens_with_doubt(text):
        return False
    return not read_turn(turn).facts


def answers_outright(text: str) -> bool:
    """True for a reply that opens with an outright yes or no and goes on to state, not to ask:
    "ja, jag bedömer att sysselsättning kan beviljas" answers the question just asked, whatever
    the classifier makes of "beviljas"; "ja, vad krävs för IPS?" and "ja kan hon få IPS" ask a new
    one. (The "kan" of a statement makes asks_something true, so only the word after the yes or
    no word, and a question mark anywhere, say it asks.)"""
    if outright_answer(text) is None or "?" in text:
        return False
    words = re.findall(r"[^\W_]+", fold(text).lower())
    return len(words) < 2 or not _QUESTION.fullmatch(words[1])
