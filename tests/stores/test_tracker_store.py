"""VisibleSQLTrackerStore against a real PostgreSQL that is stopped and started again."""
import asyncio
import logging

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.stores.tracker_store import TrackerStoreUnavailable, VisibleSQLTrackerStore
from tests.stores.services import PostgresServer

SECRET = "Kalle Anka bor på Paradisäppelvägen 111"


@pytest.fixture
def own_postgres():
    """A server of its own: these tests stop it."""
    server = PostgresServer()
    server.start()
    server.create_database("rasa")
    yield server
    server.remove()


def make_store(server: PostgresServer) -> VisibleSQLTrackerStore:
    return VisibleSQLTrackerStore(domain=Domain.empty(), host=server.url("rasa"))


def tracker(sender: str, *texts: str) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen")]
    for text in texts:
        events += [UserUttered(text), BotUttered("svar"), ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events(sender, events)


def user_texts(restored) -> list[str]:
    return [e.text for e in restored.events if isinstance(e, UserUttered)]


def test_a_failed_read_is_logged_as_an_error_and_raised(own_postgres, caplog):
    store = make_store(own_postgres)
    asyncio.run(store.save(tracker("c1", "första")))
    own_postgres.stop()
    with caplog.at_level(logging.ERROR), pytest.raises(TrackerStoreUnavailable):
        asyncio.run(store.retrieve("c1"))
    assert "tracker store unavailable: read of conversation c1 failed" in caplog.text


def test_a_turn_answered_without_its_history_is_not_spliced_into_the_stored_one(own_postgres):
    """Without the refusal, the fresh tracker Rasa builds after a failed read would be appended
    from "the stored count" onwards once the database is back, mixing two sessions."""
    store = make_store(own_postgres)
    asyncio.run(store.save(tracker("c2", "ett", "två")))
    own_postgres.stop()
    with pytest.raises(TrackerStoreUnavailable):
        asyncio.run(store.retrieve("c2"))
    own_postgres.start()
    fresh = tracker("c2", "svar på tom historik", "en till", "och en till")
    with pytest.raises(TrackerStoreUnavailable):
        asyncio.run(store.save(fresh))
    restored = asyncio.run(store.retrieve("c2"))
    assert user_texts(restored) == ["ett", "två"]
    # After a successful read the conversation is written normally again.
    restored.update(UserUttered("tre"))
    asyncio.run(store.save(restored))
    assert user_texts(asyncio.run(store.retrieve("c2"))) == ["ett", "två", "tre"]


def test_a_read_right_after_a_restart_succeeds_on_retry(own_postgres):
    store = make_store(own_postgres)
    asyncio.run(store.save(tracker("c3", "före omstart")))
    own_postgres.stop()
    own_postgres.start()
    # The pooled connection is dead now; the first attempt fails, the retry reads.
    assert user_texts(asyncio.run(store.retrieve("c3"))) == ["före omstart"]


def test_a_failed_write_is_logged_without_what_the_user_wrote(own_postgres, caplog):
    store = make_store(own_postgres)
    asyncio.run(store.save(tracker("c4", "hej")))
    restored = asyncio.run(store.retrieve("c4"))
    restored.update(UserUttered(SECRET))
    own_postgres.stop()
    with caplog.at_level(logging.DEBUG), pytest.raises(TrackerStoreUnavailable) as raised:
        asyncio.run(store.save(restored))
    assert "write of conversation c4 failed" in caplog.text
    assert SECRET not in caplog.text and SECRET not in str(raised.value)
