"""The Rasa server's speed-ups (assistant/rasa_server.py) change nothing but the speed."""
import pytest
import sqlalchemy as sa
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from assistant import rasa_server

RESULTS = [
    {"events": [{"event": "slot", "name": "facts", "value": {"alder": 30}}], "responses": [{"text": "Hej"}]},
    {"events": [], "responses": []},
    {},
]
BAD_RESULTS = [
    {"events": "inte en lista"},
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "igår"}]},
    {"responses": [1, 2]},
    [],
]


@pytest.fixture
def compiled(monkeypatch):
    stock = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", stock)  # restored after the test
    rasa_server.compile_action_result_schema()
    return stock


@pytest.mark.parametrize("result", RESULTS)
def test_the_compiled_schema_accepts_what_rasa_accepts(compiled, result):
    action = RemoteAction("action_consult", None)
    assert compiled(action, result) is True
    assert action._validate_action_result(result) is True


@pytest.mark.parametrize("result", BAD_RESULTS)
def test_the_compiled_schema_refuses_what_rasa_refuses(compiled, result):
    action = RemoteAction("action_consult", None)
    with pytest.raises(ValidationError):
        compiled(action, result)
    with pytest.raises(ValidationError):
        action._validate_action_result(result)


def test_the_sqlite_tracker_store_keeps_one_wal_connection_and_still_stores(tmp_path, monkeypatch):
    import asyncio

    import rasa.core.tracker_store as tracker_store
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy.pool import SingletonThreadPool

    monkeypatch.setattr(tracker_store, "create_engine_kwargs", tracker_store.create_engine_kwargs)
    rasa_server.tune_sqlite()
    try:
        store = tracker_store.SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
        assert isinstance(store.engine.pool, SingletonThreadPool)
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        tracker = DialogueStateTracker("samtal1", [])
        for turn in range(3):
            tracker.update(UserUttered(f"tur {turn}"))
            tracker.update(ActionExecuted("action_listen"))
            asyncio.run(store.save(tracker))
        stored = asyncio.run(store.retrieve("samtal1"))
        assert [e.text for e in stored.events if isinstance(e, UserUttered)] == ["tur 0", "tur 1", "tur 2"]
    finally:
        sa.event.remove(sa.engine.Engine, "connect", rasa_server._wal)
