"""The Rasa server as started here: HTTP API only behind JWT, no telemetry, no URL tokens.

Starts one real Rasa server with its API enabled by INSATSLOTSEN_RASA_JWT_SECRET, with
RASA_TELEMETRY_ENABLED=true and RASA_TELEMETRY_DEBUG=true in its environment: if telemetry were
on, Rasa would print "Telemetry Event" for the server start and every message.
"""
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import jwt
import pytest

from assistant.processes import ROOT, Supervisor, action_server, free_port, rasa_server
from assistant.rasa_server import RefusedArguments, hardened_arguments
from assistant.session_tokens import APP_KEY_HEADER, SECRET_ENV, app_channel_key
from tests.conversation import rasa_rest_session

SECRET = "test-secret-" + "x" * 40


def token(username: str, role: str, secret: str = SECRET) -> dict[str, str]:
    signed = jwt.encode({"user": {"username": username, "role": role}}, secret, algorithm="HS256")
    return {"Authorization": f"Bearer {signed}"}


@pytest.fixture(scope="module")
def rasa(tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("rasa-api")
    action_port, rasa_port = free_port(), free_port()
    server = rasa_server(rasa_port, action_port, workdir / "tracker.db")
    server.env.update({
        "INSATSLOTSEN_RASA_JWT_SECRET": SECRET,
        "RASA_TELEMETRY_ENABLED": "true",
        "RASA_TELEMETRY_DEBUG": "true",
        "HOME": str(workdir),  # no earlier telemetry consent on file
        "PYTHONUNBUFFERED": "1",  # so a printed event is in the log while the server runs
    })
    supervisor = Supervisor([action_server(action_port), server], log_dir=workdir / "logs")
    supervisor.start()
    yield RasaServer(f"http://127.0.0.1:{rasa_port}", workdir / "logs" / "rasa.log", server.env[SECRET_ENV])
    supervisor.stop()


@dataclass(frozen=True)
class RasaServer:
    url: str
    log: Path
    session_secret: str

    def __iter__(self):
        return iter((self.url, self.log))


@pytest.fixture(scope="module")
def conversation_a(rasa) -> str:
    sender, headers = rasa_rest_session(rasa.session_secret)
    httpx.post(f"{rasa.url}/webhooks/rest/webhook", json={"sender": sender, "message": "hej"}, headers=headers,
               timeout=60).raise_for_status()
    return sender


def _rest(rasa, body: dict, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{rasa.url}/webhooks/rest/webhook", json=body, headers=headers, timeout=60)


def test_rasas_rest_channel_turns_away_everyone_but_the_app_with_the_sessions_own_token(rasa, conversation_a):
    victim_events = _events(rasa, conversation_a)
    _, intruder = rasa_rest_session(rasa.session_secret)
    app_key_only = {APP_KEY_HEADER: app_channel_key(rasa.session_secret)}
    cases = {
        "no credentials": ({}, 401),
        "the app key but no token": (app_key_only, 401),
        "a token but not the app key": ({"Authorization": intruder["Authorization"]}, 401),
        "a wrong app key": ({**intruder, APP_KEY_HEADER: "x" * 43}, 401),
        "another session's token": (intruder, 403),
    }
    for name, (headers, status) in cases.items():
        for message in ("sammanfatta", "/restart", "vad vet du om personen?"):
            response = _rest(rasa, {"sender": conversation_a, "message": message}, headers)
            assert response.status_code == status, (name, response.text)
    assert _events(rasa, conversation_a) == victim_events, "the conversation was neither read, changed nor restarted"


def test_rasas_rest_channel_takes_no_metadata_or_input_channel_from_the_client(rasa):
    sender, headers = rasa_rest_session(rasa.session_secret)
    body = {"sender": sender, "message": "hej", "metadata": {"namn": "Mohammed Ali"}, "input_channel": "msteams"}
    assert _rest(rasa, body, headers).status_code == 200
    stored = [event for event in _events(rasa, sender) if event["event"] == "user"]
    assert stored and all(event.get("input_channel") == "rest" for event in stored)
    # Rasa adds its own assistant_id and model_id; nothing the client sent is kept.
    assert all("namn" not in (event.get("metadata") or {}) for event in stored)
    assert "Mohammed Ali" not in json.dumps(_events(rasa, sender))


def _events(rasa, sender: str) -> list[dict]:
    admin = token("ops", "admin")
    response = httpx.get(f"{rasa.url}/conversations/{sender}/tracker", headers=admin, timeout=30)
    response.raise_for_status()
    return response.json()["events"]


def test_replacing_the_model_needs_a_valid_admin_jwt(rasa):
    url, _ = rasa
    body = {"model_file": "/finns/inte.tar.gz"}
    assert httpx.put(f"{url}/model", json=body, timeout=30).status_code == 401
    assert httpx.put(f"{url}/model", json=body, headers=token("x", "admin", "fel-hemlighet" * 4), timeout=30).status_code == 401
    assert httpx.put(f"{url}/model", json=body, headers=token("x", "user"), timeout=30).status_code == 403


def test_a_token_in_the_url_is_not_accepted(rasa, conversation_a):
    url, _ = rasa
    response = httpx.get(f"{url}/conversations/{conversation_a}/tracker", params={"token": SECRET}, timeout=30)
    assert response.status_code == 401


def test_a_user_jwt_reads_its_own_conversation_and_no_one_elses(rasa, conversation_a):
    url, _ = rasa
    own = httpx.get(f"{url}/conversations/{conversation_a}/tracker", headers=token(conversation_a, "user"), timeout=30)
    assert own.status_code == 200 and own.json()["sender_id"] == conversation_a
    other = httpx.get(f"{url}/conversations/{conversation_a}/tracker", headers=token("conv-b-other", "user"), timeout=30)
    assert other.status_code == 403


def test_no_telemetry_event_is_produced_even_when_the_environment_asks_for_it(rasa, conversation_a):
    _, log = rasa
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Rasa server is up and running" in text or "Starting Rasa server" in text
    assert "Telemetry Event" not in text


def test_rasa_telemetry_is_on_by_default_without_our_start_path(tmp_path: Path):
    """The control for the test above: plain Rasa, fresh HOME, no variable → telemetry on."""
    env = {k: v for k, v in os.environ.items() if k != "RASA_TELEMETRY_ENABLED"}
    env.update(HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", "import rasa.telemetry as t; print(t.initialize_telemetry())"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "True", done.stderr


@pytest.mark.parametrize(
    "arguments",
    [["run", "--auth-token", "abc"], ["run", "-t", "abc"], ["run", "--auth-token=abc"], ["run", "--enable-api"],
     ["run", "--jwt-secret", "s"]],
)
def test_url_tokens_and_an_api_without_jwt_are_refused_at_start(arguments):
    with pytest.raises(RefusedArguments):
        hardened_arguments(arguments, {})


def test_the_api_stays_closed_without_a_secret_and_a_short_secret_is_refused():
    assert hardened_arguments(["run", "--port", "5005"], {}) == ["run", "--port", "5005"]
    with pytest.raises(RefusedArguments):
        hardened_arguments(["run"], {"INSATSLOTSEN_RASA_JWT_SECRET": "kort"})
