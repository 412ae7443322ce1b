"""What every channel does with a user's message before Rasa sees it.

Shared by the HTTP app's /api/chat and the Rasa socket.io channel, so both refuse the same input
with the same Swedish words and tell the user about identifiers the same way, once.
"""
from __future__ import annotations

from collections import OrderedDict

MAX_MESSAGE_CHARS = 4000

IDENTIFIER_NOTICE = (
    "Jag har tagit bort personuppgifter (personnummer, telefonnummer eller e-post) ur ditt meddelande. "
    "Skriv inga identifierande uppgifter här – beskriv personen utan namn och nummer."
)


def checked_message(value: object) -> str:
    """The message without surrounding whitespace; ValueError with a Swedish reason if it can't be sent."""
    if not isinstance(value, str):
        raise ValueError("Meddelandet ska vara text.")
    value = value.strip()
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
