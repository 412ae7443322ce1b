"""Action server, Rasa server (socket.io channel with signed sessions) and HTTP app on free ports,
with a recorder between Rasa and the action server. The relay's packet budget is lowered so the
rate-limit test needs few packets."""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.processes import (
    MODEL_PATH, Supervisor, action_server, api_server, free_port, rasa_server, session_secret_env,
)
from assistant.session_tokens import SECRET_ENV
from tests.widget_session.widget_client import ActionRecorder, WidgetClient

RATE_LIMIT = 20
RATE_WINDOW_SECONDS = 10


@dataclass(frozen=True)
class Stack:
    api_url: str
    tracker_db: Path
    log_dir: Path
    secret: str
    actions: ActionRecorder
    supervisor: Supervisor

    @property
    def ws_url(self) -> str:
        return self.api_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"

    def new_session(self) -> dict:
        response = httpx.post(f"{self.api_url}/api/session", timeout=10)
        response.raise_for_status()
        return response.json()

    def stored_events(self, session_id: str) -> str:
        """The raw `events` rows of one conversation, as the tracker store keeps them."""
        with sqlite3.connect(self.tracker_db) as db:
            rows = db.execute("select data from events where sender_id = ?", (session_id,))
            return "\n".join(row[0] for row in rows)

    def user_texts(self, session_id: str) -> list[str]:
        events = (json.loads(row) for row in self.stored_events(session_id).splitlines())
        return [event["text"] for event in events if event["event"] == "user"]

    def wait_until_stored(self, session_id: str, user_text: str, timeout: float = 60) -> None:
        """Rasa stores a turn after its replies went out; wait for that before reading the store."""
        deadline = time.monotonic() + timeout
        while user_text not in self.user_texts(session_id):
            if time.monotonic() > deadline:
                raise AssertionError(f"{user_text!r} not stored within {timeout} s")
            time.sleep(0.2)

    def stop(self, name: str) -> None:
        next(s for s in self.supervisor.services if s.name == name).stop()

    def start_again(self, name: str, timeout: float = 180) -> None:
        service = next(s for s in self.supervisor.services if s.name == name)
        service.start(self.log_dir)
        deadline = time.monotonic() + timeout
        while not service.is_ready():
            assert service.process.poll() is None and time.monotonic() < deadline, f"{name} did not come back"
            time.sleep(0.5)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.log_dir.glob("*.log"))


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Stack:
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    workdir: Path = tmp_path_factory.mktemp("widget_session")
    action_port, recorder_port, rasa_port, api_port = free_port(), free_port(), free_port(), free_port()
    api = api_server(api_port, rasa_port)
    api.env.update({
        "INSATSLOTSEN_SOCKETIO_RATE_LIMIT_MESSAGES": str(RATE_LIMIT),
        "INSATSLOTSEN_SOCKETIO_RATE_LIMIT_SECONDS": str(RATE_WINDOW_SECONDS),
    })
    supervisor = Supervisor(
        [action_server(action_port), rasa_server(rasa_port, recorder_port, workdir / "tracker.db"), api],
        log_dir=workdir / "logs",
    )
    with ActionRecorder(recorder_port, f"http://127.0.0.1:{action_port}") as recorder:
        supervisor.start()
        try:
            yield Stack(
                f"http://127.0.0.1:{api_port}", workdir / "tracker.db", workdir / "logs",
                session_secret_env()[SECRET_ENV], recorder, supervisor,
            )
        finally:
            supervisor.stop()


@pytest.fixture
def widget(stack: Stack):
    """A factory of widget connections that are all closed after the test."""
    opened: list[WidgetClient] = []

    def open_widget(origin: str | None = None) -> WidgetClient:
        client = WidgetClient(stack.api_url, origin)
        opened.append(client)
        return client

    yield open_widget
    for client in opened:
        client.close()
