"""One real action server and one real Rasa server, on free ports, shared by the e2e tests."""
import uuid
from pathlib import Path

import httpx
import pytest

from assistant.processes import MODEL_PATH, Supervisor, action_server, free_port, rasa_server


@pytest.fixture(scope="session")
def rasa_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    workdir: Path = tmp_path_factory.mktemp("servers")
    action_port, rasa_port = free_port(), free_port()
    supervisor = Supervisor(
        [action_server(action_port), rasa_server(rasa_port, action_port, workdir / "tracker.db")],
        log_dir=workdir / "logs",
    )
    supervisor.start()
    yield f"http://127.0.0.1:{rasa_port}"
    supervisor.stop()


class Conversation:
    """One sender talking to the REST channel; `say` returns the bot's messages for that turn."""

    def __init__(self, rasa_url: str) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = f"test-{uuid.uuid4().hex}"

    def say(self, message: str) -> list[dict]:
        response = httpx.post(self.url, json={"sender": self.sender, "message": message}, timeout=60)
        response.raise_for_status()
        return response.json()

    def texts(self, message: str) -> str:
        return "\n".join(m["text"] for m in self.say(message) if "text" in m)


@pytest.fixture
def conversation(rasa_url: str) -> Conversation:
    return Conversation(rasa_url)
