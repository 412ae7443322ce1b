"""A custom action must end before the conversation's lock expires: Rasa waits up to 300 s for
the action server (rasa.core.constants.DEFAULT_REQUEST_TIMEOUT) but holds the ticket lock only
60 s, after which the next message of the same conversation is processed in parallel."""
import os
import subprocess
import sys
import time

import httpx

from assistant.processes import (
    ACTION_TIMEOUT_SECONDS, LOCK_LIFETIME_SECONDS, ROOT, Supervisor, action_server, free_port, rasa_server,
)
from tests.stores.slow_actions import SLOW_SECONDS


def test_the_action_deadline_is_well_inside_the_lock_lifetime():
    assert ACTION_TIMEOUT_SECONDS + 10 <= LOCK_LIFETIME_SECONDS
    assert action_server(free_port()).env["SANIC_RESPONSE_TIMEOUT"] == str(ACTION_TIMEOUT_SECONDS)
    assert rasa_server(free_port(), free_port(), ROOT / "var" / "x.db").env["TICKET_LOCK_LIFETIME"] == str(
        LOCK_LIFETIME_SECONDS)


def test_rasa_reads_the_lock_lifetime_the_processes_set():
    env = {**os.environ, **rasa_server(free_port(), free_port(), ROOT / "var" / "x.db").env}
    result = subprocess.run(
        [sys.executable, "-c", "from rasa.core.lock_store import LOCK_LIFETIME; print(LOCK_LIFETIME)"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.stdout.strip() == str(LOCK_LIFETIME_SECONDS), result.stderr


def test_the_action_server_ends_a_slow_action_by_its_deadline(tmp_path):
    """rasa-sdk's server (which assistant.action_server builds on, with the same Sanic config
    read from the environment) serving a slow test action, with the production environment and
    the deadline shortened so the test is quick. Rasa gets a 5xx and releases the lock."""
    port = free_port()
    service = action_server(port)
    service.argv = [sys.executable, "-m", "rasa_sdk", "--actions", "tests.stores.slow_actions", "--port", str(port)]
    deadline = 2
    service.env["SANIC_RESPONSE_TIMEOUT"] = str(deadline)
    with Supervisor([service], log_dir=tmp_path):
        tracker = {"sender_id": "x", "slots": {}, "latest_message": {}, "events": [], "paused": False,
                   "followup_action": None, "active_loop": {}, "latest_action_name": None}
        started = time.monotonic()
        response = httpx.post(f"http://127.0.0.1:{port}/webhook", timeout=SLOW_SECONDS + 30, json={
            "next_action": "action_slow", "sender_id": "x", "tracker": tracker, "domain": {}, "version": "3.6.2"})
        elapsed = time.monotonic() - started
    assert response.status_code in (500, 503)
    assert "för sent" not in response.text
    assert deadline <= elapsed < deadline + 5
