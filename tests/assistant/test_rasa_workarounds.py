"""Each change in assistant/rasa_workarounds.py: the stock behaviour it replaces, then ours.

Every test puts the stock attribute back afterwards (monkeypatch), so the order does not matter
and nothing leaks into other tests.
"""
import asyncio
import datetime
import inspect
import itertools
import json
import logging
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from assistant import rasa_workarounds
from assistant.rasa_workarounds import WORKAROUNDS, UnsupportedVersions, check_versions, installed_version
from assistant.user_input import KNOWLEDGE_UNREACHABLE

ROOT = Path(__file__).resolve().parents[2]

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


# Version guards --------------------------------------------------------------------------------
def test_every_workaround_was_written_for_the_installed_versions():
    check_versions(WORKAROUNDS)  # raises on any mismatch


def test_another_version_stops_the_start_and_names_the_workaround_and_both_versions():
    def older_sanic(distribution):
        return "22.12.0" if distribution == "sanic" else installed_version(distribution)

    with pytest.raises(UnsupportedVersions) as refused:
        check_versions(WORKAROUNDS, version_of=older_sanic)
    message = str(refused.value)
    assert "sanic_websockets_on_python_311: skriven för sanic 21.12.2, installerad är 22.12.0" in message
    assert "compiled_action_result_validator" not in message


def test_nothing_is_patched_when_a_version_does_not_match(monkeypatch):
    applied = []
    workaround = rasa_workarounds.Workaround("prov", {"rasa": "0.0.1"}, lambda: applied.append(1))
    with pytest.raises(UnsupportedVersions):
        rasa_workarounds.apply_all([workaround])
    assert applied == []


def test_importing_our_modules_patches_nothing():
    # The socket.io channel used to patch Sanic when imported; now only apply_all() patches.
    probe = (
        "import inspect, rasa.utils.io, assistant.rasa_workarounds, assistant.channels.socketio\n"
        "from sanic.server.websockets import impl\n"
        "from rasa.core.actions.action import RemoteAction\n"
        "assert inspect.ismodule(impl.asyncio), 'sanic patched on import'\n"
        "assert rasa.utils.io.configure_colored_logging.__module__ == 'rasa.utils.io'\n"
        "assert RemoteAction.run.__module__ == 'rasa.core.actions.action'\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr[-2000:]


# 1. Compiled action-result validator -----------------------------------------------------------
@pytest.fixture
def compiled(monkeypatch):
    stock = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", stock)  # restored after the test
    rasa_workarounds.compile_action_result_validator()
    return stock


@pytest.fixture
def meta_schema_checks(monkeypatch):
    from jsonschema.validators import validator_for

    cls = validator_for(RemoteAction.action_response_format_spec())
    calls = []
    stock_check = cls.check_schema

    def counting(schema, *args, **kwargs):
        calls.append(1)
        return stock_check(schema, *args, **kwargs)

    monkeypatch.setattr(cls, "check_schema", staticmethod(counting))
    return calls


def test_stock_rasa_checks_the_schema_against_the_meta_schema_on_every_action_call(monkeypatch, meta_schema_checks):
    stock = RemoteAction._validate_action_result
    action = RemoteAction("action_consult", None)
    for result in RESULTS:
        stock(action, result)
    assert len(meta_schema_checks) == len(RESULTS)


def test_the_compiled_validator_checks_no_meta_schema_per_call(compiled, meta_schema_checks):
    action = RemoteAction("action_consult", None)
    for result in RESULTS:
        action._validate_action_result(result)
    assert meta_schema_checks == []


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


def _sdk_events() -> list[dict]:
    """One event of each kind the action server (rasa_sdk) can return."""
    from rasa_sdk import events as sdk

    return [
        sdk.UserUttered("hej", {"intent": {"name": "greet", "confidence": 1.0}, "entities": []}),
        sdk.BotUttered("Hej!", {"buttons": []}, {"kort": 1}), sdk.SlotSet("facts", {"alder": 30}),
        sdk.Restarted(), sdk.SessionStarted(), sdk.UserUtteranceReverted(), sdk.AllSlotsReset(),
        sdk.ReminderScheduled("EXTERNAL_paminn", datetime.datetime(2026, 12, 1, 10), name="p", kill_on_user_message=True),
        sdk.ReminderCancelled(name="p"), sdk.ActionReverted(), sdk.StoryExported(), sdk.FollowupAction("action_consult"),
        sdk.ConversationPaused(), sdk.ConversationResumed(), sdk.ActionExecuted("action_listen"), sdk.AgentUttered("x"),
        sdk.ActiveLoop("form"), sdk.ActiveLoop(None), sdk.LoopInterrupted(True), sdk.FormValidation(False),
        sdk.ActionExecutionRejected("action_consult"),
    ]


def _spoiled(event: dict) -> list[dict]:
    """The event with each of its fields given a value of another type, missing, or renamed."""
    variants = [{**event, "event": "okänd_händelse"}, {k: v for k, v in event.items() if k != "event"}]
    for key, value in event.items():
        if key == "event":
            continue
        variants += [{**event, key: other} for other in (7, "text", None, [1], {"a": 1}) if type(other) is not type(value)]
    return variants


def test_the_compiled_validator_gives_rasas_verdict_and_message_on_every_kind_of_event(compiled):
    action = RemoteAction("action_consult", None)
    results = [{"events": [event]} for sdk_event in _sdk_events() for event in [sdk_event, *_spoiled(sdk_event)]]
    results += [{"events": [sdk_event for sdk_event in _sdk_events()], "responses": [{"text": "Hej"}]}]
    refused = 0
    for result in results:
        try:
            expected = compiled(action, result)
        except ValidationError as error:
            refused += 1
            with pytest.raises(ValidationError) as ours:
                action._validate_action_result(result)
            reason = error.message.split(". Failed to validate")[0]
            assert ours.value.message == reason + ". Failed to validate Action server response from API."
        else:
            assert action._validate_action_result(result) is expected is True
    assert refused > 50 and refused < len(results) - 20  # both verdicts were tried


def test_stock_rasa_tries_every_event_schema_where_ours_checks_the_named_one(compiled, monkeypatch):
    from jsonschema.validators import validator_for

    validators = validator_for(RemoteAction.action_response_format_spec()).VALIDATORS
    one_of = validators["oneOf"]
    tried = []

    def counting(validator, alternatives, instance, schema):
        tried.append(len(alternatives))
        yield from one_of(validator, alternatives, instance, schema)

    monkeypatch.setitem(validators, "oneOf", counting)
    action = RemoteAction("action_consult", None)
    result = {"events": [{"event": "slot", "name": "facts", "value": {"alder": 30}}]}
    compiled(action, result)
    assert tried == [23]
    tried.clear()
    assert action._validate_action_result(result) is True
    assert tried == []


# 2. Notice when the action server is down ------------------------------------------------------
def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run_unreachable_action():
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    action = RemoteAction("action_consult", EndpointConfig(url=f"http://127.0.0.1:{_closed_port()}/webhook"))
    return asyncio.run(
        action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), DialogueStateTracker("s", []), Domain.empty())
    )


def test_stock_rasa_raises_when_the_action_server_is_unreachable(monkeypatch):
    from rasa.shared.exceptions import RasaException

    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run)
    with pytest.raises(RasaException):
        _run_unreachable_action()


def test_an_unreachable_action_server_gives_the_notice_and_sets_nothing(monkeypatch):
    from rasa.shared.core.events import BotUttered

    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run)
    rasa_workarounds.answer_when_action_server_is_unreachable()
    events = _run_unreachable_action()
    assert [type(e) for e in events] == [BotUttered]
    assert events[0].text == KNOWLEDGE_UNREACHABLE


# 3. SQLite tracker store ----------------------------------------------------------------------
def _store(tmp_path):
    import rasa.core.tracker_store as tracker_store
    from rasa.shared.core.domain import Domain

    return tracker_store.SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))


def test_stock_rasa_opens_sqlite_without_a_pool_and_with_a_rollback_journal(tmp_path):
    from sqlalchemy.pool import SingletonThreadPool

    store = _store(tmp_path)
    assert not isinstance(store.engine.pool, SingletonThreadPool)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"


def test_the_sqlite_tracker_store_keeps_one_wal_connection_and_still_stores(tmp_path, monkeypatch):
    import rasa.core.tracker_store as tracker_store
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy.pool import SingletonThreadPool

    monkeypatch.setattr(tracker_store, "create_engine_kwargs", tracker_store.create_engine_kwargs)
    rasa_workarounds.tune_sqlite_tracker_store()
    try:
        store = _store(tmp_path)
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
        sa.event.remove(sa.engine.Engine, "connect", rasa_workarounds.sqlite_wal)


# 8. Lean SQL tracker store -------------------------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    """Two empty databases of the kind: one for the stock store, one for the lean one."""
    if request.param == "sqlite":
        directory = tmp_path_factory.mktemp("stores")
        yield [{"dialect": "sqlite", "db": str(directory / f"{name}.db")} for name in ("stock", "lean")]
        return
    from tests.stores.services import PostgresServer

    server = PostgresServer()
    try:
        server.start()
        for name in ("stock", "lean"):
            server.create_database(name)
        yield [{"dialect": "postgresql", "host": "127.0.0.1", "port": server.port, "username": server.user, "db": name}
               for name in ("stock", "lean")]
    finally:
        server.remove()


@pytest.fixture
def stock_store_methods(monkeypatch):
    import rasa.core.tracker_store as tracker_store

    for name in ("save", "_retrieve"):
        monkeypatch.setattr(tracker_store.SQLTrackerStore, name, getattr(tracker_store.SQLTrackerStore, name))
    return tracker_store.SQLTrackerStore


def _converse(store) -> None:
    """Six turns as Rasa's processor makes them: read the latest session, add the turn, save;
    the session restarts before the fourth turn."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    for turn in range(6):
        tracker = asyncio.run(store.retrieve("samtal-8")) or DialogueStateTracker("samtal-8", [])
        if turn in (0, 3):
            tracker.update(ActionExecuted("action_session_start"))
            tracker.update(SessionStarted())
            tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(f"tur {turn}", {"name": "inform", "confidence": 0.9}))
        tracker.update(ActionExecuted("action_consult"))
        tracker.update(BotUttered(f"fråga {turn}", {"custom": {"alder": 20 + turn}}))
        tracker.update(ActionExecuted("action_listen"))
        asyncio.run(store.save(tracker))


def _rows(store) -> list[tuple]:
    table = store.SQLEvent.__table__
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(table).order_by(table.c.id)).all()
    return [tuple(row)[1:] for row in rows]  # every column but the id


def _events(tracker) -> list[dict]:
    return [event.as_dict() for event in tracker.events] if tracker else []


def test_stock_rasa_counts_the_stored_events_through_an_orm_query_on_every_save(tmp_path, stock_store_methods, monkeypatch):
    from sqlalchemy.orm import Query

    counted = []
    stock_count = Query.count
    monkeypatch.setattr(Query, "count", lambda self: counted.append(1) or stock_count(self))
    _converse(_store(tmp_path))
    assert len(counted) == 6


def test_the_lean_store_writes_the_rows_rasas_store_writes_and_reads_the_same_conversation(
        database, stock_store_methods, monkeypatch):
    from rasa.shared.core.domain import Domain
    from sqlalchemy.orm import Query

    stock = stock_store_methods(Domain.empty(), **database[0])
    _converse(stock)
    stock_reads = [asyncio.run(stock.retrieve("samtal-8")), asyncio.run(stock.retrieve_full_tracker("samtal-8"))]

    rasa_workarounds.lean_sql_tracker_store()
    monkeypatch.setattr(Query, "count", lambda self: pytest.fail("an ORM count"))
    lean = stock_store_methods(Domain.empty(), **database[1])
    _converse(lean)
    lean_reads = [asyncio.run(lean.retrieve("samtal-8")), asyncio.run(lean.retrieve_full_tracker("samtal-8"))]

    stock_rows, lean_rows = _rows(stock), _rows(lean)
    def untimed(row):
        return row[:2] + row[3:-1] + (json.loads(row[-1]) | {"timestamp": None},)  # the runs' clocks differ

    assert len(stock_rows) == 2 * (3 + 3 * 4) and list(map(untimed, lean_rows)) == list(map(untimed, stock_rows))
    for stock_read, lean_read in zip(stock_reads, lean_reads):
        assert [{k: v for k, v in e.items() if k != "timestamp"} for e in _events(lean_read)] == [
            {k: v for k, v in e.items() if k != "timestamp"} for e in _events(stock_read)]
    # The latest session only, from its SessionStarted on; the full tracker has both.
    assert len(lean_reads[0].events) == 2 + 3 * 4 and len(lean_reads[1].events) == len(lean_rows)
    # Each store reads what the other wrote.
    assert _events(asyncio.run(lean.retrieve_full_tracker("samtal-8"))) == _events(lean_reads[1])
    lean.sessionmaker = stock.sessionmaker  # bound to the stock store's database
    assert _events(asyncio.run(lean.retrieve("samtal-8"))) == _events(stock_reads[0])


# What a stored event or an action call can hold: Swedish text, "/" in a payload, floats of
# every size (timestamps, confidences), nested payloads, a number too large for 64 bits.
AWKWARD_VALUES = {
    "text": "Hon är 23 år/har fbs – “citat” \u2028 ny rad", "payload": '/inform{"svar": "studier"}',
    "timestamp": 1796352996.042298, "confidence": 0.30000000000000004, "tiny": 5e-324, "large": 1.7976931348623157e308,
    "negative_zero": -0.0, "big": 2 ** 70, "nested": {"interventions": [{"id": "ips", "criteria": [None, True, False, 3]}]},
    "nan": float("nan"),
}


def test_the_lean_stores_json_reads_back_as_the_json_module_reads_its_own():
    import math

    import ujson

    written = rasa_workarounds._event_json(AWKWARD_VALUES)
    for read in (json.loads(written), ujson.loads(written), ujson.loads(json.dumps(AWKWARD_VALUES))):
        assert math.isnan(read.pop("nan"))
        assert read == {k: v for k, v in AWKWARD_VALUES.items() if k != "nan"}
        assert math.copysign(1, read["negative_zero"]) == -1
    assert json.loads(written.replace("NaN", "null")) == {**AWKWARD_VALUES, "nan": None}
    # Only the separators differ from the json module's text.
    assert written == json.dumps(AWKWARD_VALUES, separators=(",", ":"))


def test_the_lean_stores_json_refuses_what_the_json_module_refuses():
    with pytest.raises(TypeError):
        rasa_workarounds._event_json({"when": datetime.date(2026, 12, 4)})
    with pytest.raises(TypeError):
        json.dumps({"when": datetime.date(2026, 12, 4)})


def test_the_lean_store_reads_rows_the_stock_store_wrote_with_the_json_module(tmp_path, stock_store_methods):
    from rasa.shared.core.events import BotUttered

    stock = _store(tmp_path)
    _converse(stock)
    with stock.engine.begin() as connection:
        table = stock.SQLEvent.__table__
        connection.execute(table.insert(), {"sender_id": "samtal-8", "type_name": "bot", "timestamp": 1e10,
                                            "data": json.dumps(BotUttered("svar", {"custom": AWKWARD_VALUES | {"nan": 1.5}},
                                                                          timestamp=1e10).as_dict())})
    stock_read = asyncio.run(stock.retrieve("samtal-8"))
    rasa_workarounds.lean_sql_tracker_store()
    lean_read = asyncio.run(_store(tmp_path).retrieve("samtal-8"))
    assert _events(lean_read) == _events(stock_read)
    assert lean_read.events[-1].data["custom"]["timestamp"] == AWKWARD_VALUES["timestamp"]


def test_the_lean_store_finds_no_conversation_where_there_is_none(tmp_path, stock_store_methods):
    rasa_workarounds.lean_sql_tracker_store()
    assert asyncio.run(_store(tmp_path).retrieve("finns-inte")) is None


# 4. Log handlers -------------------------------------------------------------------------------
@pytest.fixture
def root_handlers():
    root = logging.getLogger()
    before = list(root.handlers), root.level
    yield root
    root.handlers[:] = before[0]
    root.setLevel(before[1])


def test_stock_rasa_adds_a_coloured_text_handler_to_the_root_logger(root_handlers):
    import rasa.utils.io

    before = list(root_handlers.handlers)
    rasa.utils.io.configure_colored_logging("INFO")
    added = [h for h in root_handlers.handlers if h not in before]
    assert [type(h).__module__.split(".")[0] for h in added] == ["coloredlogs"]


def test_our_log_handlers_stay_the_only_ones(root_handlers, monkeypatch):
    import rasa.utils.io

    monkeypatch.setattr(rasa.utils.io, "configure_colored_logging", rasa.utils.io.configure_colored_logging)
    rasa_workarounds.keep_our_log_handlers()
    before = list(root_handlers.handlers)
    rasa.utils.io.configure_colored_logging("INFO")  # what rasa/__main__.py calls
    assert root_handlers.handlers == before


# 5. Sanic's websockets on Python 3.11 ---------------------------------------------------------
async def _answer():
    return 42


def _wait_on_a_coroutine(wait):
    coroutine = _answer()

    async def main():
        done, _ = await wait([coroutine])
        return [task.result() for task in done]

    try:
        return asyncio.run(main())
    finally:
        coroutine.close()  # refused by stock Sanic: never awaited


def test_stock_sanic_websockets_pass_coroutines_that_python_311_refuses():
    from sanic.server.websockets import impl

    coroutine_wait = impl.asyncio.wait
    if not inspect.ismodule(impl.asyncio):
        pytest.fail("impl.asyncio is already patched: another test leaked the workaround")
    with pytest.raises(TypeError):
        _wait_on_a_coroutine(coroutine_wait)


def test_sanic_websockets_wait_on_coroutines_again(monkeypatch):
    from sanic.server.websockets import impl

    monkeypatch.setattr(impl, "asyncio", impl.asyncio)
    rasa_workarounds.allow_coroutines_in_sanic_websockets()
    assert _wait_on_a_coroutine(impl.asyncio.wait) == [42]
    assert impl.asyncio.sleep is asyncio.sleep  # the rest of asyncio is untouched


# 6. socket.io --------------------------------------------------------------------------------
class _RecordingServer:
    """Accepts exactly what python-socketio's AsyncServer.emit accepts, and records it."""

    def __init__(self):
        from socketio import AsyncServer

        self._signature = inspect.signature(AsyncServer.emit)
        self.emitted = []

    async def emit(self, *args, **kwargs):
        bound = self._signature.bind(self, *args, **kwargs)  # TypeError like the real one
        self.emitted.append({k: v for k, v in bound.arguments.items() if k != "self"})


CHECK_RESULT = {"recommendation": {"primary": "stodinsats_4_2"}, "interventions": []}


def test_stock_rasa_spreads_a_custom_payload_into_emits_arguments_and_fails():
    from rasa.core.channels.socketio import SocketIOOutput

    with pytest.raises(TypeError):
        asyncio.run(SocketIOOutput(_RecordingServer(), "bot_uttered").send_custom_json("rum1", dict(CHECK_RESULT)))


def test_a_custom_payload_is_sent_as_data_to_the_recipients_room(monkeypatch):
    from rasa.core.channels.socketio import SocketIOOutput

    monkeypatch.setattr(SocketIOOutput, "send_custom_json", SocketIOOutput.send_custom_json)
    rasa_workarounds.send_custom_json_to_room()
    server = _RecordingServer()
    asyncio.run(SocketIOOutput(server, "bot_uttered").send_custom_json("rum1", dict(CHECK_RESULT)))
    assert server.emitted == [{"event": "bot_uttered", "data": CHECK_RESULT, "room": "rum1"}]


def test_enter_room_not_awaited_as_in_stock_rasa_leaves_the_socket_outside_its_room():
    from socketio import AsyncServer

    async def main():
        sio = AsyncServer(async_mode="asgi")
        sid = await sio.manager.connect("eio1", "/")
        pending = sio.enter_room(sid, "samtal1")  # rasa/core/channels/socketio.py does this
        pending.close()
        outside = list(sio.manager.get_participants("/", "samtal1"))
        await sio.enter_room(sid, "samtal1")  # assistant/channels/socketio.py does this
        inside = [participant[0] for participant in sio.manager.get_participants("/", "samtal1")]
        return outside, inside, sid

    outside, inside, sid = asyncio.run(main())
    assert outside == [] and inside == [sid]


# 7. The Rasa server's graph without dask -------------------------------------------------------
@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import load_agent

    from assistant.processes import MODEL_PATH

    return asyncio.run(load_agent(model_path=str(MODEL_PATH)))


def _runs(agent):
    """The runs a turn makes: the NLU target for a message, the policies' target for a tracker."""
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.core.channels.channel import UserMessage

    metadata = agent.processor.model_metadata
    texts = ["Kvinna 34 år i socialpsykiatrins målgrupp som vill träffa folk", "ja", "kravs det sjukersattning for sysselsattning"]
    for text in texts:
        tracker = DialogueStateTracker.from_events("prov", [UserUttered(text, {"name": "inform", "confidence": 1.0})],
                                                   slots=agent.domain.slots)
        yield {PLACEHOLDER_MESSAGE: [UserMessage(text)], PLACEHOLDER_TRACKER: tracker}, [metadata.nlu_target]
        yield {PLACEHOLDER_TRACKER: tracker}, [metadata.core_target]


def _comparable(results: dict) -> dict:
    def plain(value):
        if isinstance(value, list):
            return [plain(item) for item in value]
        if hasattr(value, "as_dict"):
            return value.as_dict()
        return {"policy": value.policy_name, "probabilities": value.probabilities} if hasattr(value, "probabilities") else value
    return {name: plain(value) for name, value in results.items()}


def _sequential_twin(stock_runner):
    """A SequentialGraphRunner over the same loaded nodes (loading the model twice takes seconds)."""
    runner_class = rasa_workarounds._sequential_graph_runner()
    twin = runner_class.__new__(runner_class)
    twin.__dict__.update(vars(stock_runner), _orders={})
    return twin


def test_stock_rasa_recomputes_the_sub_graph_on_every_run(agent, monkeypatch):
    from rasa.engine.graph import GraphSchema

    computed = []
    stock = GraphSchema.minimal_graph_schema
    monkeypatch.setattr(GraphSchema, "minimal_graph_schema", lambda self, targets: computed.append(1) or stock(self, targets))
    inputs, targets = next(_runs(agent))
    for _ in range(3):
        agent.processor.graph_runner.run(inputs=inputs, targets=targets)
    assert len(computed) == 3


def test_the_sequential_runner_computes_each_order_once_and_gives_dasks_results(agent, monkeypatch):
    from rasa.engine.graph import GraphSchema

    twin = _sequential_twin(agent.processor.graph_runner)
    for inputs, targets in _runs(agent):
        assert _comparable(twin.run(inputs=inputs, targets=targets)) == _comparable(
            agent.processor.graph_runner.run(inputs=inputs, targets=targets))
    monkeypatch.setattr(GraphSchema, "minimal_graph_schema", lambda self, targets: pytest.fail("computed again"))
    for inputs, targets in _runs(agent):
        twin.run(inputs=inputs, targets=targets)


def test_an_input_named_like_a_node_is_refused_as_dask_refuses_it(agent):
    from rasa.engine.exceptions import GraphRunError

    twin = _sequential_twin(agent.processor.graph_runner)
    node = next(iter(agent.processor.graph_runner._graph_schema.nodes))
    for runner in (agent.processor.graph_runner, twin):
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            runner.run(inputs={"x": node}, targets=[agent.processor.model_metadata.nlu_target])


def test_the_rasa_server_loads_its_model_with_the_sequential_runner(monkeypatch):
    import rasa.core.processor
    from rasa.engine.runner.dask import DaskGraphRunner

    monkeypatch.setattr(rasa.core.processor, "DaskGraphRunner", DaskGraphRunner)
    rasa_workarounds.run_the_graph_without_dask()
    assert rasa.core.processor.DaskGraphRunner.__name__ == "SequentialGraphRunner"
    assert issubclass(rasa.core.processor.DaskGraphRunner, DaskGraphRunner)


# 9. Event classes by name ----------------------------------------------------------------------
@pytest.fixture
def subclass_walks(monkeypatch):
    import rasa.shared.utils.common as common
    from rasa.shared.core.events import Event

    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])  # restored after the test
    walks = []
    stock_walk = common.all_subclasses

    def counting(cls):
        if cls is Event:
            walks.append(1)
        return stock_walk(cls)

    monkeypatch.setattr(common, "all_subclasses", counting)
    return walks


def test_stock_rasa_walks_every_event_class_for_each_event_it_reads(subclass_walks):
    from rasa.shared.core.events import Event

    for _ in range(3):
        Event.from_parameters({"event": "slot", "name": "facts", "value": 1})
    assert len(subclass_walks) == 3


def test_each_event_name_is_resolved_once_to_the_class_rasa_resolves(subclass_walks):
    import rasa.shared.utils.common as common
    from rasa.shared.core.events import Event

    names = sorted({cls.type_name for cls in common.all_subclasses(Event)})
    expected = {name: Event.resolve_by_type(name) for name in names}
    subclass_walks.clear()
    rasa_workarounds.event_classes_by_a_kept_map()
    for _ in range(3):
        assert {name: Event.resolve_by_type(name) for name in names} == expected
    assert len(subclass_walks) == len(names)
    events = [Event.from_parameters({"event": "slot", "name": "facts", "value": n}) for n in range(3)]
    assert [event.value for event in events] == [0, 1, 2]


def test_an_unknown_event_name_behaves_as_in_stock_rasa(subclass_walks):
    from rasa.shared.core.events import Event, SlotSet

    rasa_workarounds.event_classes_by_a_kept_map()
    with pytest.raises(ValueError, match="Unknown event name 'okänd'"):
        Event.resolve_by_type("okänd")
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("okänd", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):  # the default was not kept for the name
        Event.resolve_by_type("okänd")


# 10. Kept action-server connections ------------------------------------------------------------
class _ActionServerStandIn:
    """Answers each HTTP request with an empty action result and counts the connections;
    `drop_second` closes a connection, unanswered, when a second request arrives on it."""

    def __init__(self, drop_second: bool = False) -> None:
        self.drop_second = drop_second
        self.connections = 0
        self.answered = 0

    async def handle(self, reader, writer) -> None:
        self.connections += 1
        requests_here = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), 0)
                await reader.readexactly(length)
                requests_here += 1
                if self.drop_second and requests_here == 2:
                    return
                body = json.dumps({"events": [], "responses": []}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
                self.answered += 1
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            return  # the client closed, or the test's loop ended
        finally:
            writer.close()


async def _calls(server: _ActionServerStandIn, n: int) -> list:
    import types

    import rasa.core.run
    from rasa.utils.endpoints import EndpointConfig

    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(url=f"http://127.0.0.1:{port}/webhook")
    try:
        return [await endpoint.request(json={"next_action": "action_consult"}, method="post") for _ in range(n)]
    finally:
        listening.close()
        await rasa.core.run.close_resources(types.SimpleNamespace(ctx=types.SimpleNamespace()), asyncio.get_running_loop())


@pytest.fixture
def stock_endpoint(monkeypatch):
    import rasa.core.run
    from rasa.utils.endpoints import EndpointConfig

    for name in ("session", "request"):
        monkeypatch.setattr(EndpointConfig, name, getattr(EndpointConfig, name))  # restored after the test
    monkeypatch.setattr(rasa.core.run, "close_resources", rasa.core.run.close_resources)


def test_stock_rasa_opens_a_connection_for_every_action_call(stock_endpoint):
    server = _ActionServerStandIn()
    asyncio.run(_calls(server, 4))
    assert server.connections == 4


def test_action_calls_share_one_kept_connection(stock_endpoint):
    rasa_workarounds.keep_action_server_connections()
    server = _ActionServerStandIn()
    results = asyncio.run(_calls(server, 4))
    assert results == [{"events": [], "responses": []}] * 4
    assert server.connections == 1


def test_the_kept_session_sends_the_call_as_json_that_reads_back_to_the_same_call(stock_endpoint):
    import math

    from rasa.utils.endpoints import EndpointConfig

    rasa_workarounds.keep_action_server_connections()

    async def serialised() -> str:
        async with EndpointConfig(url="http://127.0.0.1:1/webhook").session() as client:
            try:
                return client.json_serialize({"next_action": "action_consult", "tracker": AWKWARD_VALUES})
            finally:
                await client.close()

    read = json.loads(asyncio.run(serialised()))["tracker"]
    assert math.isnan(read.pop("nan")) and read == {k: v for k, v in AWKWARD_VALUES.items() if k != "nan"}


def test_a_call_on_a_kept_connection_the_server_closed_is_sent_again_on_a_new_one(stock_endpoint):
    rasa_workarounds.keep_action_server_connections()
    server = _ActionServerStandIn(drop_second=True)
    results = asyncio.run(_calls(server, 3))
    assert results == [{"events": [], "responses": []}] * 3
    # Calls 2 and 3 each found their kept connection closed and went again on a new one.
    assert server.answered == 3 and server.connections == 3


def test_without_the_second_try_the_closed_kept_connection_fails_the_call(stock_endpoint, monkeypatch):
    import aiohttp
    from rasa.utils.endpoints import EndpointConfig

    stock_request = EndpointConfig.request
    rasa_workarounds.keep_action_server_connections()
    monkeypatch.setattr(EndpointConfig, "request", stock_request)  # the kept session alone
    with pytest.raises(aiohttp.ServerDisconnectedError):
        asyncio.run(_calls(_ActionServerStandIn(drop_second=True), 2))


def test_an_unreachable_action_server_still_gives_the_notice_with_kept_connections(stock_endpoint, monkeypatch):
    from rasa.shared.core.events import BotUttered

    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run)
    rasa_workarounds.answer_when_action_server_is_unreachable()
    rasa_workarounds.keep_action_server_connections()
    events = _run_unreachable_action()
    assert [type(e) for e in events] == [BotUttered] and events[0].text == KNOWLEDGE_UNREACHABLE


def test_the_kept_sessions_are_closed_when_the_rasa_server_stops(stock_endpoint):
    import types

    import rasa.core.run
    from rasa.utils.endpoints import EndpointConfig

    rasa_workarounds.keep_action_server_connections()

    async def call_then_stop():
        endpoint = EndpointConfig(url="http://127.0.0.1:9/webhook")
        async with endpoint.session() as client:
            pass
        await rasa.core.run.close_resources(types.SimpleNamespace(ctx=types.SimpleNamespace()), asyncio.get_running_loop())
        return client

    assert asyncio.run(call_then_stop()).closed


# 11. The tracker store fails closed --------------------------------------------------------------
class _FailingStore:
    """A tracker store whose database is gone: every read and write raises."""

    def __init__(self) -> None:
        from rasa.shared.core.domain import Domain

        self.domain, self.event_broker = Domain.empty(), None

    async def retrieve(self, sender_id):
        raise sa.exc.OperationalError("SELECT", {}, Exception("connection refused"))

    retrieve_full_tracker = retrieve

    async def save(self, tracker):
        raise sa.exc.OperationalError("INSERT", {}, Exception("connection refused"))


@pytest.fixture
def stock_fail_safe(monkeypatch):
    from rasa.core.tracker_store import FailSafeTrackerStore

    for name in ("on_tracker_store_error", "on_tracker_store_retrieve_error"):
        monkeypatch.setattr(FailSafeTrackerStore, name, getattr(FailSafeTrackerStore, name))
    return FailSafeTrackerStore


def test_stock_rasa_answers_from_an_empty_conversation_and_keeps_a_failed_save_in_memory(stock_fail_safe):
    from rasa.shared.core.trackers import DialogueStateTracker

    store = stock_fail_safe(_FailingStore())
    assert asyncio.run(store.retrieve("s1")) is None  # the processor then starts a new conversation
    asyncio.run(store.save(DialogueStateTracker("s1", [])))
    assert asyncio.run(store.fallback_tracker_store.retrieve("s1")) is not None


def test_a_failed_read_or_save_raises_store_disturbed_and_keeps_nothing(stock_fail_safe):
    from rasa.shared.core.trackers import DialogueStateTracker

    from assistant.stores.health import TrackerStoreDisturbed

    rasa_workarounds.fail_closed_on_tracker_store_errors()
    store = stock_fail_safe(_FailingStore())
    for read in (store.retrieve, store.retrieve_full_tracker):
        with pytest.raises(TrackerStoreDisturbed):
            asyncio.run(read("s1"))
    with pytest.raises(TrackerStoreDisturbed):
        asyncio.run(store.save(DialogueStateTracker("s1", [])))
    assert asyncio.run(store.fallback_tracker_store.retrieve("s1")) is None


def test_a_turn_whose_conversation_cannot_be_read_is_abandoned_before_it_is_parsed(stock_fail_safe, agent, monkeypatch):
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from assistant.stores.health import TrackerStoreDisturbed

    rasa_workarounds.fail_closed_on_tracker_store_errors()
    parsed = []
    monkeypatch.setattr(agent.processor, "tracker_store", stock_fail_safe(_FailingStore()))
    monkeypatch.setattr(agent.processor, "parse_message", lambda *args, **kwargs: parsed.append(args))
    output = CollectingOutputChannel()
    with pytest.raises(TrackerStoreDisturbed):
        asyncio.run(agent.processor.handle_message(UserMessage("Kvinna 34 år som vill träffa folk", output, "s1")))
    assert parsed == [] and output.messages == []


# 12. Action calls without the payloads already sent ----------------------------------------------
def _tracker_after_a_recommendation():
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    check_result = {"interventions": [{"id": "socialt_inriktad_sysselsattning", "criteria": ["…"] * 50}]}
    return DialogueStateTracker.from_events("s1", [
        ActionExecuted("action_listen"),
        UserUttered("Kvinna 34 år som vill träffa folk", {"name": "inform", "confidence": 0.9}),
        SlotSet("facts", {"alder": 34}),
        BotUttered("Troligast: socialt inriktad sysselsättning", {"custom": check_result, "buttons": [{"title": "ja"}]},
                   metadata={"model_id": "m1"}),
        ActionExecuted("action_listen"),
        UserUttered("ja", {"name": "affirm", "confidence": 0.9}),
    ])


@pytest.fixture
def stock_call_format(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_action_call_format", RemoteAction._action_call_format)


def _call(tracker) -> dict:
    from rasa.shared.core.domain import Domain

    return RemoteAction("action_consult", None)._action_call_format(tracker, Domain.empty())


def test_stock_rasa_sends_every_payload_already_sent_with_each_action_call(stock_call_format):
    bot = [e for e in _call(_tracker_after_a_recommendation())["tracker"]["events"] if e["event"] == "bot"]
    assert bot[0]["data"]["custom"]["interventions"]


def test_an_action_call_carries_the_bot_text_but_not_its_custom_payload(stock_call_format):
    tracker = _tracker_after_a_recommendation()
    stock = _call(tracker)
    rasa_workarounds.action_calls_without_sent_payloads()
    lean = _call(tracker)
    stock_events, lean_events = stock["tracker"]["events"], lean["tracker"]["events"]
    assert len(lean_events) == len(stock_events)
    for before, after in zip(stock_events, lean_events):
        if before["event"] == "bot":
            assert "custom" not in after["data"] and after["data"]["buttons"] == before["data"]["buttons"]
            assert after["text"] == before["text"] and after["metadata"] == before["metadata"]
        else:
            assert after == before
    assert {k: v for k, v in lean["tracker"].items() if k != "events"} == {k: v for k, v in stock["tracker"].items() if k != "events"}
    assert tracker.events[3].data["custom"]["interventions"], "the tracker itself keeps the payload"


# 13. The start-up's objects frozen once Rasa has loaded its model -------------------------------
def test_stock_rasa_loads_its_model_and_freezes_nothing(monkeypatch):
    import gc
    import types

    import rasa.core.run
    from rasa.core.utils import AvailableEndpoints

    from assistant.processes import MODEL_PATH

    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", rasa.core.run.load_agent_on_start)
    app = types.SimpleNamespace(ctx=types.SimpleNamespace())

    async def load():
        return await rasa.core.run.load_agent_on_start(str(MODEL_PATH), AvailableEndpoints(), None, app,
                                                       asyncio.get_running_loop())

    # Counted as calls, not by gc.get_freeze_count(): an earlier test in this process may have
    # frozen objects (the app's start freezes its own), and the count falls as they are freed.
    freezes = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append("frozen"))
    assert asyncio.run(load()) is app.ctx.agent and app.ctx.agent.is_ready()
    assert freezes == []


def test_the_start_up_objects_are_frozen_right_after_rasa_loads_its_model(monkeypatch):
    import rasa.core.run

    from assistant import collector

    order = []

    async def load(*args, **kwargs):
        order.append("model loaded")
        return "agent"

    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", load)
    monkeypatch.setattr(collector, "freeze_start_up_objects", lambda: order.append("frozen"))
    rasa_workarounds.freeze_after_the_model_is_loaded()
    assert asyncio.run(rasa.core.run.load_agent_on_start("model", None, None, None, None)) == "agent"
    assert order == ["model loaded", "frozen"]


# 14. Debug-log arguments copied only while debug lines are logged -------------------------------
@pytest.fixture
def structlog_at(monkeypatch):
    import rasa.core.processor
    import structlog

    monkeypatch.setattr(rasa.core.processor, "copy", rasa.core.processor.copy)  # restored after the test
    saved = structlog.get_config()
    copies = []
    real_deepcopy = __import__("copy").deepcopy

    def counting(value, *args):
        copies.append(value)
        return real_deepcopy(value, *args)

    monkeypatch.setattr("copy.deepcopy", counting)

    def configure(level: int) -> list:
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(level))
        copies.clear()
        return copies

    yield configure
    structlog.configure(**saved)


@pytest.fixture
def slots_logged():
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(ROOT / "domain.yml")
    tracker = DialogueStateTracker.from_events("s1", [SlotSet("facts", {"alder": 34})], slots=domain.slots)
    # One of the processor's debug lines, with the slots as its argument.
    return lambda: MessageProcessor._log_slots(tracker)


def test_stock_rasa_copies_a_debug_lines_arguments_when_debug_lines_are_dropped(structlog_at, slots_logged):
    copies = structlog_at(logging.INFO)
    slots_logged()
    assert len(copies) == 1 and "facts: {'alder': 34}" in copies[0]


def test_debug_arguments_are_copied_only_while_debug_lines_are_logged(structlog_at, slots_logged):
    rasa_workarounds.copy_debug_log_arguments_only_when_logged()
    copies = structlog_at(logging.INFO)
    slots_logged()
    assert copies == []
    copies = structlog_at(logging.DEBUG)
    slots_logged()
    assert len(copies) == 1 and "facts: {'alder': 34}" in copies[0]


# 15. Whether a domain is empty, against one empty domain ----------------------------------------
@pytest.fixture
def domains_built(monkeypatch):
    from rasa.shared.core.domain import Domain

    monkeypatch.setattr(Domain, "is_empty", Domain.is_empty)  # restored after the test
    built = []
    stock_from_dict = Domain.from_dict.__func__

    def counting(cls, data):
        built.append(data)
        return stock_from_dict(cls, data)

    monkeypatch.setattr(Domain, "from_dict", classmethod(counting))
    return built


def test_stock_rasa_builds_a_new_empty_domain_each_time_it_asks_whether_a_domain_is_empty(domains_built):
    from rasa.shared.core.domain import Domain

    domain = Domain.load(ROOT / "domain.yml")
    domains_built.clear()
    assert [domain.is_empty(), domain.is_empty()] == [False, False]
    assert domains_built == [{}, {}]


def test_a_domain_is_compared_with_one_empty_domain_built_once_and_with_rasas_answer(domains_built):
    from rasa.shared.core.domain import Domain

    rasa_workarounds.empty_domain_built_once()
    domain, empty = Domain.load(ROOT / "domain.yml"), Domain.empty()
    domains_built.clear()
    assert [domain.is_empty(), empty.is_empty(), Domain.from_dict({"intents": ["greet"]}).is_empty()] == [False, True, False]
    assert domains_built == [{"intents": ["greet"]}]


# 16. Action calls with the events of the turn ---------------------------------------------------
def _conversation_as_rasa_keeps_it():
    """Two turns, every event stamped with the model id as Rasa's processor stamps them."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(ROOT / "domain.yml")
    tracker = DialogueStateTracker("s1", domain.slots)
    tracker.model_id = "model-1"
    for event in [
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        UserUttered("Kvinna 34 år med försörjningsstöd som vill träffa folk", {"name": "inform", "confidence": 0.9},
                    [{"entity": "alder", "value": "34", "start": 7, "end": 9}]),
        ActionExecuted("action_consult"), BotUttered("Noterat – ålder: 34."),
        SlotSet("facts", {"alder": 34, "forsorjningsstod": True}), SlotSet("pending_fact", "malgrupp_socialpsykiatri"),
        ActionExecuted("action_listen"),
        UserUttered("ja", {"name": "affirm", "confidence": 0.95}),
    ]:
        tracker.update(event, domain)
    return tracker, domain


def _call_of(tracker, domain, action: str = "action_summarize") -> dict:
    return RemoteAction(action, None)._action_call_format(tracker, domain)


def test_stock_rasa_sends_every_event_of_the_conversation_with_each_action_call(stock_call_format):
    tracker, domain = _conversation_as_rasa_keeps_it()
    assert len(_call_of(tracker, domain)["tracker"]["events"]) == len(tracker.events) == 10


def test_an_action_call_carries_the_events_from_the_latest_user_message_and_rasas_other_fields(stock_call_format):
    tracker, domain = _conversation_as_rasa_keeps_it()
    stock = _call_of(tracker, domain)
    rasa_workarounds.action_calls_with_this_turns_events()
    lean = _call_of(tracker, domain)
    assert lean["tracker"]["events"] == stock["tracker"]["events"][-1:]
    assert lean["tracker"]["events"][0]["text"] == "ja"
    assert {k: v for k, v in lean["tracker"].items() if k != "events"} == {k: v for k, v in stock["tracker"].items() if k != "events"}
    assert {k: v for k, v in lean.items() if k != "tracker"} == {k: v for k, v in stock.items() if k != "tracker"}


def test_without_a_user_message_an_action_call_carries_every_event(stock_call_format):
    from rasa.shared.core.events import ActionExecuted, SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker

    rasa_workarounds.action_calls_with_this_turns_events()
    tracker = DialogueStateTracker.from_events("s1", [ActionExecuted("action_session_start"), SessionStarted()])
    assert len(_call_of(tracker, _conversation_as_rasa_keeps_it()[1])["tracker"]["events"]) == 2


@pytest.mark.parametrize("action", ["action_summarize", "action_consult", "action_list_facts", "action_explain_question"])
def test_every_action_answers_a_call_with_this_turns_events_as_it_answers_the_whole_conversation(
        stock_call_format, monkeypatch, action):
    import datetime as dt

    from rasa_sdk.executor import ActionExecutor

    from actions import consultation
    from knowledge import provenance

    # One moment for both answers: a summary says when it was checked.
    moment = dt.datetime(2026, 12, 2, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(consultation, "stamp", lambda result, model=None: provenance.stamp(result, model=model, now=moment))
    executor = ActionExecutor()
    executor.register_package("actions")
    tracker, domain = _conversation_as_rasa_keeps_it()
    stock = _call_of(tracker, domain, action)
    rasa_workarounds.action_calls_with_this_turns_events()
    lean = _call_of(tracker, domain, action)
    assert len(lean["tracker"]["events"]) < len(stock["tracker"]["events"])
    stock_answer, lean_answer = asyncio.run(executor.run(stock)), asyncio.run(executor.run(lean))
    assert lean_answer == stock_answer and lean_answer["responses"]
    if action == "action_summarize":
        assert lean_answer["responses"][0]["custom"]["versions"]["model"] == "model-1"


# 17. Count vectors without scikit-learn's transform per call -------------------------------------
def _count_featurizers(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from nlu.components.swedish_tokenizer import SwedishTokenizer

    storage = LocalModelStorage(tmp_path)
    configs = {  # as config.yml has them, and a binary one
        "words": {"max_ngram": 2},
        "chars": {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5},
        "binary": {"use_shared_vocab": False, "binary": True, "OOV_token": "oov"},
    }
    featurizers = [
        CountVectorsFeaturizer.create({**CountVectorsFeaturizer.get_default_config(), **config}, storage, Resource(name),
                                      ExecutionContext(GraphSchema({}), node_name=name))
        for name, config in configs.items()]
    tokenizer = SwedishTokenizer(SwedishTokenizer.get_default_config())
    data = TrainingData([Message({TEXT: text, INTENT: intent}) for text, intent in [
        ("hon är 34 år och har fsd", "inform"), ("ja det har hon", "affirm"), ("nej", "deny"),
        ("krävs läkarintyg för insteg", "ask_guideline"), ("han vill jobba jobba jobba", "inform"),
        ("oov", "deny")]])  # unknown words become the OOV token in the binary featurizer
    tokenizer.process_training_data(data)
    for featurizer in featurizers:
        featurizer.train(data)

    def featurized(texts):
        messages = [Message({TEXT: text}) for text in texts]
        tokenizer.process(messages)
        for featurizer in featurizers:
            featurizer.process(messages)
        return messages

    return featurized


COUNT_TEXTS = ["hon är 34 år och har fsd", "Ja ja JA det har hon", "nej", "okända ord xyzzy 2026", "jobba jobba",
               "hon är 34 år och har fsd", "ä"]


def _features(messages) -> list:
    import numpy as np

    return [[(f.type, f.origin, f.attribute, f.features.format, f.features.shape, f.features.dtype,
              f.features.row.dtype, f.features.col.dtype, f.features.row.tolist(), f.features.col.tolist(),
              np.asarray(f.features.data).tolist()) for f in m.features] for m in messages]


@pytest.fixture
def stock_count_features(monkeypatch):
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer

    monkeypatch.setattr(CountVectorsFeaturizer, "_create_features", CountVectorsFeaturizer._create_features)


def test_stock_rasa_builds_a_new_analyzer_and_a_checked_matrix_twice_per_featurizer_and_message(
        tmp_path, stock_count_features, monkeypatch):
    from sklearn.feature_extraction.text import CountVectorizer

    featurized = _count_featurizers(tmp_path)
    built = []
    stock = CountVectorizer.build_analyzer
    monkeypatch.setattr(CountVectorizer, "build_analyzer", lambda self: built.append(1) or stock(self))
    featurized(COUNT_TEXTS)
    assert len(built) == 2 * 3 * len(COUNT_TEXTS)  # tokens and sentence, three featurizers


def test_counted_directly_the_features_are_rasas_to_the_dtype_and_each_analyzer_is_built_once(
        tmp_path, stock_count_features, monkeypatch):
    from sklearn.feature_extraction.text import CountVectorizer

    featurized = _count_featurizers(tmp_path)
    stock = _features(featurized(COUNT_TEXTS))
    rasa_workarounds.count_vectors_counted_directly()
    built = []
    build = CountVectorizer.build_analyzer
    monkeypatch.setattr(CountVectorizer, "build_analyzer", lambda self: built.append(1) or build(self))
    for _ in range(2):  # the second time from the kept counts
        assert _features(featurized(COUNT_TEXTS)) == stock
    assert len(built) == 2 * 3  # per featurizer: in its first, scikit-learn's transform, and the one kept
    assert any(value > 1 for message in stock for feature in message for value in feature[-1])  # counts, not 0/1


def test_counts_dropped_from_the_kept_ones_are_counted_again_to_the_same_features(tmp_path, stock_count_features, monkeypatch):
    featurized = _count_featurizers(tmp_path)
    stock = _features(featurized(COUNT_TEXTS))
    monkeypatch.setattr(rasa_workarounds, "COUNTED_WORDS_KEPT", 2)
    monkeypatch.setattr(rasa_workarounds, "COUNTED_SENTENCES_KEPT", 1)
    rasa_workarounds.count_vectors_counted_directly()
    for _ in range(3):
        assert _features(featurized(COUNT_TEXTS)) == stock


# 18. The rule policy's text pass ----------------------------------------------------------------
@pytest.fixture
def rule_policy(agent, monkeypatch):
    """The model's RulePolicy, with stock Rasa's rule search back after the test, and the passes
    it featurises the conversation for recorded (True: with the text in place of the intent)."""
    from rasa.core.policies.rule_policy import RulePolicy

    monkeypatch.setattr(RulePolicy, "_find_action_from_rules", RulePolicy._find_action_from_rules)
    passes = []
    featurise = RulePolicy._prediction_states
    monkeypatch.setattr(RulePolicy, "_prediction_states",
                        lambda self, tracker, domain, use_text=False, **kw: passes.append(use_text) or featurise(self, tracker, domain, use_text, **kw))
    policy = next(node._component for node in agent.processor.graph_runner._instantiated_nodes.values()
                  if isinstance(node._component, RulePolicy))
    return policy, passes


def _after_every_intent(domain):
    """A conversation right after a message of each intent, and one after the action its rule ran."""
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    for intent in domain.intents:
        events = [ActionExecuted("action_listen"), UserUttered("hon är 34 och vill plugga", {"name": intent, "confidence": 0.9})]
        yield DialogueStateTracker.from_events("prov", events, slots=domain.slots)
        yield DialogueStateTracker.from_events("prov", [*events, ActionExecuted("action_consult")], slots=domain.slots)


def _rule_predictions(policy, domain) -> list[tuple]:
    return [
        (p.probabilities, p.policy_name, [e.as_dict() for e in p.events], p.is_end_to_end_prediction, p.is_no_user_prediction, p.hide_rule_turn)
        for p in (policy.predict_action_probabilities(tracker, domain) for tracker in _after_every_intent(domain))
    ]


def test_stock_rasa_featurises_the_conversation_with_the_text_first_after_every_user_message(agent, rule_policy):
    policy, passes = rule_policy
    _rule_predictions(policy, agent.domain)
    # A text pass after each message (none after an action), each followed by the intent pass
    # except where a default action (restart, back, session_start) was found.
    assert passes.count(True) == len(agent.domain.intents)
    assert passes.count(False) == 2 * len(agent.domain.intents) - 3


def test_where_every_rule_names_an_intent_the_text_pass_is_skipped_with_rasas_predictions(agent, rule_policy):
    policy, passes = rule_policy
    stock = _rule_predictions(policy, agent.domain)
    intent_passes = passes.count(False)
    rasa_workarounds.skip_the_rule_policys_text_pass_where_no_rule_reads_text()
    passes.clear()
    assert _rule_predictions(policy, agent.domain) == stock
    assert passes == [False] * intent_passes
    # A rule predicted something for most of them (the others: the fallback), text pass or not.
    assert sum(max(p[0]) == 1.0 for p in stock) > len(stock) / 2


def test_a_rule_without_an_intent_last_or_an_active_loop_keeps_the_text_pass(agent, rule_policy):
    import json as json_

    from rasa.core.policies.rule_policy import RULES
    from rasa.shared.core.events import ActiveLoop

    policy, passes = rule_policy
    rasa_workarounds.skip_the_rule_policys_text_pass_where_no_rule_reads_text()
    text_rule = json_.dumps([{"prev_action": {"action_name": "action_listen"}, "user": {"text": "hej"}}])
    assert rasa_workarounds._every_rule_names_an_intent_last(policy.lookup[RULES])
    assert not rasa_workarounds._every_rule_names_an_intent_last([*policy.lookup[RULES], text_rule])
    tracker = next(_after_every_intent(agent.domain))
    lookup = policy.lookup
    try:
        policy.lookup = {**lookup, RULES: {**lookup[RULES], text_rule: "utter_greet"}}
        passes.clear()
        policy.predict_action_probabilities(tracker, agent.domain)
        assert passes[0] is True
    finally:
        policy.lookup = lookup
    tracker.update(ActiveLoop("action_consult"))  # any action of the domain as the loop
    passes.clear()
    policy.predict_action_probabilities(tracker, agent.domain)
    assert passes[0] is True


# 19. The rule policy's states, as far back as its rules reach ----------------------------------
@pytest.fixture
def rule_states(agent, monkeypatch):
    """The model's RulePolicy with structlog dropping debug lines (as the server runs), stock
    Rasa's featurising back after the test; gives (policy, stock featurising, workaround's)."""
    import structlog
    from rasa.core.policies.rule_policy import RulePolicy

    stock = RulePolicy._prediction_states
    monkeypatch.setattr(RulePolicy, "_prediction_states", stock)
    saved = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    rasa_workarounds.rule_policy_featurises_only_as_far_back_as_its_rules_reach()
    patched = RulePolicy._prediction_states
    policy = next(node._component for node in agent.processor.graph_runner._instantiated_nodes.values()
                  if isinstance(node._component, RulePolicy))
    yield policy, stock, patched
    structlog.configure(**saved)


def _prediction(policy, tracker, domain) -> tuple:
    p = policy.predict_action_probabilities(tracker, domain)
    return (p.probabilities, p.policy_name, [e.as_dict() for e in p.events], p.is_end_to_end_prediction,
            p.is_no_user_prediction, p.hide_rule_turn, p.action_metadata)


def _long_conversations(policy, domain, featurise):
    """Trackers along conversations of 40 messages of random intents (seeded), each followed by
    the actions the rules predict until they listen (the fallback takes the message back, as
    Rasa's does), one with a restart and a revert on the way;
    yields each tracker before a prediction. The actions' events (slots) are left out: the states
    read what the tracker holds, however it got there."""
    import random

    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.events import ActionExecuted, ActionReverted, Restarted, SlotSet, UserUttered, UserUtteranceReverted
    from rasa.shared.core.trackers import DialogueStateTracker

    for seed in (1, 2):
        rng = random.Random(seed)
        tracker = DialogueStateTracker.from_events(f"prov{seed}", [ActionExecuted("action_listen")], slots=domain.slots)
        slots = [slot for slot in domain.slots if slot.type_name == "text"]
        for number in range(40):
            if seed == 2 and number == 20:
                tracker.update(Restarted())
                tracker.update(ActionExecuted("action_listen"))
            intent = rng.choice(domain.intents)
            tracker.update(UserUttered("hon är 34 och vill plugga", {"name": intent, "confidence": 0.9}))
            if slots and rng.random() < 0.3:
                tracker.update(SlotSet(rng.choice(slots).name, "ja"))
            for _ in range(3):
                yield tracker
                RulePolicy._prediction_states = featurise
                probabilities = policy.predict_action_probabilities(tracker, domain).probabilities
                action = domain.action_names_or_texts[probabilities.index(max(probabilities))]
                tracker.update(ActionExecuted(action))
                if action == "action_default_fallback":  # which takes the message back, as Rasa's does
                    tracker.update(UserUtteranceReverted())
                    tracker.update(ActionExecuted("action_listen"))
                if action in ("action_listen", "action_default_fallback"):
                    break
            if seed == 1 and number == 30:
                tracker.update(ActionReverted())


def test_stock_rasa_featurises_the_whole_conversation_for_each_rule_prediction(agent, rule_states):
    from rasa.shared.core.events import ActionExecuted

    policy, stock, _ = rule_states
    lengths = []
    for tracker in _long_conversations(policy, agent.domain, stock):
        lengths.append(len(stock(policy, tracker, agent.domain)))
        # A state before every action of the conversation (since its restart), and the latest.
        assert lengths[-1] == sum(isinstance(e, ActionExecuted) for e in tracker.applied_events()) + 1
    assert max(lengths) > 30


def test_the_rule_policy_featurises_as_far_back_as_its_longest_rule_with_rasas_predictions(agent, rule_states):
    from rasa.core.policies.rule_policy import RulePolicy

    policy, stock, patched = rule_states
    reach = rasa_workarounds._longest_rule(policy.lookup[key] for key in ("rules", "rules_for_loop_unhappy_path"))
    assert 1 < reach < 20
    compared = 0
    for tracker in _long_conversations(policy, agent.domain, stock):
        for use_text in (True, False):
            full, last = stock(policy, tracker, agent.domain, use_text), patched(policy, tracker, agent.domain, use_text)
            assert last == full[-reach:]
        RulePolicy._prediction_states = stock
        expected = _prediction(policy, tracker, agent.domain)
        RulePolicy._prediction_states = patched
        assert _prediction(policy, tracker, agent.domain) == expected
        compared += 1
    assert compared > 100


def test_a_longer_rule_is_matched_as_far_back_as_it_reaches(agent, rule_states):
    from rasa.core.policies.rule_policy import RULES, RulePolicy

    policy, stock, patched = rule_states
    # Rules of the last five states of a conversation at its 30th prediction (read by the intent):
    # as they are, and with another intent in their first state, which no conversation here has.
    *_, tracker = itertools.islice(_long_conversations(policy, agent.domain, stock), 30)
    states = stock(policy, tracker, agent.domain, False)[-5:]
    other = [{**states[0], "prev_action": {"action_name": "action_listen"}, "user": {"intent": "ingen_sadan_avsikt"}}, *states[1:]]
    lookup = policy.lookup
    # An action no rule of the model predicts: predicted only by the new rule.
    action = next(name for name in agent.domain.action_names_or_texts
                  if name.startswith("utter_") and name not in lookup[RULES].values())
    predicted = agent.domain.action_names_or_texts.index(action)
    try:
        for rule, times in ((states, 1), (other, 0)):
            policy.lookup = {**lookup, RULES: {**lookup[RULES], json.dumps(rule, sort_keys=True): action}}
            found = 0
            for tracker in _long_conversations(policy, agent.domain, stock):
                RulePolicy._prediction_states = stock
                expected = _prediction(policy, tracker, agent.domain)
                RulePolicy._prediction_states = patched
                assert _prediction(policy, tracker, agent.domain) == expected
                found += expected[0][predicted] == 1.0
            assert found >= times if times else found == 0
    finally:
        policy.lookup = lookup
