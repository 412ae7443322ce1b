"""The real processes – action server, Rasa server and HTTP app – on free ports, shared by the e2e tests."""
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.processes import MODEL_PATH, Supervisor, action_server, api_server, free_port, rasa_server


@dataclass(frozen=True)
class Servers:
    rasa_url: str
    api_url: str
    tracker_db: Path
    log_dir: Path


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Servers:
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    workdir: Path = tmp_path_factory.mktemp("servers")
    action_port, rasa_port, api_port = free_port(), free_port(), free_port()
    supervisor = Supervisor(
        [
            action_server(action_port),
            rasa_server(rasa_port, action_port, workdir / "tracker.db"),
            api_server(api_port, rasa_port, action_port=action_port, tracker_db=workdir / "tracker.db"),
        ],
        log_dir=workdir / "logs",
    )
    supervisor.start()
    yield Servers(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{api_port}", workdir / "tracker.db", workdir / "logs")
    supervisor.stop()


class Conversation:
    """One sender talking to the REST channel; `say` returns the bot's messages for that turn."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sender = f"test{uuid.uuid4().hex}"

    def say(self, message: str) -> list[dict]:
        response = httpx.post(self.url, json={"sender": self.sender, "message": message}, timeout=60)
        response.raise_for_status()
        return response.json()

    def texts(self, message: str) -> str:
        return "\n".join(m["text"] for m in self.say(message) if "text" in m)


@pytest.fixture
def conversation(servers: Servers) -> Conversation:
    return Conversation(f"{servers.rasa_url}/webhooks/rest/webhook")


@pytest.fixture
def chat(servers: Servers) -> Conversation:
    """The same, through the HTTP app's /api/chat (which masks identifiers first)."""
    return Conversation(f"{servers.api_url}/api/chat")
