"""/api/health answers while the process lives; /api/ready says whether a turn can succeed, and
only to an operator which part is down and why."""
import secrets

import pytest
from fastapi.testclient import TestClient

from assistant.deps import app_settings
from assistant.main import create_app
from assistant.processes import free_port
from assistant.routes.health import OPERATOR_TOKEN_REFUSED
from assistant.settings import Settings, get_settings

OPERATOR = secrets.token_urlsafe(32)


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "saknas.db"))  # endpoints.yml's embedded SQLite
    app = create_app()
    app.dependency_overrides[app_settings] = lambda: Settings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        action_server_url=f"http://127.0.0.1:{free_port()}",
        operator_token=OPERATOR,
    )
    with TestClient(app) as client:
        yield client


def test_liveness_does_not_depend_on_the_other_processes(client):
    assert client.get("/api/health").json() == {"status": "ok"}


def test_readiness_is_503_and_names_every_part_that_is_down_to_an_operator(client):
    response = client.get("/api/ready", headers={"Authorization": f"Bearer {OPERATOR}"})
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "inte redo"
    assert body["meddelande"] == "Följande delar svarar inte: rasa, actionserver, samtalslager."
    assert body["delar"]["sokindex"] == {"ok": True, "detalj": "inläst"}


def test_anyone_else_learns_only_whether_the_assistant_is_ready(client):
    response = client.get("/api/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "inte redo"}
    assert "127.0.0.1" not in response.text and "saknas.db" not in response.text


# Fixed ids: OPERATOR is new in every process, and pytest-xdist's workers must collect the same names.
@pytest.mark.parametrize("authorization", ["Bearer fel", "Bearer", "Basic b3A6b3A=", f"Bearer {OPERATOR}x", "Bearer é"],
                         ids=["wrong", "empty", "basic", "operator-token-plus-one", "non-ascii"])
def test_a_wrong_operator_token_is_a_401_without_details(client, authorization):
    response = client.get("/api/ready", headers={"Authorization": authorization.encode()})  # bytes: é as UTF-8
    assert response.status_code == 401 and response.json() == {"detail": OPERATOR_TOKEN_REFUSED}


def test_readiness_is_rate_limited_like_the_rest_of_the_api(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "saknas.db"))
    monkeypatch.setenv("INSATSLOTSEN_RATE_LIMIT_PER_MINUTE", "60")
    monkeypatch.setenv("INSATSLOTSEN_RATE_LIMIT_BURST", "3")
    get_settings.cache_clear()
    try:
        app = create_app()
    finally:
        get_settings.cache_clear()
    app.dependency_overrides[app_settings] = lambda: Settings(
        rasa_url=f"http://127.0.0.1:{free_port()}", action_server_url=f"http://127.0.0.1:{free_port()}")
    with TestClient(app) as client:
        statuses = [client.get("/api/ready").status_code for _ in range(5)]
        assert statuses[:3] == [503] * 3 and statuses[3:] == [429, 429]
        assert client.get("/api/health").status_code == 200, "liveness stays unlimited"
