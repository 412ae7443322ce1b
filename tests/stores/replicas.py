"""Two Rasa server replicas sharing PostgreSQL and Redis, one action server and the HTTP app,
as docs/stores.md describes for production, on free loopback ports."""
from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from assistant.processes import ROOT, Service, Supervisor, action_server, api_server, free_port, rasa_server
from assistant.session_tokens import SECRET_ENV
from tests.conversation import OPERATOR_ENV, rasa_rest_session
from tests.stores.services import PostgresServer, RedisServer

REPLICA_ENDPOINTS = ROOT / "endpoints.replicas.yml"


def replica_env(postgres: PostgresServer, database: str, redis_port: int) -> dict[str, str]:
    return {
        "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": str(postgres.port), "TRACKER_DB_NAME": database,
        "TRACKER_DB_USER": postgres.user, "TRACKER_DB_PASSWORD": "",
        "LOCK_STORE_HOST": "127.0.0.1", "LOCK_STORE_PORT": str(redis_port), "LOCK_STORE_PASSWORD": "",
        "LOCK_STORE_DB": "1",
    }


def stored_events(database_url: str, sender: str) -> list[dict]:
    """The conversation's rows in the order they were written (the order Rasa reads them)."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT type_name, timestamp, data FROM events WHERE sender_id = :s ORDER BY id"),
                {"s": sender},
            ).fetchall()
    finally:
        engine.dispose()
    return [{"type": row.type_name, "timestamp": row.timestamp, **json.loads(row.data)} for row in rows]


@dataclass
class Replicas:
    rasa_urls: list[str]
    api_url: str
    database_url: str
    postgres: PostgresServer
    log_dir: Path
    secret: str
    # Conversation names the tests use -> (session id, headers for Rasa's REST channel).
    sessions: dict[str, tuple[str, dict[str, str]]]
    # Where more replicas beside these find the action server and Redis (more_replicas).
    action_port: int = 0
    redis_port: int = 0
    # The interleaved test's first round asks for its conversation from two threads at once:
    # without the lock both could find no session yet and each issue its own, and that round's
    # two turns went to two conversations ("49 of 50 user messages stored").
    _sessions_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def session(self, name: str) -> tuple[str, dict[str, str]]:
        with self._sessions_lock:
            if name not in self.sessions:
                self.sessions[name] = rasa_rest_session(self.secret)
            return self.sessions[name]

    def post(self, replica: int, name: str, message: str, timeout: float = 120) -> httpx.Response:
        sender, headers = self.session(name)
        return httpx.post(f"{self.rasa_urls[replica]}/webhooks/rest/webhook",
                          json={"sender": sender, "message": message}, headers=headers, timeout=timeout)

    def say(self, replica: int, name: str, message: str, timeout: float = 120) -> list[dict]:
        response = self.post(replica, name, message, timeout)
        response.raise_for_status()
        return response.json()

    def events(self, name: str) -> list[dict]:
        """The conversation's rows in the order they were written (the order Rasa reads them)."""
        sender = self.sessions[name][0] if name in self.sessions else name
        return stored_events(self.database_url, sender)

    def rasa_view(self, name: str) -> list:
        sender = self.session(name)[0]
        """The tracker as a Rasa replica restores it from the shared store."""
        from rasa.shared.core.domain import Domain

        from assistant.stores.tracker_store import VisibleSQLTrackerStore

        store = VisibleSQLTrackerStore(domain=Domain.load(ROOT / "domain.yml"), host=self.database_url)
        try:
            return asyncio.run(store.retrieve_full_tracker(sender)).events
        finally:
            store.engine.dispose()


def rasa_replicas(workdir: Path, action_port: int, env: dict[str, str], endpoints: Path,
                  names: tuple[str, str] = ("rasa-a", "rasa-b")) -> tuple[list[int], list[Service]]:
    """Two Rasa servers on the same stores; each its own SQLite path: proves nothing of theirs is
    shared through it."""
    ports = [free_port(), free_port()]
    services = [rasa_server(port, action_port, workdir / f"unused-{name}.db", endpoints=endpoints, env=env, name=name)
                for port, name in zip(ports, names)]
    return ports, services


def start_replicas(workdir: Path):
    postgres = PostgresServer()
    redis = None
    supervisor = None
    try:
        postgres.start()
        database = f"rasa{uuid.uuid4().hex[:8]}"
        postgres.create_database(database)
        redis = RedisServer()
        env = replica_env(postgres, database, redis.port)
        action_port, api_port = free_port(), free_port()
        rasa_ports, rasas = rasa_replicas(workdir, action_port, env, REPLICA_ENDPOINTS)
        services = [action_server(action_port), *rasas, api_server(api_port, rasa_ports[0], action_port=action_port, env={
            **env, "INSATSLOTSEN_ENDPOINTS_FILE": str(REPLICA_ENDPOINTS), **OPERATOR_ENV})]
        supervisor = Supervisor(services, log_dir=workdir / "logs")
        supervisor.start(timeout=400)
    except BaseException:
        if supervisor:
            supervisor.stop()
        if redis:
            redis.remove()
        postgres.remove()
        raise
    replicas = Replicas([f"http://127.0.0.1:{p}" for p in rasa_ports], f"http://127.0.0.1:{api_port}",
                        postgres.url(database), postgres, workdir / "logs", services[1].env[SECRET_ENV], {},
                        action_port, redis.port)

    def stop() -> None:
        supervisor.stop()
        redis.remove()
        postgres.remove()

    return replicas, stop


@contextlib.contextmanager
def more_replicas(stack: Replicas, workdir: Path, endpoints: Path, lock_store_db: str):
    """Two more Rasa replicas beside `stack`, with `endpoints`, on the stack's action server,
    PostgreSQL (a database of their own) and Redis (the database `lock_store_db`): the stock lock
    store's test starts two Rasa processes, not a second PostgreSQL, Redis, action server and app."""
    database = f"rasa{uuid.uuid4().hex[:8]}"
    stack.postgres.create_database(database)
    env = {**replica_env(stack.postgres, database, stack.redis_port), "LOCK_STORE_DB": lock_store_db}
    ports, services = rasa_replicas(workdir, stack.action_port, env, endpoints, names=("rasa-c", "rasa-d"))
    supervisor = Supervisor(services, log_dir=workdir / "logs")
    supervisor.start(timeout=400)
    try:
        yield Replicas([f"http://127.0.0.1:{p}" for p in ports], "", stack.postgres.url(database), stack.postgres,
                       workdir / "logs", services[0].env[SECRET_ENV], {}, stack.action_port, stack.redis_port)
    finally:
        supervisor.stop()


def user_texts(events: list[dict]) -> list[str]:
    return [e["text"] for e in events if e["type"] == "user"]


def turn_problems(events: list[dict]) -> list[str]:
    """Every user message is followed by its own processing (at least one bot message) that ends
    listening, before the next user message; no row is stored twice; time never goes backwards."""
    problems = []
    rows = [json.dumps(e, sort_keys=True) for e in events]
    if len(rows) != len(set(rows)):
        problems.append(f"{len(rows) - len(set(rows))} events stored twice")
    timestamps = [e["timestamp"] for e in events]
    if timestamps != sorted(timestamps):
        problems.append("events out of order")
    starts = [i for i, e in enumerate(events) if e["type"] == "user"]
    for start, end in zip(starts, starts[1:] + [len(events)]):
        turn = events[start + 1:end]
        if "bot" not in [e["type"] for e in turn]:
            problems.append(f"no reply stored for {events[start]['text']!r}")
        elif turn[-1]["type"] != "action" or turn[-1]["name"] != "action_listen":
            problems.append(f"turn {events[start]['text']!r} did not finish before the next one")
    return problems
