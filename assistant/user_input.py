"""What every channel does with a user's message before Rasa sees it.

Shared by the HTTP app's /api/chat, the Rasa socket.io channel and the Teams channel, so all three
refuse the same input with the same Swedish words, mask identifiers with the one masking
(assistant.personal_data), and tell the user which kinds were removed the same way, once per kind.
`incoming` is that one way in.
"""
from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.personal_data import KIND_WORDS, PLACEHOLDERS, dictionary, mask

MAX_MESSAGE_CHARS = 4000
# C0 controls but tab and newlines, DEL, and the bidi overrides that can make a logged or shown
# text read differently from what it is. NUL would also break a PostgreSQL tracker store.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

IDENTIFIER_ADVICE = "Skriv inga identifierande uppgifter här – beskriv personen utan namn och nummer."
DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"
# A button's payload: "/affirm", '/inform{"svar": "studier"}' (Rasa's RegexMessageHandler reads it).
_PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$", re.DOTALL)
MAX_PAYLOAD_VALUE_CHARS = 64

# Rasa answers a turn whose custom action could not be reached with no messages at all (it logs
# the error and listens). The conversation and the user's message stay in the tracker store.
KNOWLEDGE_UNREACHABLE = (
    "Jag når inte min kunskapsbas just nu och kan därför inte svara på det här. "
    "Det du har skrivit hittills finns kvar. Skicka ditt senaste meddelande igen om en stund, "
    "så fortsätter vi där vi var. Om felet består, kontakta förvaltningens IT-support; "
    "riktlinjerna finns också på intranätet."
)


def checked_message(value: object) -> str:
    """The message without control characters and surrounding whitespace; ValueError with a Swedish
    reason if it can't be sent."""
    if not isinstance(value, str):
        raise ValueError("Meddelandet ska vara text.")
    value = CONTROL_CHARACTERS.sub("", value).strip()
    if not value:
        raise ValueError("Meddelandet är tomt.")
    if len(value) > MAX_MESSAGE_CHARS:
        raise ValueError(f"Meddelandet är för långt; högst {MAX_MESSAGE_CHARS} tecken.")
    return value


@dataclass(frozen=True)
class Incoming:
    """A user's message as Rasa may see it, and the kinds of identifier taken out of it."""
    text: str
    kinds: frozenset[str]


def load_masking() -> None:
    """Reads what masking needs before the first message arrives: the Swedish dictionary, which
    the first time is built from its table (about 2 s of CPU) and a message would wait for."""
    dictionary.load()


def incoming(value: object) -> Incoming:
    """The message checked (ValueError with a Swedish reason), a leading "/" that is no button's
    payload removed, and its identifiers masked."""
    masked = mask(_without_stray_command(checked_message(value)))
    return Incoming(masked.text, masked.kinds)


@lru_cache(maxsize=1)
def _domain() -> tuple[frozenset[str], frozenset[str]]:
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    return frozenset(domain.get("intents") or ()), frozenset(domain.get("entities") or ())


def _is_button_payload(match: re.Match) -> bool:
    intents, entities = _domain()
    if match.group("intent") not in intents:
        return False
    if match.group("entities") is None:
        return True
    try:
        values = json.loads(match.group("entities"))
    except ValueError:
        return False
    return isinstance(values, dict) and all(
        key in entities and isinstance(value, (str, int, float)) and len(str(value)) <= MAX_PAYLOAD_VALUE_CHARS
        for key, value in values.items()
    )


def _without_stray_command(text: str) -> str:
    """Rasa reads a message starting with "/" as an intent and, when it is none of the domain's,
    logs a warning with the whole message in it; and a typed "/restart{...}" would pick an intent
    and set entities past NLU. Only the payloads of the assistant's own buttons keep their "/"."""
    if not text.startswith("/"):
        return text
    match = _PAYLOAD.match(text)
    if match and _is_button_payload(match):
        return text
    return checked_message(text.lstrip("/ \t\n"))


def identifier_notice(kinds: frozenset[str] | set[str]) -> str:
    """Says which kinds were taken out, never the identifiers themselves."""
    words = [KIND_WORDS[kind] for kind in PLACEHOLDERS if kind in kinds]
    listing = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]
    return f"Jag har tagit bort {listing} ur ditt meddelande innan det sparades. {IDENTIFIER_ADVICE}"


class WarnedSenders:
    """What each conversation has been told was removed, so each kind's notice comes once."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._told: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._capacity = capacity

    def notice_for(self, sender: str, kinds: frozenset[str]) -> str | None:
        """The notice for the kinds this conversation has not yet been told about, or None."""
        told = self._told.get(sender, frozenset())
        new = kinds - told
        if not new:
            return None
        self._told[sender] = told | new
        self._told.move_to_end(sender)
        if len(self._told) > self._capacity:
            self._told.popitem(last=False)
        return identifier_notice(new)
