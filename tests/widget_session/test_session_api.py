"""POST /api/session issues and renews signed session tokens; anything not issued here is a 401.
A session ends at its maximum age however often it is renewed; a renewal or an erase ends the
old tokens."""
import re
import time
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from assistant.deps import SESSION_INVALID
from assistant.deps import app_settings
from assistant.main import create_app
from assistant.session_registry import SessionRegistry
from assistant.session_tokens import InvalidToken, issue, verify_token
from assistant.sessions import Sessions, sessions_from
from assistant.settings import Settings
from tests.session_fixtures import TEST_SECRET as SECRET, session_store  # noqa: F401 - a fixture

APP_ORIGIN = "http://127.0.0.1:8000"
DAY = 24 * 3600


@pytest.fixture
def settings(session_store) -> Settings:
    return Settings(session_secret=SECRET, session_token_hours=2, session_max_hours=8, allowed_origins=[APP_ORIGIN])


@pytest.fixture
def client(settings):
    app = create_app()
    app.dependency_overrides[app_settings] = lambda: settings
    return TestClient(app)


def claims(token: str):
    return verify_token(token, SECRET, DAY)


def test_an_empty_request_starts_a_new_session_with_a_token_for_it(client):
    before = datetime.now(timezone.utc)
    response = client.post("/api/session")
    assert response.status_code == 200
    grant = response.json()
    assert re.fullmatch(r"[0-9a-f]{32}", grant["session_id"])
    assert claims(grant["token"]).session_id == grant["session_id"]
    expires_at = datetime.fromisoformat(grant["expires_at"])
    assert timedelta(hours=2) - timedelta(seconds=5) <= expires_at - before <= timedelta(hours=2, seconds=5)
    assert client.post("/api/session", json={}).json()["session_id"] != grant["session_id"]


def test_renewing_a_valid_token_keeps_the_session_id(client):
    first = client.post("/api/session").json()
    renewed = client.post("/api/session", json={"token": first["token"]}, headers={"origin": APP_ORIGIN})
    assert renewed.status_code == 200
    assert renewed.json()["session_id"] == first["session_id"]
    assert claims(renewed.json()["token"]).session_id == first["session_id"]


def test_a_renewed_token_replaces_the_old_one_which_cannot_be_renewed_again(client):
    first = client.post("/api/session").json()
    second = client.post("/api/session", json={"token": first["token"]}).json()
    again = client.post("/api/session", json={"token": first["token"]})
    assert again.status_code == 401 and again.json()["detail"] == SESSION_INVALID
    assert client.post("/api/session", json={"token": second["token"]}).status_code == 200


@pytest.mark.parametrize("token", [
    issue("a" * 32, SECRET, -1).token,                  # expired
    issue("a" * 32, "annan-hemlighet-" * 3, 3600).token,  # signed with another secret
    issue("a" * 32, SECRET, 3600).token[:-2] + "xx",     # signature tampered
    issue("a" * 32, SECRET, 10 * 3600, now=time.time() - 9 * 3600).token,  # past the maximum age (8 h)
    "eyJzaWQiOiJhYWFhIn0.abc",                          # forged, no valid signature
    "inget-token",
    "a.é",                                              # non-ASCII: compare_digest would raise
    "é.a", "a.\u0000", "\u00e5" * 100,
# Fixed ids: the tokens hold the time of collection, and pytest-xdist's workers must collect the
# same test names.
], ids=["expired", "other-secret", "tampered", "past-max-age", "forged", "no-token", "non-ascii-signature",
        "non-ascii-payload", "nul", "long-non-ascii"])
def test_an_expired_or_forged_token_is_a_401_in_swedish(client, token):
    response = client.post("/api/session", json={"token": token})
    assert response.status_code == 401 and response.json()["detail"] == SESSION_INVALID


def test_an_oversized_token_is_a_422_not_a_server_error(client):
    assert client.post("/api/session", json={"token": "x" * 10_000}).status_code == 422


def test_a_page_from_another_origin_gets_no_token(client):
    response = client.post("/api/session", headers={"origin": "http://evil.example"})
    assert response.status_code == 403 and "token" not in response.json()


def test_renewals_never_carry_a_session_past_its_maximum_age(session_store, tmp_path):
    sessions = Sessions(SECRET, token_seconds=2 * 3600, max_age_seconds=8 * 3600,
                        registry=SessionRegistry(f"sqlite:///{tmp_path / 'r.db'}"))
    start = 1_000_000.0
    token = sessions.start(now=start)
    now = start
    while True:
        now += 3600  # renewed every hour, as a page left open does
        try:
            token = sessions.renew(token.token, now=now)
        except InvalidToken:
            break
        assert token.expires_at <= start + 8 * 3600, "no token outlives the session"
    assert now - start == 8 * 3600, "the renewal at the maximum age is refused"
    with pytest.raises(InvalidToken):
        sessions.verify(token.token, now=start + 8 * 3600)


def test_erasing_a_conversation_revokes_every_token_of_its_session(client, settings):
    grant = client.post("/api/session").json()
    sessions_from(settings).revoke(grant["session_id"])
    assert client.post("/api/session", json={"token": grant["token"]}).status_code == 401


def test_a_token_proves_only_its_own_session_and_only_until_it_expires():
    token = issue("b" * 32, SECRET, 60, now=1_000).token
    assert verify_token(token, SECRET, DAY, now=1_059).session_id == "b" * 32
    with pytest.raises(InvalidToken):
        verify_token(token, SECRET, DAY, now=1_060)
    payload, signature = token.split(".")
    other_payload = issue("c" * 32, SECRET, 60, now=1_000).token.split(".")[0]
    with pytest.raises(InvalidToken):
        verify_token(f"{other_payload}.{signature}", SECRET, DAY, now=1_000)
    for malformed in (None, 42, "", ".", "a.b.c", "ä.ö", "a.é", "x" * 600):
        with pytest.raises(InvalidToken):
            verify_token(malformed, SECRET, DAY, now=time.time())
