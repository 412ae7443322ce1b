"""A failing custom action must neither answer with nor log the user's text.

rasa-sdk 3.6's own error handler answers a 500 with `request_body` (the whole tracker) and logs the
exception; the first test shows that gap in the stock server, the second that ours closes it.
"""
import json
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.processes import ROOT, VENV_BIN, Service, Supervisor, action_server, free_port

CANARY = "kanariefagel-7f3a9c"
TRACKER = ROOT / "tests" / "data" / "trackers" / "description_of_a_young_woman.json"


def failing_call() -> dict:
    """An action call whose tracker makes action_consult raise: the facts slot is not a mapping."""
    tracker = json.loads(TRACKER.read_text(encoding="utf-8"))
    tracker["slots"]["facts"] = f"inte ett objekt {CANARY}"
    tracker["latest_message"]["text"] = f"hon heter {CANARY}"
    return {"next_action": "action_consult", "sender_id": tracker["sender_id"], "tracker": tracker,
            "domain": {}, "version": "3.6.21"}


def call_failing_action(service: Service, log_dir: Path) -> tuple[httpx.Response, str]:
    with Supervisor([service], log_dir=log_dir):
        answer = post_failing_call(service)
    return answer, (log_dir / f"{service.name}.log").read_text(encoding="utf-8", errors="replace")


def post_failing_call(service: Service) -> httpx.Response:
    return httpx.post(service.ready_url.replace("/health", "/webhook"), json=failing_call(), timeout=30)


def listening_addresses(port: int) -> list[str]:
    """The local addresses (hex, as /proc/net/tcp writes them) of the sockets listening on port."""
    connections = Path("/proc/net/tcp").read_text() + Path("/proc/net/tcp6").read_text()
    listening = [line.split()[1] for line in connections.splitlines()[1:] if line.split()[3] == "0A"]
    return [address for address in listening if address.endswith(f":{port:04X}")]


@dataclass(frozen=True)
class OurServerRun:
    answer: httpx.Response
    log: str  # read after the server stopped, so nothing it wrote is still in a buffer
    listening: list[str]


@pytest.fixture(scope="module")
def our_server_run(tmp_path_factory: pytest.TempPathFactory) -> OurServerRun:
    """One start of our action server for the tests of it (a start loads the index and MiniLM):
    the sockets it listens on and its answer to a failing call while it runs, its log once stopped."""
    log_dir = tmp_path_factory.mktemp("our-actions")
    port = free_port()
    service = action_server(port)
    with Supervisor([service], log_dir=log_dir):
        listening = listening_addresses(port)
        answer = post_failing_call(service)
    return OurServerRun(answer, (log_dir / f"{service.name}.log").read_text(encoding="utf-8", errors="replace"), listening)


def stock_action_server(port: int) -> Service:
    return Service("stock-actions", [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                                     "--port", str(port)], ready_url=f"http://127.0.0.1:{port}/health")


def test_the_stock_rasa_sdk_server_echoes_the_tracker_of_a_failing_action(tmp_path: Path):
    answer, _ = call_failing_action(stock_action_server(free_port()), tmp_path)
    assert answer.status_code == 500
    assert CANARY in answer.text  # the gap this project closes


def test_our_action_server_answers_a_failing_action_without_user_text_and_logs_none(our_server_run: OurServerRun):
    answer, log = our_server_run.answer, our_server_run.log
    assert answer.status_code == 500
    assert answer.json() == {"error": "Åtgärden misslyckades.", "action_name": "action_consult"}
    assert CANARY not in answer.text
    assert "action_consult failed" in log and CANARY not in log


def test_our_action_server_listens_on_loopback_only(our_server_run: OurServerRun):
    ours = our_server_run.listening
    assert ours and all(address.startswith("0100007F:") for address in ours), ours
