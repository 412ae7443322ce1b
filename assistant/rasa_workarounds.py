"""Every change this project makes to Rasa 3.6, Sanic 21.12 and python-socketio, in one place.

Nothing here happens on import. `apply_all()` is called by the Rasa server's start path
(assistant/rasa_server.py) after logging is configured and before Rasa starts; it first checks
that each library is exactly the version the workaround was written against and stops the start
with the list of mismatches otherwise: a workaround that patches a private method of another
version could silently do nothing, or the wrong thing. After an upgrade, re-read the stock code
each workaround names, drop what the new version fixed, and update `written_for`.
tests/assistant/test_rasa_workarounds.py shows, for each, the stock behaviour it replaces.

1. compiled_action_result_validator: Rasa 3.6's `RemoteAction._validate_action_result` calls
   `jsonschema.validate`, which validates the schema itself against the draft 2020-12
   meta-schema on every action call: a third of the Rasa server's CPU per turn in the load
   benchmark (docs/benchmarks.md). Same schema and errors, validators built once, and each
   returned event checked against the one event schema its name selects (the schema's `oneOf`
   made jsonschema try all 23 and build an error for each miss); a refused result gets the
   full check's error.
2. action_server_down_notice: when the action server cannot be reached, Rasa 3.6 logs the error
   and sends nothing (MessageProcessor._run_action drops the action's events). The action answers
   with KNOWLEDGE_UNREACHABLE instead, in every channel (Teams too, whose replies no proxy sees),
   and sets no slot: the conversation waits at the same question, and resending continues it.
3. sqlite_tracker_store_tuning: SQLAlchemy 1.4 gives a file SQLite database no pool, so Rasa
   opened a new connection for every read and save, and every commit fsynced a rollback journal
   (11-18 ms per save, on the event loop). One kept connection per thread, WAL journal,
   synchronous=NORMAL (1 ms). A commit survives a crash of the process; after a power cut the
   last turns may be lost. PostgreSQL is untouched.
4. plain_log_handler: `rasa.__main__` reads `--logging-config-file` and then installs a coloured
   text handler on the root logger, so every line would be printed twice, once not as JSON.
5. sanic_websockets_on_python_311: Sanic 21.12 (pinned by Rasa 3.6) passes coroutines to
   `asyncio.wait`, which Python 3.11 refuses with a TypeError: every socket.io websocket closes
   right after its handshake. Only that Sanic module's `asyncio.wait` gets 3.10's behaviour back.
6. socketio_custom_json_to_room: Rasa's `SocketIOOutput.send_custom_json` spreads the payload
   into `AsyncServer.emit`'s keyword arguments, a TypeError for any payload not shaped like
   emit's parameters (the check result is not). The payload is sent as the event's data, to the
   recipient's room. Its sibling, `enter_room`, is a coroutine in python-socketio 5 that Rasa's
   `session_request` handler never awaits (the socket never joins its room, no reply arrives);
   assistant/channels/socketio.py awaits it in its own handler, and this guard covers it too.
7. sequential_graph_runner: the Rasa server runs its graph (the NLU pipeline once per message,
   the policies once per predicted action, about three runs a turn) with `DaskGraphRunner`,
   which on every run recomputes the minimal sub-graph for the targets, rebuilds a dask graph
   and lets dask order it: about 0.5 ms of the 2.5 ms a parse costs. The server's runner walks
   the same nodes in an order computed once per target set, handing each node its needs
   exactly as dask does. Training (`rasa train`) keeps dask.
8. lean_sql_tracker_store: `SQLTrackerStore` builds its event query through the ORM on every
   read and save (the latest session's events, a sub-query for its start), counts the stored
   events with `Query.count()` around it and inserts through the unit of work: about a third of
   the Rasa server's CPU per turn. The same statements are built once in SQLAlchemy Core, with
   the conversation id as a bound parameter; reads take the `data` column only, saves insert
   the new rows in one executemany. Same table, same rows, same order (by id); PostgreSQL and
   SQLite alike. The rows' JSON is written and read with ujson (as Sanic's, in the lock file),
   the same values in about two thirds of the json module's time.
9. event_classes_by_name: `Event.resolve_by_type` walks every Event subclass for each event
   read back from the tracker store or the action server; each name is resolved once.
10. kept_action_server_connections: `EndpointConfig.request` opens a new aiohttp session and TCP
   connection for every action call and closes it after (0.7-1.1 ms of CPU a call over both
   processes, measured against a kept connection). One session per endpoint and event loop is
   kept, its idle connections closed after KEEPALIVE_SECONDS; a call whose kept connection
   the action server had just closed is sent once more on a new one. The kept session encodes
   the call's body with ujson too (a turn's call is about 8 kB: 0.11 -> 0.06 ms).
11. tracker_store_fails_closed: Rasa wraps every tracker store in `FailSafeTrackerStore`, which
   answers a message it could not read the conversation for from a new, empty one and keeps a
   turn it could not save in memory only: the user would get the first question again, or an
   answer that is gone on the next turn. Here a failed read or save raises
   `TrackerStoreDisturbed` (assistant/stores/health.py) before the message is parsed or after
   nothing was kept, and each channel tells the user so. This is also what lets the HTTP app send
   a turn without probing the database before and after it.
12. action_calls_without_sent_payloads: every action call carries the whole tracker, and with it
   the `custom` payload of every bot message sent so far: a check result is about 40 kB of JSON,
   encoded by Rasa and decoded by the action server again on each later turn of the
   conversation. The actions read the slots, the latest message and the events' metadata, never
   what was sent to the user, so bot events go to the action server without `data.custom`. The
   tracker store and the channels keep every payload.
13. start_up_objects_frozen: not a defect of Rasa, but Rasa loads its model inside its own start
   (`rasa.core.run.load_agent_on_start`, a Sanic listener), so only a wrapper there can tell when
   the objects it keeps are all loaded: they are then left out of later garbage collections
   (assistant/collector.py).
14. debug_log_arguments_not_copied: `MessageProcessor` deep-copies the parse data, the slots and
   every event an action returned (a recommendation's check result too) as arguments of
   `structlogger.debug`, on every turn, whether or not debug lines are logged: about 0.4 ms of
   the Rasa server's CPU per turn. The copies are made only while structlog logs debug lines.
15. domain_emptiness_checked_once: `Domain.is_empty`, asked once per message
   (`MessageProcessor._check_for_unseen_features`), builds a new empty Domain (every default
   action, slot and response) to compare against: about 0.3 ms per turn. It compares against
   an empty domain's dict built once.
16. action_calls_with_this_turns_events: every action call carries every event of the
   conversation, each encoded by Rasa and decoded by the action server again on every turn. The
   actions read the slots, the latest message and the latest event's `model_id` (all in the
   call's other fields or in this turn's events), so a call carries the events from the latest
   user message on; the other fields are Rasa's, computed from the whole tracker.
17. count_vectors_counted_directly: `CountVectorsFeaturizer` asks scikit-learn's
   `CountVectorizer.transform` twice per featurizer and message (the tokens, then the sentence),
   and each call checks the vocabulary, builds a new analyzer, builds a CSR matrix through
   scipy's input checks, sorts it, and Rasa sorts it again and converts it to COO: scipy's
   checks cost more than the counting (0.8 ms of a 2.5 ms parse for our two featurizers). The
   counts are made with the vectorizer's own analyzer, built once, kept for the last 10 000
   words and 1 000 messages (at most about 16 MB per vectorizer), and go straight into the
   same COO matrix (same shape, dtypes, entries and order). A vectorizer's first call is
   scikit-learn's, which checks and sets its vocabulary.
18. rule_policy_text_pass_skipped_where_no_rule_reads_text: `RulePolicy` looks for a rule twice
   after each user message, first with the message's text in place of its intent (for rules
   written with `user:` text), then with the intent, featurising the whole conversation each
   time: a sixth of the Rasa server's policy time per turn. A rule can match that first pass
   only if its last state asks for no intent, since that pass takes the intent out of the
   conversation's last state; when every rule's last state names an intent (ours all do,
   nlu/data/rules) and no loop is active, the first pass finds nothing, and it returns what
   stock Rasa returns when it makes no text prediction. Any rule without an intent there, or an
   active loop, and the pass runs as in stock Rasa.
19. rule_policy_states_as_far_back_as_its_rules_reach: `RulePolicy` turns the whole conversation
   into states (a replay of every event, and the state before each action) on every prediction,
   two or three a turn, though a rule is matched against as many of the last states as it has:
   every state further back passes every rule (`RulePolicy._is_rule_applicable`). States are
   made only for the last N prior trackers, N the longest rule (of the rules and the loops'
   unhappy paths); the replay is the same, and so are the keys found and the prediction. Where
   structlog logs debug lines (the policy's debug line lists every state), a policy learnt from
   stories or another featurizer, the states are Rasa's.
"""
from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata

logger = logging.getLogger(__name__)

PYTHON = "python"


@dataclass(frozen=True)
class Workaround:
    name: str
    written_for: Mapping[str, str]  # distribution (or "python") -> the exact version read
    apply: Callable[[], None]


class UnsupportedVersions(SystemExit):
    """Raised before anything is patched; SystemExit so the process stops with the message."""


def installed_version(distribution: str) -> str:
    if distribution == PYTHON:
        return f"{sys.version_info.major}.{sys.version_info.minor}"
    return metadata.version(distribution)


def check_versions(workarounds: Iterable[Workaround], version_of: Callable[[str], str] = installed_version) -> None:
    mismatches = [
        f"{w.name}: skriven för {dist} {wanted}, installerad är {version_of(dist)}"
        for w in workarounds
        for dist, wanted in w.written_for.items()
        if version_of(dist) != wanted
    ]
    if mismatches:
        raise UnsupportedVersions(
            "Rasa-servern startas inte: dessa ändringar i Rasa/Sanic/python-socketio är skrivna för "
            "andra versioner än de installerade (läs om koden de ersätter i "
            "assistant/rasa_workarounds.py):\n  " + "\n  ".join(mismatches)
        )


# 1 -------------------------------------------------------------------------------------------
def compile_action_result_validator() -> None:
    """Same check as RemoteAction._validate_action_result, with the validators built once, and
    each event checked against the one event schema its "event" names. Rasa's schema says
    `oneOf` 23 event schemas, each fixing "event" to its own constant: jsonschema tries them in
    turn and builds an error for each that does not match (7 % of the Rasa process's busy time
    under load). Since the constants differ, the one named is the only one that can match, so
    the answer is the same; a result that fails this check gets Rasa's full check and message."""
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    full = validator_for(schema)(schema)
    event_schema = schema["properties"]["events"]["items"]
    # KeyError at start-up if a Rasa version stops fixing "event" in each alternative.
    by_event = {alternative["properties"]["event"]["const"]: alternative for alternative in event_schema["oneOf"]}
    if len(by_event) != len(event_schema["oneOf"]):
        raise RuntimeError("two event schemas fix the same event name; oneOf cannot be dispatched")
    without_one_of = {key: value for key, value in event_schema.items() if key != "oneOf"}
    envelope = {**schema, "properties": {**schema["properties"], "events": {"type": "array", "items": without_one_of}}}
    envelope_valid = validator_for(envelope)(envelope).is_valid
    event_valid = {name: validator_for(alternative)(alternative).is_valid for name, alternative in by_event.items()}

    def named_event_fits(event: dict) -> bool:
        valid = event_valid.get(event["event"])
        return valid is not None and valid(event)

    def validate_action_result(self, result) -> bool:
        if envelope_valid(result) and all(named_event_fits(event) for event in result.get("events", ())):
            return True
        error = best_match(full.iter_errors(result))
        if error is not None:
            error.message += ". Failed to validate Action server response from API."
            raise error
        return True

    RemoteAction._validate_action_result = validate_action_result


# 2 -------------------------------------------------------------------------------------------
def answer_when_action_server_is_unreachable() -> None:
    import aiohttp
    from rasa.core.actions.action import RemoteAction, create_bot_utterance
    from rasa.shared.exceptions import RasaException

    from assistant.user_input import KNOWLEDGE_UNREACHABLE

    run = RemoteAction.run

    async def run_or_say_unreachable(self, output_channel, nlg, tracker, domain):
        try:
            return await run(self, output_channel, nlg, tracker, domain)
        except RasaException as error:
            # Rasa raises this inside its `except aiohttp.ClientConnectionError` block.
            if not isinstance(error.__context__, aiohttp.ClientConnectionError):
                raise
            logger.error("Actionservern kan inte nås; %s besvarades med meddelandet om det", self.name())
            return [create_bot_utterance({"text": KNOWLEDGE_UNREACHABLE})]

    RemoteAction.run = run_or_say_unreachable


# 3 -------------------------------------------------------------------------------------------
def sqlite_wal(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def tune_sqlite_tracker_store() -> None:
    import rasa.core.tracker_store as tracker_store
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import SingletonThreadPool

    event.listen(Engine, "connect", sqlite_wal)
    stock = tracker_store.create_engine_kwargs

    def engine_kwargs(url) -> dict:
        # Rasa uses its tracker store from the event loop's thread only, so one kept connection
        # per thread is safe.
        if str(url).startswith("sqlite"):
            return {**stock(url), "poolclass": SingletonThreadPool}
        return stock(url)

    tracker_store.create_engine_kwargs = engine_kwargs


# 4 -------------------------------------------------------------------------------------------
def keep_our_log_handlers() -> None:
    import rasa.utils.io

    rasa.utils.io.configure_colored_logging = lambda loglevel: None


# 5 -------------------------------------------------------------------------------------------
async def _wait_accepting_coroutines(awaitables, **kwargs):
    import asyncio

    return await asyncio.wait([asyncio.ensure_future(a) for a in awaitables], **kwargs)


def allow_coroutines_in_sanic_websockets() -> None:
    import asyncio
    import types

    from sanic.server.websockets import impl

    if isinstance(impl.asyncio, types.ModuleType):
        shim = types.SimpleNamespace(**vars(asyncio))
        shim.wait = _wait_accepting_coroutines
        impl.asyncio = shim


# 6 -------------------------------------------------------------------------------------------
def send_custom_json_to_room() -> None:
    from rasa.core.channels.socketio import SocketIOOutput

    async def send_custom_json(self, recipient_id, json_message, **kwargs) -> None:
        await self._send_message(recipient_id, json_message)

    SocketIOOutput.send_custom_json = send_custom_json


# 7 -------------------------------------------------------------------------------------------
def _sequential_graph_runner():
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    class SequentialGraphRunner(DaskGraphRunner):
        """DaskGraphRunner's nodes and results, run in a fixed order instead of through dask."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._orders: dict[tuple[str, ...], list[str]] = {}

        def _order(self, targets: tuple[str, ...]) -> list[str]:
            if targets not in self._orders:
                nodes = self._graph_schema.minimal_graph_schema(list(targets)).nodes
                ordered: list[str] = []

                def visit(name: str) -> None:
                    if name in nodes and name not in ordered:
                        for need in nodes[name].needs.values():
                            visit(need)
                        ordered.append(name)

                for target in targets:
                    visit(target)
                self._orders[targets] = ordered
            return self._orders[targets]

        def run(self, inputs=None, targets=None):
            run_targets = tuple(targets if targets else self._graph_schema.target_names)
            # A node's output and an input are both (name, value), as dask hands them on.
            values = {}
            for name, value in (inputs or {}).items():
                if isinstance(value, str) and value in self._graph_schema.nodes:
                    raise GraphRunError(
                        f"Input value '{value}' clashes with a node name. Make sure that none of the input "
                        f"names passed to the `run` method are the same as node names in the graph schema."
                    )
                values[name] = (name, value)
            try:
                for name in self._order(run_targets):
                    needs = self._graph_schema.nodes[name].needs.values()
                    values[name] = self._instantiated_nodes[name](*(values[need] for need in needs))
            except RuntimeError as error:
                raise GraphRunError("Error running runner.") from error
            return dict(values[target] for target in run_targets)

    return SequentialGraphRunner


def run_the_graph_without_dask() -> None:
    import rasa.core.processor

    rasa.core.processor.DaskGraphRunner = _sequential_graph_runner()


# 8 -------------------------------------------------------------------------------------------
def _event_statements(events):
    """Rasa's `_event_query` and its count, in Core, with `sender_id` bound per call."""
    import sqlalchemy as sa
    from rasa.shared.core.events import SessionStarted

    sender = events.c.sender_id == sa.bindparam("sender_id")
    session_start = (
        sa.select(sa.func.max(events.c.timestamp))
        .where(sender, events.c.type_name == SessionStarted.type_name)
        .scalar_subquery()
    )
    # The latest session's events: from its start, or all of them if none was started.
    latest = sa.or_(events.c.timestamp >= session_start, session_start.is_(None))
    return {
        "all": sa.select(events.c.data).where(sender).order_by(events.c.id),
        "latest": sa.select(events.c.data).where(sender, latest).order_by(events.c.id),
        "count_latest": sa.select(sa.func.count()).select_from(events).where(sender, latest),
        "insert": events.insert(),
    }


def _event_json(value) -> str:
    """JSON as `json.dumps` writes it but for the spaces and with "/" unescaped, by ujson: an
    event with a recommendation (about 11 kB) in 63 instead of 99 µs. The floats (timestamps,
    confidences) are written shortest-exact, so they read back to the same values."""
    import ujson

    return ujson.dumps(value, ensure_ascii=True, escape_forward_slashes=False)


def lean_sql_tracker_store() -> None:
    import itertools

    import ujson
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.nlu.constants import INTENT_NAME_KEY

    statements = _event_statements(SQLTrackerStore.SQLEvent.__table__)

    async def _retrieve(self, sender_id, fetch_events_from_all_sessions):
        query = statements["all" if fetch_events_from_all_sessions else "latest"]
        with self.session_scope() as session:
            rows = session.execute(query, {"sender_id": sender_id}).scalars().all()
        # ujson (Sanic's, which already decodes every action call): the same values as the json
        # module's, in about two thirds of the time; the stored text is JSON either way.
        events = [ujson.loads(data) for data in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = session.execute(statements["count_latest"], {"sender_id": tracker.sender_id}).scalar()
            rows = []
            for event in itertools.islice(tracker.events, stored, len(tracker.events)):
                data = event.as_dict()
                rows.append({
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": _event_json(data),
                })
            if rows:
                session.execute(statements["insert"], rows)
            session.commit()

    SQLTrackerStore._retrieve = _retrieve
    SQLTrackerStore.save = save


# 9 -------------------------------------------------------------------------------------------
def event_classes_by_a_kept_map() -> None:
    """Event.resolve_by_type finds each name once: Rasa walks every Event subclass (recursively,
    `inspect.isabstract` on each) for every event it reads back from the tracker store, 6 % of
    the Rasa process's busy time under load. A name is looked up the stock way the first time,
    so an Event subclass imported later is still found, and unknown names, "topic" and the
    default behave exactly as in Rasa."""
    from rasa.shared.core.events import Event

    stock = Event.resolve_by_type
    found: dict[str, type] = {}

    def resolve_by_type(type_name, default=None):
        cls = found.get(type_name)
        if cls is None:
            cls = stock(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)


# 10 ------------------------------------------------------------------------------------------
# Below Sanic's KEEP_ALIVE_TIMEOUT (5 s), which the action server keeps: the Rasa server closes an
# idle connection before the action server would.
KEEPALIVE_SECONDS = 2.0


class _KeptSession:
    """`async with` hands out the kept session and leaves it open."""

    def __init__(self, session) -> None:
        self.session = session

    async def __aenter__(self):
        return self.session

    async def __aexit__(self, *exc_info) -> bool:
        return False


def keep_action_server_connections() -> None:
    import asyncio
    import weakref

    import aiohttp
    import rasa.core.run
    from rasa.utils import endpoints
    from rasa.utils.endpoints import EndpointConfig

    request = EndpointConfig.request
    close_resources = rasa.core.run.close_resources
    opened: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # event loop -> its kept sessions

    def session(self) -> _KeptSession:
        loop = asyncio.get_running_loop()
        kept = self.__dict__.setdefault("_kept_sessions", weakref.WeakKeyDictionary())
        client = kept.get(loop)
        if client is None or client.closed:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
            # The call's body (this turn's events and the domain) encoded as the tracker store's rows are.
            client = kept[loop] = aiohttp.ClientSession(
                headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=endpoints.DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS), json_serialize=_event_json)
            opened.setdefault(loop, weakref.WeakSet()).add(client)
        return _KeptSession(client)

    async def request_once_more_if_a_kept_connection_was_closed(self, *args, **kwargs):
        try:
            return await request(self, *args, **kwargs)
        except aiohttp.ClientConnectorError:
            raise  # no connection could be made: nothing was kept
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
            # The action server closed a kept connection as it was reused (a restart, or its
            # keep-alive ending at that moment). Our actions change nothing outside the events
            # they return, so asking again on a new connection is safe; a server that is down
            # fails again, with the notice of workaround 2.
            return await request(self, *args, **kwargs)

    async def close_resources_and_kept_sessions(app, loop) -> None:
        # Rasa's listener after the server stops; a session left open is logged as an error.
        await close_resources(app, loop)
        for client in list(opened.get(asyncio.get_running_loop(), ())):
            await client.close()

    EndpointConfig.session = session
    EndpointConfig.request = request_once_more_if_a_kept_connection_was_closed
    rasa.core.run.close_resources = close_resources_and_kept_sessions


# 11 ------------------------------------------------------------------------------------------
def fail_closed_on_tracker_store_errors() -> None:
    from rasa.core.tracker_store import FailSafeTrackerStore

    from assistant.stores.health import TrackerStoreDisturbed

    def disturbed(self, error: Exception) -> None:
        # The driver's message names host and port only, never conversation content.
        logger.error("tracker store failed during a turn: %s", type(error).__name__)
        raise TrackerStoreDisturbed(self._tracker_store.__class__.__name__) from error

    # Both are called inside FailSafeTrackerStore's `except` blocks, before its fallback.
    FailSafeTrackerStore.on_tracker_store_error = disturbed
    FailSafeTrackerStore.on_tracker_store_retrieve_error = disturbed


# 12 ------------------------------------------------------------------------------------------
def _without_sent_payload(event: dict) -> dict:
    data = event.get("data")
    if event.get("event") != "bot" or not isinstance(data, dict) or "custom" not in data:
        return event
    # New dicts: BotUttered.as_dict hands out the event's own `data`.
    return {**event, "data": {key: value for key, value in data.items() if key != "custom"}}


def action_calls_without_sent_payloads() -> None:
    from rasa.core.actions.action import RemoteAction

    call_format = RemoteAction._action_call_format

    def lean_call_format(self, tracker, domain) -> dict:
        result = call_format(self, tracker, domain)
        state = result["tracker"]
        result["tracker"] = {**state, "events": [_without_sent_payload(event) for event in state.get("events") or ()]}
        return result

    RemoteAction._action_call_format = lean_call_format


# 13 ------------------------------------------------------------------------------------------
def freeze_after_the_model_is_loaded() -> None:
    import rasa.core.run

    from assistant.collector import freeze_start_up_objects

    load_agent_on_start = rasa.core.run.load_agent_on_start

    async def load_then_freeze(*args, **kwargs):
        agent = await load_agent_on_start(*args, **kwargs)
        freeze_start_up_objects()
        return agent

    # serve_application looks the name up when it registers its listeners.
    rasa.core.run.load_agent_on_start = load_then_freeze


# 14 ------------------------------------------------------------------------------------------
def _structlog_drops_debug_lines() -> bool:
    """Whether Rasa's structlog loggers drop debug lines now; read per call, since Rasa configures
    structlog after the workarounds are applied."""
    import structlog

    # make_filtering_bound_logger hands out one class per level; these drop debug lines.
    dropping_debug = {structlog.make_filtering_bound_logger(level)
                      for level in (logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL)}
    return structlog.get_config()["wrapper_class"] in dropping_debug


def copy_debug_log_arguments_only_when_logged() -> None:
    import copy
    import types

    import rasa.core.processor

    def deepcopy(value):
        if _structlog_drops_debug_lines():
            return value
        return copy.deepcopy(value)

    # The processor uses its `copy` module for these debug arguments only.
    rasa.core.processor.copy = types.SimpleNamespace(deepcopy=deepcopy)


# 15 ------------------------------------------------------------------------------------------
def empty_domain_built_once() -> None:
    from rasa.shared.core.domain import Domain

    empty = Domain.empty().as_dict()

    def is_empty(self) -> bool:
        return self.as_dict() == empty

    Domain.is_empty = is_empty


# 16 ------------------------------------------------------------------------------------------
def _from_the_latest_user_message(events: list[dict]) -> list[dict]:
    """The events of the turn: from the latest user message on; all of them if there is none."""
    for position in range(len(events) - 1, -1, -1):
        if events[position].get("event") == "user":
            return events[position:]
    return events


def action_calls_with_this_turns_events() -> None:
    from rasa.core.actions.action import RemoteAction

    call_format = RemoteAction._action_call_format

    def this_turns_call_format(self, tracker, domain) -> dict:
        result = call_format(self, tracker, domain)
        state = result["tracker"]
        result["tracker"] = {**state, "events": _from_the_latest_user_message(state.get("events") or [])}
        return result

    RemoteAction._action_call_format = this_turns_call_format


# 17 ------------------------------------------------------------------------------------------
# Documents whose counts each vectorizer keeps, as two small arrays each (about 1 kB for a word's
# character n-grams, up to 6 kB for a long message's): a turn's words recur, and so do short
# answers ("ja", "nej", "vet inte").
COUNTED_WORDS_KEPT = 10_000
COUNTED_SENTENCES_KEPT = 1_000


def _document_counts(vectorizer, analyze, document: str) -> tuple:
    """One row of `vectorizer.transform`: its columns in order and their counts."""
    import numpy as np

    vocabulary = vectorizer.vocabulary_
    counted: dict = {}
    for feature in analyze(document):
        column = vocabulary.get(feature)
        if column is not None:
            counted[column] = counted.get(column, 0) + 1
    columns = sorted(counted)
    counts = [1 if vectorizer.binary else counted[column] for column in columns]
    return np.array(columns, dtype=np.int32), np.array(counts, dtype=vectorizer.dtype)


def _as_coo(vectorizer, rows: list):
    """The COO matrix Rasa makes of `transform(...)`, `sort_indices()` and `tocoo()`."""
    import numpy as np
    import scipy.sparse

    return scipy.sparse.coo_matrix(
        (np.concatenate([counts for _, counts in rows]),
         (np.repeat(np.arange(len(rows), dtype=np.int32), [len(columns) for columns, _ in rows]),
          np.concatenate([columns for columns, _ in rows]))),
        shape=(len(rows), len(vectorizer.vocabulary_)))


def count_vectors_counted_directly() -> None:
    import functools
    import weakref

    from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer

    # A vectorizer's analyzer and vocabulary are set once (at training or load), so the counts of
    # a document stay what they were.
    counters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def counts(vectorizer, documents, kind: str):
        kinds = counters.get(vectorizer)
        if kinds is None:
            matrix = vectorizer.transform(documents)  # checks the vocabulary, and sets it if given
            count = functools.partial(_document_counts, vectorizer, vectorizer.build_analyzer())
            counters[vectorizer] = {
                "words": functools.lru_cache(maxsize=COUNTED_WORDS_KEPT)(count),
                "sentences": functools.lru_cache(maxsize=COUNTED_SENTENCES_KEPT)(count),
            }
            matrix.sort_indices()
            return matrix.tocoo()
        count = kinds[kind]
        return _as_coo(vectorizer, [count(document) for document in documents])

    def _create_features(self, attribute, all_tokens):
        # Rasa's method, with `counts` where it calls transform, sort_indices and tocoo.
        if not self.vectorizers.get(attribute):
            return [None], [None]
        vectorizer = self.vectorizers[attribute]
        sequence_features, sentence_features = [], []
        for tokens in all_tokens:
            if not tokens:
                sequence_features.append(None)
                sentence_features.append(None)
                continue
            sequence_features.append(counts(vectorizer, tokens, "words"))
            if attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
                sentence_features.append(counts(vectorizer, [" ".join(tokens)], "sentences"))
            else:
                sentence_features.append(None)
        return sequence_features, sentence_features

    CountVectorsFeaturizer._create_features = _create_features


# 18 ------------------------------------------------------------------------------------------
def _every_rule_names_an_intent_last(rule_keys: Iterable[str]) -> bool:
    """Each rule's last state (the one the next action is predicted from) asks for an intent."""
    import json

    from rasa.shared.core.constants import SHOULD_NOT_BE_SET, USER
    from rasa.shared.nlu.constants import INTENT

    for key in rule_keys:
        states = json.loads(key)
        intent = states[-1].get(USER, {}).get(INTENT) if states else None
        if not intent or intent == SHOULD_NOT_BE_SET:
            return False
    return True


def skip_the_rule_policys_text_pass_where_no_rule_reads_text() -> None:
    import weakref

    from rasa.core.policies.rule_policy import RULES, RulePolicy

    find_action_from_rules = RulePolicy._find_action_from_rules
    # policy -> (its rules lookup, whether every rule names an intent last); the lookup is set
    # once by training or loading, and a new one is read again.
    verdicts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def intent_rules_only(policy) -> bool:
        rules = policy.lookup.get(RULES, {})
        kept = verdicts.get(policy)
        if kept is None or kept[0] is not rules:
            kept = (rules, _every_rule_names_an_intent_last(rules))
            verdicts[policy] = kept
        return kept[1]

    def find_action_from_rules_or_skip_the_text_pass(self, tracker, domain, use_text_for_last_user_input):
        if use_text_for_last_user_input and not tracker.active_loop_name and intent_rules_only(self):
            # Stock Rasa's answer when it makes no text prediction.
            return None, None, False
        return find_action_from_rules(self, tracker, domain, use_text_for_last_user_input)

    RulePolicy._find_action_from_rules = find_action_from_rules_or_skip_the_text_pass


# 19 ------------------------------------------------------------------------------------------
def _longest_rule(lookups: Iterable[Mapping[str, str]]) -> int:
    """The most states any rule has (at least 1)."""
    import json

    return max((len(json.loads(key)) for lookup in lookups for key in lookup), default=1) or 1


def _last_states(tracker, domain, count: int) -> list:
    """`Domain.states_for_tracker_history(tracker)` (without hiding rule-only turns, as for the
    rule policy) of the last `count` prior trackers only: the conversation is replayed as there,
    and a state is made only where it is kept."""
    from rasa.shared.core.events import ActionExecuted

    applied = tracker.applied_events()
    first_kept = sum(isinstance(event, ActionExecuted) for event in applied) + 1 - count
    replayed = tracker.init_copy()
    states, position = [], 0
    for event in applied:
        if isinstance(event, ActionExecuted):
            if position >= first_kept:
                states.append(domain._clean_state(domain.get_active_state(replayed)))
            position += 1
        replayed.update(event)
    states.append(domain._clean_state(domain.get_active_state(replayed)))
    return states


def rule_policy_featurises_only_as_far_back_as_its_rules_reach() -> None:
    import weakref

    from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
    from rasa.core.policies.policy import SupportedData
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy

    prediction_states = RulePolicy._prediction_states
    # policy -> (its lookup, its longest rule); the lookup is set once by training or loading.
    longest: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def reach(policy) -> int:
        kept = longest.get(policy)
        if kept is None or kept[0] is not policy.lookup:
            lookups = (policy.lookup.get(RULES, {}), policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {}))
            kept = longest[policy] = (policy.lookup, _longest_rule(lookups))
        return kept[1]

    def states_as_far_back_as_the_rules_reach(self, tracker, domain, use_text_for_last_user_input=False, rule_only_data=None):
        featurizer = self.featurizer
        if (self.supported_data() == SupportedData.ML_DATA or type(featurizer) is not MaxHistoryTrackerFeaturizer
                or not _structlog_drops_debug_lines()):  # the debug line shows every state
            return prediction_states(self, tracker, domain, use_text_for_last_user_input, rule_only_data)
        # MaxHistoryTrackerFeaturizer.prediction_states for one tracker, of the last states only.
        trackers_as_states = [featurizer.slice_state_history(_last_states(tracker, domain, reach(self)), featurizer.max_history)]
        featurizer._choose_last_user_input(trackers_as_states, use_text_for_last_user_input)
        return trackers_as_states[0]

    RulePolicy._prediction_states = states_as_far_back_as_the_rules_reach


RASA = {"rasa": "3.6.21"}
WORKAROUNDS: tuple[Workaround, ...] = (
    Workaround("compiled_action_result_validator", {**RASA, "jsonschema": "4.17.3"}, compile_action_result_validator),
    Workaround("action_server_down_notice", {**RASA, "aiohttp": "3.9.5"}, answer_when_action_server_is_unreachable),
    Workaround("sqlite_tracker_store_tuning", {**RASA, "SQLAlchemy": "1.4.54"}, tune_sqlite_tracker_store),
    Workaround("plain_log_handler", RASA, keep_our_log_handlers),
    Workaround("sanic_websockets_on_python_311", {"sanic": "21.12.2", PYTHON: "3.11"}, allow_coroutines_in_sanic_websockets),
    Workaround("socketio_custom_json_to_room", {**RASA, "python-socketio": "5.18.1"}, send_custom_json_to_room),
    Workaround("sequential_graph_runner", {**RASA, "dask": "2022.10.2"}, run_the_graph_without_dask),
    Workaround("lean_sql_tracker_store", {**RASA, "SQLAlchemy": "1.4.54", "ujson": "5.13.0"}, lean_sql_tracker_store),
    Workaround("event_classes_by_name", RASA, event_classes_by_a_kept_map),
    Workaround("kept_action_server_connections", {**RASA, "aiohttp": "3.9.5", "sanic": "21.12.2", "ujson": "5.13.0"},
               keep_action_server_connections),
    Workaround("tracker_store_fails_closed", RASA, fail_closed_on_tracker_store_errors),
    # 16 before 12: 12 then walks only the events that are sent.
    Workaround("action_calls_with_this_turns_events", {**RASA, "rasa-sdk": "3.6.2"}, action_calls_with_this_turns_events),
    Workaround("action_calls_without_sent_payloads", RASA, action_calls_without_sent_payloads),
    Workaround("start_up_objects_frozen", RASA, freeze_after_the_model_is_loaded),
    Workaround("debug_log_arguments_not_copied", {**RASA, "structlog": "23.3.0"}, copy_debug_log_arguments_only_when_logged),
    Workaround("domain_emptiness_checked_once", RASA, empty_domain_built_once),
    Workaround("count_vectors_counted_directly", {**RASA, "scikit-learn": "1.1.3", "scipy": "1.10.1"},
               count_vectors_counted_directly),
    Workaround("rule_policy_text_pass_skipped_where_no_rule_reads_text", RASA,
               skip_the_rule_policys_text_pass_where_no_rule_reads_text),
    Workaround("rule_policy_states_as_far_back_as_its_rules_reach", {**RASA, "structlog": "23.3.0"},
               rule_policy_featurises_only_as_far_back_as_its_rules_reach),
)

_applied: set[str] = set()


def apply_all(workarounds: Iterable[Workaround] = WORKAROUNDS) -> list[str]:
    """Checks every version first, then applies each workaround once; returns their names."""
    workarounds = tuple(workarounds)
    check_versions(workarounds)
    for workaround in workarounds:
        if workaround.name not in _applied:
            workaround.apply()
            _applied.add(workaround.name)
    return [w.name for w in workarounds]
