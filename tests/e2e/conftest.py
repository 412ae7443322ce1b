"""The real processes – action server, Rasa server and HTTP app – on free ports, shared by the e2e tests."""
import pytest

from assistant.processes import MODEL_PATH, LocalStack, local_stack
from tests.conversation import Conversation


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> LocalStack:
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    stack = local_stack(tmp_path_factory.mktemp("servers"))
    stack.supervisor.start()
    yield stack
    stack.supervisor.stop()


@pytest.fixture
def conversation(servers: LocalStack) -> Conversation:
    """Straight to Rasa's REST channel, as the HTTP app talks to it."""
    return Conversation(f"{servers.rasa_url}/webhooks/rest/webhook", servers.session_secret)


@pytest.fixture
def chat(servers: LocalStack) -> Conversation:
    """The same, through the HTTP app's /api/chat (which masks identifiers first)."""
    return Conversation(f"{servers.api_url}/api/chat")
