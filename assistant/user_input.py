"""What every channel does with a user's message before Rasa sees it.

Shared by the HTTP app's /api/chat and the Rasa socket.io channel, so both refuse the same input
with the same Swedish words and tell the user about identifiers the same way, once.
"""
from __future__ import annotations

import re
from collections import OrderedDict

MAX_MESSAGE_CHARS = 4000
# C0 controls but tab and newlines, DEL, and the bidi overrides that can make a logged or shown
# text read differently from what it is. NUL would also break a PostgreSQL tracker store.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

IDENTIFIER_NOTICE = (
    "Jag har tagit bort personuppgifter (personnummer, telefonnummer eller e-post) ur ditt meddelande. "
    "Skriv inga identifierande uppgifter här – beskriv personen utan namn och nummer."
)

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


class WarnedSenders:
    """Senders already told about identifiers, so the notice comes once per conversation."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._senders: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    def first_time(self, sender: str) -> bool:
        if sender in self._senders:
            return False
        self._senders[sender] = None
        if len(self._senders) > self._capacity:
            self._senders.popitem(last=False)
        return True
