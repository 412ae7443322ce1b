"""tracker_store_reachable() for the readiness endpoint, on the configured store; what a channel's
turn does when the store failed during it."""
import pytest

from assistant.processes import ROOT
from assistant.stores.health import check_tracker_store, tracker_store_reachable
from tests.stores.replicas import REPLICA_ENDPOINTS
from tests.stores.services import PostgresServer


def test_embedded_sqlite_store_is_reachable_once_its_file_exists(tmp_path, monkeypatch):
    db = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(db))
    status = check_tracker_store(str(ROOT / "endpoints.yml"))
    assert not status.reachable and not status.outage and "finns inte" in status.error
    assert not db.exists(), "the check must not create the store"
    db.touch()
    assert tracker_store_reachable(str(ROOT / "endpoints.yml"))


def test_an_unset_variable_in_the_endpoints_file_is_named(monkeypatch):
    monkeypatch.delenv("TRACKER_DB_HOST", raising=False)
    status = check_tracker_store(str(REPLICA_ENDPOINTS))
    assert not status.reachable and "TRACKER_DB_HOST" in status.error


def test_postgres_store_is_unreachable_while_stopped_and_reachable_after_restart(monkeypatch):
    server = PostgresServer()
    try:
        server.start()
        server.create_database("rasa")
        for name, value in {"TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": str(server.port),
                            "TRACKER_DB_NAME": "rasa", "TRACKER_DB_USER": server.user,
                            "TRACKER_DB_PASSWORD": ""}.items():
            monkeypatch.setenv(name, value)
        assert tracker_store_reachable(str(REPLICA_ENDPOINTS))
        server.stop()
        status = check_tracker_store(str(REPLICA_ENDPOINTS))
        assert not status.reachable and status.outage
        assert "127.0.0.1" in status.store and str(server.port) in status.store
        server.start()
        assert tracker_store_reachable(str(REPLICA_ENDPOINTS))
    finally:
        server.remove()


def test_a_channel_turn_whose_store_failed_is_told_and_a_stored_one_is_not():
    """What the socket.io and Teams channels run each turn through."""
    import asyncio

    from assistant.stores.health import STORE_DISTURBED_MESSAGE, TrackerStoreDisturbed, run_turn_or_tell_store_disturbed

    told = []

    async def tell(text: str) -> None:
        told.append(text)

    async def stored_turn() -> None:
        pass

    async def turn_whose_store_failed() -> None:
        raise TrackerStoreDisturbed("SQLTrackerStore")

    assert asyncio.run(run_turn_or_tell_store_disturbed(stored_turn, tell)) is True and told == []
    assert asyncio.run(run_turn_or_tell_store_disturbed(turn_whose_store_failed, tell)) is False
    assert told == [STORE_DISTURBED_MESSAGE]


def test_a_turn_failing_otherwise_is_not_reported_as_a_store_outage():
    import asyncio

    from assistant.stores.health import run_turn_or_tell_store_disturbed

    async def broken_turn() -> None:
        raise ValueError("something else")

    with pytest.raises(ValueError):
        asyncio.run(run_turn_or_tell_store_disturbed(broken_turn, lambda text: None))
