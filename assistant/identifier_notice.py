"""The notice a user gets, once per conversation, when identifiers were masked out of a message.

Shared by every way into the assistant (the chat API, the widget's socket.io channel, Teams) so
the wording and the once-only rule are the same everywhere.
"""
from collections import OrderedDict

IDENTIFIER_NOTICE = (
    "Jag har tagit bort personuppgifter (personnummer, telefonnummer eller e-post) ur ditt meddelande. "
    "Skriv inga identifierande uppgifter här – beskriv personen utan namn och nummer."
)


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
