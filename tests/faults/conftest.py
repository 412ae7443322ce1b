"""One real stack (action server, Rasa server, HTTP app) for the fault tests, which stop and
restart its processes. Started with LOG_LEVEL=DEBUG in the environment, which must not matter."""
import os
import time

import httpx
import pytest

from assistant.processes import MODEL_PATH, READY_POLL_SECONDS, LocalStack, Service, local_stack
from tests.conversation import OPERATOR_ENV, Conversation
from tests.conversation import ready as operator_ready


class Stack(LocalStack):
    def service(self, name: str) -> Service:
        return next(s for s in self.supervisor.services if s.name == name)

    def restart(self, name: str, timeout: float = 180) -> None:
        service = self.service(name)
        service.start(self.log_dir)
        deadline = time.monotonic() + timeout
        while not service.is_ready():
            assert service.process.poll() is None, f"{name} stopped while starting; see {self.log_dir}"
            assert time.monotonic() < deadline, f"{name} not ready within {timeout} s"
            time.sleep(READY_POLL_SECONDS)

    def ready(self) -> httpx.Response:
        """As an operator: with the details of every part."""
        return operator_ready(self.api_url)

    def logs(self) -> dict[str, str]:
        return {p.name: p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log"))}


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Stack:
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    # The fuzz and the bad-input tests send hundreds of requests from one address.
    stack = Stack(**vars(local_stack(tmp_path_factory.mktemp("fault-stack"),
                                     api_env={"INSATSLOTSEN_RATE_LIMIT_PER_MINUTE": "0", **OPERATOR_ENV})))
    # An operator's or a user's environment asking for DEBUG must not reach the processes.
    with pytest.MonkeyPatch.context() as env:
        env.setitem(os.environ, "LOG_LEVEL", "DEBUG")
        env.setitem(os.environ, "INSATSLOTSEN_LOG_LEVEL", "DEBUG")
        stack.supervisor.start()
    yield stack
    stack.supervisor.stop()


@pytest.fixture
def chat(stack: Stack) -> Conversation:
    return Conversation(f"{stack.api_url}/api/chat")
