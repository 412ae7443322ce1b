"""The session secret: one per development start, shared by the HTTP app and Rasa; required in production."""
import os
import secrets
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from assistant.main import create_app
from assistant.processes import ROOT, api_server, rasa_server
from assistant.session_tokens import SECRET_ENV
from assistant.settings import Settings, get_settings


def test_the_http_app_and_rasa_get_the_same_generated_secret_in_development(tmp_path, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    get_settings.cache_clear()
    try:
        api, rasa = api_server(1, 2), rasa_server(2, 3, tmp_path / "t.db")
        assert len(api.env[SECRET_ENV]) >= 32 and api.env[SECRET_ENV] == rasa.env[SECRET_ENV]
        get_settings.cache_clear()
        assert rasa_server(2, 3, tmp_path / "t.db").env[SECRET_ENV] != api.env[SECRET_ENV], "new start, new secret"
    finally:
        get_settings.cache_clear()


def test_the_default_allowed_origins_are_where_this_start_serves_the_page(monkeypatch):
    monkeypatch.delenv("INSATSLOTSEN_ALLOWED_ORIGINS", raising=False)
    get_settings.cache_clear()
    try:
        assert api_server(8123, 2).env["INSATSLOTSEN_ALLOWED_ORIGINS"] == "http://127.0.0.1:8123,http://localhost:8123"
        monkeypatch.setenv("INSATSLOTSEN_ALLOWED_ORIGINS", "https://intranat.stockholm.se")
        get_settings.cache_clear()
        assert api_server(8123, 2).env["INSATSLOTSEN_ALLOWED_ORIGINS"] == "https://intranat.stockholm.se"
    finally:
        get_settings.cache_clear()


def test_production_without_a_secret_refuses_settings_with_a_clear_message():
    with pytest.raises(ValidationError, match=f"{SECRET_ENV} måste sättas i produktion"):
        Settings(environment="production", session_secret=None)
    strong = secrets.token_urlsafe(32)
    assert Settings(environment="production", session_secret=strong).session_secret.get_secret_value() == strong


@pytest.mark.parametrize("weak", [
    "kort",
    "p" * 64,                                # long, one character
    "abcdefghijklmnop" * 4,                  # long, one repeated block
    "Sommar2024!Sommar2024!Sommar2024!",     # a password, three times
    "annan-hemlighet-" * 3,
])
def test_a_long_but_guessable_secret_is_refused_by_its_strength_not_its_length(weak):
    with pytest.raises(ValidationError, match="för svag"):
        Settings(environment="production", session_secret=weak)


@pytest.mark.parametrize("hours, field", [(25, "session_token_hours"), (0, "session_token_hours"),
                                          (24 * 8, "session_max_hours"), (0.5, "session_max_hours")])
def test_session_lifetimes_are_bounded(hours, field):
    with pytest.raises(ValidationError, match=field):
        Settings(**{field: hours})
    with pytest.raises(ValidationError, match="session_max_hours"):
        Settings(session_token_hours=12, session_max_hours=6)


def test_allowed_origins_are_read_from_a_comma_separated_variable(monkeypatch):
    monkeypatch.setenv("INSATSLOTSEN_ALLOWED_ORIGINS", "https://a.example/, http://b.example:8080")
    assert Settings().allowed_origins == ["https://a.example", "http://b.example:8080"]
    monkeypatch.setenv("INSATSLOTSEN_ALLOWED_ORIGINS", "intranat")
    with pytest.raises(ValidationError, match="ingen origin"):
        Settings()


def test_assistant_run_in_production_without_a_secret_stops_before_starting_anything():
    env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "run", "--port", "1"],
        cwd=ROOT, env={**env, "INSATSLOTSEN_ENVIRONMENT": "production"}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert f"{SECRET_ENV} måste sättas i produktion" in result.stderr


def test_the_http_app_does_not_start_in_production_without_a_secret(monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    monkeypatch.setenv("INSATSLOTSEN_ENVIRONMENT", "production")
    get_settings.cache_clear()
    try:
        with pytest.raises(ValidationError, match=SECRET_ENV):
            with TestClient(create_app()):
                pass
    finally:
        get_settings.cache_clear()
