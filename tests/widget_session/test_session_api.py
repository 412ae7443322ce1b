"""POST /api/session issues and renews signed session tokens; anything not issued here is a 401."""
import re
import time
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from assistant.main import create_app
from assistant.routes.session import SESSION_INVALID
from assistant.session_tokens import InvalidToken, issue, verify
from assistant.settings import Settings, get_settings

SECRET = "s" * 43
APP_ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture
def client():
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: Settings(
        session_secret=SECRET, session_token_hours=2, allowed_origins=[APP_ORIGIN]
    )
    return TestClient(app)


def test_an_empty_request_starts_a_new_session_with_a_token_for_it(client):
    before = datetime.now(timezone.utc)
    response = client.post("/api/session")
    assert response.status_code == 200
    grant = response.json()
    assert re.fullmatch(r"[0-9a-f]{32}", grant["session_id"])
    assert verify(grant["token"], SECRET) == grant["session_id"]
    expires_at = datetime.fromisoformat(grant["expires_at"])
    assert timedelta(hours=2) - timedelta(seconds=5) <= expires_at - before <= timedelta(hours=2, seconds=5)
    assert client.post("/api/session", json={}).json()["session_id"] != grant["session_id"]


def test_renewing_a_valid_token_keeps_the_session_id(client):
    first = client.post("/api/session").json()
    renewed = client.post("/api/session", json={"token": first["token"]}, headers={"origin": APP_ORIGIN})
    assert renewed.status_code == 200
    assert renewed.json()["session_id"] == first["session_id"]
    assert verify(renewed.json()["token"], SECRET) == first["session_id"]


@pytest.mark.parametrize("token", [
    issue("a" * 32, SECRET, -1).token,                  # expired
    issue("a" * 32, "annan-hemlighet-" * 3, 3600).token,  # signed with another secret
    issue("a" * 32, SECRET, 3600).token[:-2] + "xx",     # signature tampered
    "eyJzaWQiOiJhYWFhIn0.abc",                          # forged, no valid signature
    "inget-token",
])
def test_an_expired_or_forged_token_is_a_401_in_swedish(client, token):
    response = client.post("/api/session", json={"token": token})
    assert response.status_code == 401 and response.json()["detail"] == SESSION_INVALID


def test_an_oversized_token_is_a_422_not_a_server_error(client):
    assert client.post("/api/session", json={"token": "x" * 10_000}).status_code == 422


def test_a_page_from_another_origin_gets_no_token(client):
    response = client.post("/api/session", headers={"origin": "http://evil.example"})
    assert response.status_code == 403 and "token" not in response.json()


def test_a_token_proves_only_its_own_session_and_only_until_it_expires():
    token = issue("b" * 32, SECRET, 60, now=1_000).token
    assert verify(token, SECRET, now=1_059) == "b" * 32
    with pytest.raises(InvalidToken):
        verify(token, SECRET, now=1_060)
    payload, signature = token.split(".")
    other_payload = issue("c" * 32, SECRET, 60, now=1_000).token.split(".")[0]
    with pytest.raises(InvalidToken):
        verify(f"{other_payload}.{signature}", SECRET, now=1_000)
    for malformed in (None, 42, "", ".", "a.b.c", "ä.ö", "x" * 600):
        with pytest.raises(InvalidToken):
            verify(malformed, SECRET, now=time.time())
