"""Real action server, Rasa server (with the Teams channel) and HTTP app, against a local Bot
Framework stand-in: Teams activities go in through the app's webhook proxy, replies come back
to the stand-in's Bot Connector."""
from __future__ import annotations

import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.processes import MODEL_PATH, Supervisor, action_server, api_server, free_port, rasa_server
from tests.teams.standin import BotFrameworkStandIn

APP_ID = str(uuid.UUID(int=0x1234_5678_9ABC_DEF0_1234_5678_9ABC_DEF0))
APP_PASSWORD = "stand-in-secret"


@dataclass
class TeamsServers:
    standin: BotFrameworkStandIn
    api_url: str
    rasa_url: str
    tracker_db: Path
    feedback_db: str
    log_dir: Path
    metadata_requests_at_start: int

    @property
    def webhook(self) -> str:
        return f"{self.api_url}/webhooks/botframework/webhook"

    def post(self, activity: dict[str, Any], token: str | None = None) -> httpx.Response:
        token = self.standin.token(activity["serviceUrl"]) if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.post(self.webhook, json=activity, headers=headers, timeout=60)

    def channel_status(self) -> dict[str, Any]:
        return httpx.get(f"{self.rasa_url}/webhooks/botframework/", timeout=10).json()

    def wait_for_turns(self, processed_before: int, count: int = 1, timeout: float = 120) -> None:
        """The webhook answers 202 at once; the turn and its replies follow in the background."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.channel_status()
            if status["processed"] >= processed_before + count and status["in_flight"] == 0:
                return
            assert time.monotonic() < deadline, f"turn not finished within {timeout} s: {status}"
            time.sleep(0.1)

    def say(self, conversation_id: str, text: str | None, **extra: Any) -> list[dict[str, Any]]:
        """Posts a message and returns the replies the stand-in received for it."""
        before = len(self.standin.replies(conversation_id))
        processed = self.channel_status()["processed"]
        response = self.post(self.standin.message(text, conversation_id, **extra))
        assert response.status_code == 202, response.text
        self.wait_for_turns(processed)
        return self.standin.replies(conversation_id)[before:]

    def user_events(self, sender_id: str) -> list[tuple[str, str]]:
        """(intent, data) of the stored user turns of one conversation."""
        with sqlite3.connect(self.tracker_db) as db:
            return list(db.execute(
                "select intent_name, data from events where sender_id = ? and type_name = 'user' order by id",
                (sender_id,),
            ))


@pytest.fixture(scope="session")
def teams(tmp_path_factory: pytest.TempPathFactory) -> TeamsServers:
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    workdir: Path = tmp_path_factory.mktemp("teams")
    standin = BotFrameworkStandIn(APP_ID, APP_PASSWORD)
    standin.start()
    action_port, rasa_port, api_port = free_port(), free_port(), free_port()
    feedback_db = f"sqlite:///{workdir / 'feedback.db'}"
    rasa = rasa_server(rasa_port, action_port, workdir / "tracker.db")
    rasa.env.update({
        "INSATSLOTSEN_TEAMS_APP_ID": APP_ID,
        "INSATSLOTSEN_TEAMS_APP_PASSWORD": APP_PASSWORD,
        "INSATSLOTSEN_TEAMS_TOKEN_URL": standin.token_url,
        "INSATSLOTSEN_TEAMS_OPENID_METADATA_URL": standin.metadata_url,
        "INSATSLOTSEN_TEAMS_SERVICE_URL_HOSTS": "127.0.0.1",
        "INSATSLOTSEN_FEEDBACK_DB": feedback_db,
        "INSATSLOTSEN_TEAMS_ALLOWED_TENANTS": "tenant-0000",
    })
    supervisor = Supervisor([action_server(action_port), rasa, api_server(api_port, rasa_port)], log_dir=workdir / "logs")
    supervisor.start()
    try:
        yield TeamsServers(
            standin=standin,
            api_url=f"http://127.0.0.1:{api_port}",
            rasa_url=f"http://127.0.0.1:{rasa_port}",
            tracker_db=workdir / "tracker.db",
            feedback_db=feedback_db,
            log_dir=workdir / "logs",
            metadata_requests_at_start=len(standin.of_kind("metadata")),
        )
    finally:
        supervisor.stop()
        standin.stop()


@pytest.fixture
def conversation_id() -> str:
    return f"a:teams-{uuid.uuid4().hex}"
