"""tracker_store_reachable() for the readiness endpoint, on the configured store."""
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


def _store_env(monkeypatch, server: PostgresServer) -> None:
    monkeypatch.setenv("INSATSLOTSEN_ENDPOINTS_FILE", str(REPLICA_ENDPOINTS))
    for name, value in {"TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": str(server.port),
                        "TRACKER_DB_NAME": "rasa", "TRACKER_DB_USER": server.user,
                        "TRACKER_DB_PASSWORD": ""}.items():
        monkeypatch.setenv(name, value)


def test_a_channel_turn_during_a_store_outage_is_told_not_handed_to_rasa(monkeypatch):
    """What the socket.io and Teams channels run each turn through, against a stopped Postgres."""
    import asyncio

    from assistant.settings import get_settings
    from assistant.stores.health import STORE_DISTURBED_MESSAGE, run_turn_unless_store_is_down

    server = PostgresServer()
    turns, told = [], []

    async def turn() -> None:
        turns.append("handed to Rasa")

    async def tell(text: str) -> None:
        told.append(text)

    try:
        server.start()
        server.create_database("rasa")
        _store_env(monkeypatch, server)
        get_settings.cache_clear()
        assert asyncio.run(run_turn_unless_store_is_down(turn, tell)) is True
        assert turns == ["handed to Rasa"] and told == []
        server.stop()
        assert asyncio.run(run_turn_unless_store_is_down(turn, tell)) is False
        assert turns == ["handed to Rasa"], "no turn is handed to Rasa while the store is down"
        assert told == [STORE_DISTURBED_MESSAGE]
    finally:
        get_settings.cache_clear()
        server.remove()
