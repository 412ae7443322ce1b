"""The real processes – action server, Rasa server and HTTP app – on free ports, shared by the e2e tests."""
import uuid

import httpx
import pytest

from assistant.processes import MODEL_PATH, LocalStack, local_stack


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> LocalStack:
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    stack = local_stack(tmp_path_factory.mktemp("servers"))
    stack.supervisor.start()
    yield stack
    stack.supervisor.stop()


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
def conversation(servers: LocalStack) -> Conversation:
    return Conversation(f"{servers.rasa_url}/webhooks/rest/webhook")


@pytest.fixture
def chat(servers: LocalStack) -> Conversation:
    """The same, through the HTTP app's /api/chat (which masks identifiers first)."""
    return Conversation(f"{servers.api_url}/api/chat")
