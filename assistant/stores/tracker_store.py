"""An SQL tracker store that makes an outage visible and never merges a guessed history.

Rasa wraps every tracker store in FailSafeTrackerStore: a failed read becomes an empty
conversation and a failed write is kept in this process's memory only, each with one log line
that quotes the database error (whose SQL parameters can contain what the user wrote). Here:
- a read is retried briefly (a restarted database first fails every pooled connection once);
- every failure is logged as an error naming the store and the conversation id, never the SQL
  parameters, and raised again without them;
- a conversation whose read failed was answered on an empty history; writing that turn later
  would splice the fresh session's events into the stored ones (Rasa appends "the events after
  the stored count"), so it is refused until a read of that conversation succeeds again.
The user is told by the HTTP app, which refuses turns while the store is unreachable
(assistant.stores.health).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

READ_ATTEMPTS = 3
READ_RETRY_SECONDS = 0.5


class TrackerStoreUnavailable(RuntimeError):
    """The database did not answer; the message carries no conversation content."""


class VisibleSQLTrackerStore(SQLTrackerStore):
    """Configured in endpoints as `type: assistant.stores.tracker_store.VisibleSQLTrackerStore`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._history_unknown: set[str] = set()

    def _unavailable(self, operation: str, sender_id: Text, error: Exception) -> TrackerStoreUnavailable:
        # The driver's own first line (e.g. "connection refused"), without SQLAlchemy's statement
        # and parameters.
        cause = getattr(error, "orig", None) or error
        first_line = (str(cause).strip().splitlines() or [""])[0]
        reason = f"{type(cause).__name__}: {first_line}"
        logger.error(
            "tracker store unavailable: %s of conversation %s failed (%s, %s)",
            operation, sender_id, self.engine.url.render_as_string(hide_password=True), reason,
        )
        return TrackerStoreUnavailable(f"tracker store unavailable during {operation} ({reason})")

    async def _read(self, sender_id: Text, full: bool) -> Optional[DialogueStateTracker]:
        read = super().retrieve_full_tracker if full else super().retrieve
        for attempt in range(1, READ_ATTEMPTS + 1):
            try:
                tracker = await read(sender_id)
            except sa.exc.SQLAlchemyError as error:
                if attempt == READ_ATTEMPTS:
                    self._history_unknown.add(sender_id)
                    raise self._unavailable("read", sender_id, error) from None
                await asyncio.sleep(READ_RETRY_SECONDS)
            else:
                self._history_unknown.discard(sender_id)
                return tracker

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._read(sender_id, full=False)

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        return await self._read(conversation_id, full=True)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if tracker.sender_id in self._history_unknown:
            logger.error(
                "tracker store: turn of conversation %s not written, it was answered without its "
                "stored history during an outage", tracker.sender_id,
            )
            raise TrackerStoreUnavailable("history unknown since a failed read; turn not merged")
        try:
            await super().save(tracker)
        except sa.exc.SQLAlchemyError as error:
            raise self._unavailable("write", tracker.sender_id, error) from None
