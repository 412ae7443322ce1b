"""POST /api/chat: Swedish 422s for bad input and a Swedish 503 when Rasa cannot be reached."""
import pytest
from fastapi.testclient import TestClient

from assistant.main import create_app
from assistant.processes import free_port
from assistant.settings import Settings, get_settings


@pytest.fixture
def client():
    app = create_app()
    closed_port = free_port()
    app.dependency_overrides[get_settings] = lambda: Settings(rasa_url=f"http://127.0.0.1:{closed_port}", rasa_timeout_seconds=2)
    with TestClient(app) as client:  # runs the lifespan, which opens the shared HTTP client
        yield client


def messages(response) -> list[str]:
    return [error["msg"] for error in response.json()["detail"]]


def test_an_empty_message_is_refused_in_swedish(client):
    response = client.post("/api/chat", json={"sender": "abcdefgh12", "message": "   "})
    assert response.status_code == 422 and messages(response) == ["Meddelandet är tomt."]


def test_a_message_over_4000_characters_is_refused_in_swedish(client):
    response = client.post("/api/chat", json={"sender": "abcdefgh12", "message": "x" * 5000})
    assert response.status_code == 422 and messages(response) == ["Meddelandet är för långt; högst 4000 tecken."]


def test_a_100_kb_body_is_refused_before_it_is_read(client):
    response = client.post("/api/chat", json={"sender": "abcdefgh12", "message": "x" * 100_000})
    assert response.status_code == 413 and "för stor" in response.json()["detail"]


@pytest.mark.parametrize("sender", ["short", "../../etc", "a" * 65, "med mellanslag"])
def test_a_malformed_sender_id_is_refused(client, sender):
    response = client.post("/api/chat", json={"sender": sender, "message": "hej"})
    assert response.status_code == 422 and "sender ska vara" in messages(response)[0]


def test_malformed_json_is_a_422_not_a_server_error(client):
    response = client.post("/api/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_rasa_unreachable_gives_a_swedish_503_that_the_conversation_is_kept(client):
    response = client.post("/api/chat", json={"sender": "abcdefgh12", "message": "hej 😀"})
    assert response.status_code == 503
    assert response.json()["detail"] == "Assistenten kan inte nås just nu. Försök igen om en stund; samtalet finns kvar."


def test_a_message_of_only_control_characters_is_empty(client):
    response = client.post("/api/chat", json={"sender": "abcdefgh12", "message": "\x00\x07\u202e \x1b"})
    assert response.status_code == 422 and messages(response) == ["Meddelandet är tomt."]
