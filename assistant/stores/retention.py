"""Deletes old conversations and erases single ones from Rasa's `events` table (SQLite or
PostgreSQL, whichever the endpoints file configures).

A DELETE in SQLite only marks pages free: the text stays readable in the file until the page is
reused. So SQLite deletes run with `secure_delete` (freed pages are zeroed) and are followed by
VACUUM and a WAL checkpoint, after which the words are in neither the file nor its journal.
PostgreSQL's autovacuum reclaims dead rows on its own schedule (docs/privacy.md).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class Deleted:
    conversations: int
    events: int


def _events_table(engine: sa.engine.Engine) -> sa.Table | None:
    # Rasa creates the file and the table on its first start; before that there is nothing to delete.
    url = engine.url
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return None
    if not sa.inspect(engine).has_table("events"):
        return None
    return sa.Table("events", sa.MetaData(), autoload_with=engine)


def _is_sqlite(engine: sa.engine.Engine) -> bool:
    return engine.url.get_backend_name() == "sqlite"


def secure_delete_on(connection: sa.engine.Connection) -> None:
    if _is_sqlite(connection.engine):
        connection.exec_driver_sql("PRAGMA secure_delete=ON")


def compact(engine: sa.engine.Engine) -> None:
    """After a delete: rebuild an SQLite file without the freed pages, and empty its WAL."""
    if not _is_sqlite(engine):
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM")
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def delete_older_than(url: URL | str, days: int, now: float | None = None) -> Deleted:
    """Removes every conversation whose latest event is more than `days` days old (its whole
    history, all sessions); conversations with recent activity are kept whole."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
    engine = sa.create_engine(url)
    try:
        events = _events_table(engine)
        if events is None:
            return Deleted(0, 0)
        stale = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        with engine.begin() as connection:
            secure_delete_on(connection)
            senders = [row.sender_id for row in connection.execute(stale)]
            removed = 0
            # In chunks: SQLite allows at most 999 bound parameters per statement.
            for start in range(0, len(senders), 500):
                chunk = senders[start:start + 500]
                removed += connection.execute(events.delete().where(events.c.sender_id.in_(chunk))).rowcount
        if removed:
            compact(engine)
        return Deleted(len(senders), removed)
    finally:
        engine.dispose()


def erase(url: URL | str, conversation_id: str) -> Deleted:
    """Removes every event of one conversation."""
    engine = sa.create_engine(url)
    try:
        events = _events_table(engine)
        if events is None:
            return Deleted(0, 0)
        with engine.begin() as connection:
            secure_delete_on(connection)
            removed = connection.execute(events.delete().where(events.c.sender_id == conversation_id)).rowcount
        if removed:
            compact(engine)
        return Deleted(1 if removed else 0, removed)
    finally:
        engine.dispose()
