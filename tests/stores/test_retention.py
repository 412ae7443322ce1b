"""`python -m assistant retention` and `erase` on the embedded SQLite store and on PostgreSQL,
with conversations written by Rasa's own SQLTrackerStore."""
import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.processes import ROOT

DAY = 86_400


@dataclass
class Store:
    endpoints: Path
    env: dict[str, str]
    url: str

    def rasa_store(self) -> SQLTrackerStore:
        return SQLTrackerStore(Domain.empty(), host=self.url)

    def senders(self) -> dict[str, int]:
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(sa.text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))
                return dict(rows.fetchall())
        finally:
            engine.dispose()

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "assistant", *args, "--endpoints", str(self.endpoints)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
            capture_output=True, text=True, timeout=120,
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> Store:
    if request.param == "sqlite":
        db = tmp_path / "tracker.db"
        return Store(ROOT / "endpoints.yml", {"TRACKER_DB": str(db)}, f"sqlite:///{db}")
    postgres = request.getfixturevalue("postgres")
    name = request.getfixturevalue("postgres_db")
    env = {"TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": str(postgres.port), "TRACKER_DB_NAME": name,
           "TRACKER_DB_USER": postgres.user, "TRACKER_DB_PASSWORD": ""}
    return Store(ROOT / "endpoints.replicas.yml", env, postgres.url(name))


def _turn(text: str, at: float) -> list:
    return [UserUttered(text, timestamp=at), BotUttered("svar", timestamp=at + 1),
            ActionExecuted("action_listen", timestamp=at + 2)]


def _conversation(sender: str, *turn_times: float) -> DialogueStateTracker:
    events = [ActionExecuted("action_session_start", timestamp=turn_times[0] - 3),
              SessionStarted(timestamp=turn_times[0] - 2), ActionExecuted("action_listen", timestamp=turn_times[0] - 1)]
    for number, at in enumerate(turn_times):
        events += _turn(f"meddelande {number}", at)
    return DialogueStateTracker.from_events(sender, events)


@pytest.fixture
def conversations(store: Store) -> dict[str, int]:
    now = time.time()
    rasa_store = store.rasa_store()
    for tracker in [
        _conversation("idle-40-days", now - 41 * DAY, now - 40 * DAY),
        _conversation("started-long-ago-active-yesterday", now - 100 * DAY, now - 1 * DAY),
        _conversation("today", now - 60),
    ]:
        asyncio.run(rasa_store.save(tracker))
    rasa_store.engine.dispose()
    return store.senders()


def test_retention_deletes_idle_conversations_whole_and_keeps_active_ones_whole(store, conversations):
    result = store.run("retention", "--days", "30")
    assert result.returncode == 0, result.stderr
    assert "Raderade 1 samtal (9 händelser)" in result.stdout
    assert store.senders() == {k: v for k, v in conversations.items() if k != "idle-40-days"}


def test_rasa_still_reads_a_kept_conversation_after_retention(store, conversations):
    assert store.run("retention", "--days", "30").returncode == 0
    tracker = asyncio.run(store.rasa_store().retrieve_full_tracker("started-long-ago-active-yesterday"))
    texts = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    assert texts == ["meddelande 0", "meddelande 1"]


def test_retention_with_a_longer_limit_deletes_nothing(store, conversations):
    result = store.run("retention", "--days", "365")
    assert result.returncode == 0, result.stderr
    assert store.senders() == conversations


def test_erase_removes_exactly_one_conversation(store, conversations):
    result = store.run("erase", "today")
    assert result.returncode == 0, result.stderr
    assert "Raderade samtalet today (6 händelser)" in result.stdout
    assert store.senders() == {k: v for k, v in conversations.items() if k != "today"}


def test_erase_of_an_unknown_id_says_so_and_fails(store, conversations):
    result = store.run("erase", "finns-inte")
    assert result.returncode == 1
    assert "Inget samtal med id finns-inte" in result.stderr
    assert store.senders() == conversations


def test_retention_refuses_a_limit_below_one_day(store, conversations):
    result = store.run("retention", "--days", "0")
    assert result.returncode == 2
    assert "minst 1" in result.stderr
    assert store.senders() == conversations


def test_retention_on_a_store_rasa_never_started_deletes_nothing_and_creates_nothing(tmp_path):
    db = tmp_path / "never.db"
    result = Store(ROOT / "endpoints.yml", {"TRACKER_DB": str(db)}, f"sqlite:///{db}").run("retention", "--days", "30")
    assert result.returncode == 0, result.stderr
    assert "Raderade 0 samtal" in result.stdout
    assert not db.exists()


def test_erase_revokes_the_session_token_of_the_erased_conversation(store, tmp_path):
    import secrets as random

    from assistant.session_registry import SessionRegistry
    from assistant.sessions import InvalidToken, Sessions

    sessions = Sessions(random.token_urlsafe(32), 3600, 24 * 3600, SessionRegistry(store.url))
    token = sessions.start()
    asyncio.run(store.rasa_store().save(_conversation(token.session_id, time.time() - 60)))
    assert sessions.session_of(token.token) == token.session_id
    result = store.run("erase", token.session_id)
    assert result.returncode == 0, result.stderr
    assert "sessionstoken gäller inte längre" in result.stdout
    with pytest.raises(InvalidToken):
        sessions.session_of(token.token)


def test_erase_leaves_no_trace_of_the_words_in_the_sqlite_file_while_rasa_holds_it_open(tmp_path):
    """As the Rasa server runs it (assistant/rasa_server.py): WAL mode, a connection kept open, so
    no checkpoint on close moves the deletion into the file. (Where SQLite is built with
    SQLITE_SECURE_DELETE, as Debian's is, a DELETE zeroes pages even without the pragma; the
    pragma and VACUUM in assistant/stores/retention.py make the same true of every build.)"""
    import sqlite3

    db = tmp_path / "tracker.db"
    sqlite = Store(ROOT / "endpoints.yml", {"TRACKER_DB": str(db)}, f"sqlite:///{db}")
    rasa_store = sqlite.rasa_store()
    secret_words = "Kanariefageln Zlatoustova bor pa Hemliga gatan 7"  # ASCII: Rasa stores the rest as JSON escapes
    held = sqlite3.connect(db)
    held.execute("PRAGMA journal_mode=WAL")
    asyncio.run(rasa_store.save(DialogueStateTracker.from_events("kvar", [UserUttered("hej", timestamp=time.time())])))
    asyncio.run(rasa_store.save(DialogueStateTracker.from_events(
        "raderas", [UserUttered(secret_words, timestamp=time.time())])))
    rasa_store.engine.dispose()
    files = lambda: b"".join(p.read_bytes() for p in tmp_path.glob("tracker.db*"))  # noqa: E731
    assert secret_words.encode() in files()
    try:
        assert sqlite.run("erase", "raderas").returncode == 0
        assert secret_words.encode() not in files(), "the words are gone from the file and its journal"
    finally:
        held.close()
    assert sqlite.senders() == {"kvar": 1}
