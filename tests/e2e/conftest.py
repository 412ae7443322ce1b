"""The real processes – action server, Rasa server and HTTP app – on free ports, shared by the e2e tests
(and the browser tests: tests/conftest.py)."""
import pytest

from assistant.processes import LocalStack
from tests.conversation import Conversation


@pytest.fixture(scope="session")
def servers(local_servers: LocalStack) -> LocalStack:
    return local_servers


@pytest.fixture
def conversation(servers: LocalStack) -> Conversation:
    """Straight to Rasa's REST channel, as the HTTP app talks to it."""
    return Conversation(f"{servers.rasa_url}/webhooks/rest/webhook", servers.session_secret)


@pytest.fixture
def chat(servers: LocalStack) -> Conversation:
    """The same, through the HTTP app's /api/chat (which masks identifiers first)."""
    return Conversation(f"{servers.api_url}/api/chat")
