"""The Rasa side refuses to run a socket.io channel it could not secure."""
import secrets

import pytest

from assistant.channels.socketio import SignedSessionSocketIOInput
from assistant.session_tokens import SECRET_ENV
from assistant.settings import get_settings


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_channel_does_not_start_without_the_session_secret(monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    with pytest.raises(RuntimeError, match=SECRET_ENV):
        SignedSessionSocketIOInput.from_credentials({"session_persistence": True})


def test_the_channel_does_not_start_without_session_persistence(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, secrets.token_urlsafe(32))
    with pytest.raises(ValueError, match="session_persistence"):
        SignedSessionSocketIOInput.from_credentials({"session_persistence": False})
    assert SignedSessionSocketIOInput.from_credentials({}).session_persistence is True


def test_the_channel_does_not_start_with_a_weak_secret(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "h" * 43)
    with pytest.raises(ValueError, match="för svag"):
        SignedSessionSocketIOInput.from_credentials({})


def test_the_rest_channel_does_not_start_without_the_session_secret(monkeypatch):
    from assistant.channels.rest import SessionRestInput

    monkeypatch.delenv(SECRET_ENV, raising=False)
    with pytest.raises(RuntimeError, match=SECRET_ENV):
        SessionRestInput.from_credentials(None)
    monkeypatch.setenv(SECRET_ENV, secrets.token_urlsafe(32))
    get_settings.cache_clear()
    assert SessionRestInput.from_credentials(None).sessions.secret == get_settings().session_secret.get_secret_value()
