"""A failing custom action must neither answer with nor log the user's text.

rasa-sdk 3.6's own error handler answers a 500 with `request_body` (the whole tracker) and logs the
exception; the first test shows that gap in the stock server, the second that ours closes it.
"""
import json
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
        url = service.ready_url.replace("/health", "/webhook")
        answer = httpx.post(url, json=failing_call(), timeout=30)
    return answer, (log_dir / f"{service.name}.log").read_text(encoding="utf-8", errors="replace")


def stock_action_server(port: int) -> Service:
    return Service("stock-actions", [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                                     "--port", str(port)], ready_url=f"http://127.0.0.1:{port}/health")


def test_the_stock_rasa_sdk_server_echoes_the_tracker_of_a_failing_action(tmp_path: Path):
    answer, _ = call_failing_action(stock_action_server(free_port()), tmp_path)
    assert answer.status_code == 500
    assert CANARY in answer.text  # the gap this project closes


def test_our_action_server_answers_a_failing_action_without_user_text_and_logs_none(tmp_path: Path):
    answer, log = call_failing_action(action_server(free_port()), tmp_path)
    assert answer.status_code == 500
    assert answer.json() == {"error": "Åtgärden misslyckades.", "action_name": "action_consult"}
    assert CANARY not in answer.text
    assert "action_consult failed" in log and CANARY not in log


def test_our_action_server_listens_on_loopback_only(tmp_path: Path):
    service = action_server(free_port())
    with Supervisor([service], log_dir=tmp_path):
        port = service.ready_url.split(":")[2].split("/")[0]
        connections = Path("/proc/net/tcp").read_text() + Path("/proc/net/tcp6").read_text()
    listening = [line.split()[1] for line in connections.splitlines()[1:] if line.split()[3] == "0A"]
    ours = [address for address in listening if address.endswith(f":{int(port):04X}")]
    assert ours and all(address.startswith("0100007F:") for address in ours), ours
