"""/api/health answers while the process lives; /api/ready names, in Swedish, each part that is down."""
import pytest
from fastapi.testclient import TestClient

from assistant.main import create_app
from assistant.processes import free_port
from assistant.settings import Settings, get_settings


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "saknas.db"))  # endpoints.yml's embedded SQLite
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: Settings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        action_server_url=f"http://127.0.0.1:{free_port()}",
    )
    with TestClient(app) as client:
        yield client


def test_liveness_does_not_depend_on_the_other_processes(client):
    assert client.get("/api/health").json() == {"status": "ok"}


def test_readiness_is_503_and_names_every_part_that_is_down(client):
    response = client.get("/api/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "inte redo"
    assert body["meddelande"] == "Följande delar svarar inte: rasa, actionserver, samtalslager."
    assert body["delar"]["sokindex"] == {"ok": True, "detalj": "inläst"}
