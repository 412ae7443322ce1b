"""One real stack (action server, Rasa server, HTTP app) for the fault tests, which stop and
restart its processes. Started with LOG_LEVEL=DEBUG in the environment, which must not matter."""
import os
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.processes import MODEL_PATH, Service, Supervisor, action_server, api_server, free_port, rasa_server
from tests.e2e.conftest import Conversation


@dataclass
class Stack:
    supervisor: Supervisor
    api_url: str
    rasa_url: str
    action_url: str
    tracker_db: Path
    log_dir: Path

    def service(self, name: str) -> Service:
        return next(s for s in self.supervisor.services if s.name == name)

    def restart(self, name: str, timeout: float = 180) -> None:
        service = self.service(name)
        service.start(self.log_dir)
        deadline = time.monotonic() + timeout
        while not service.is_ready():
            assert service.process.poll() is None, f"{name} stopped while starting; see {self.log_dir}"
            assert time.monotonic() < deadline, f"{name} not ready within {timeout} s"
            time.sleep(0.5)

    def ready(self) -> httpx.Response:
        return httpx.get(f"{self.api_url}/api/ready", timeout=30)

    def logs(self) -> dict[str, str]:
        return {p.name: p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log"))}


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Stack:
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    workdir: Path = tmp_path_factory.mktemp("fault-stack")
    action_port, rasa_port, api_port = free_port(), free_port(), free_port()
    tracker_db = workdir / "tracker.db"
    supervisor = Supervisor(
        [
            action_server(action_port),
            rasa_server(rasa_port, action_port, tracker_db),
            api_server(api_port, rasa_port, action_port=action_port, tracker_db=tracker_db),
        ],
        log_dir=workdir / "logs",
    )
    # An operator's or a user's environment asking for DEBUG must not reach the processes.
    with pytest.MonkeyPatch.context() as env:
        env.setitem(os.environ, "LOG_LEVEL", "DEBUG")
        env.setitem(os.environ, "INSATSLOTSEN_LOG_LEVEL", "DEBUG")
        # The fuzz and the bad-input tests send hundreds of requests from one address.
        env.setitem(os.environ, "INSATSLOTSEN_RATE_LIMIT_PER_MINUTE", "0")
        supervisor.start()
    urls = [f"http://127.0.0.1:{port}" for port in (api_port, rasa_port, action_port)]
    yield Stack(supervisor, *urls, tracker_db, workdir / "logs")
    supervisor.stop()


@pytest.fixture
def chat(stack: Stack) -> Conversation:
    return Conversation(f"{stack.api_url}/api/chat")
