"""The HTTP app in-process for the fuzz tests: a stand-in for Rasa's REST channel and Teams proxy
(answers like Rasa, or fails like it), sessions in a temporary database, limits off so every
generated request reaches its route."""
from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant import deps
from assistant.http_client import get_client, get_rasa
from assistant.main import create_app
from assistant.settings import Settings, get_settings
from tests.session_fixtures import TEST_SECRET


def rasa_stand_in(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/webhooks/rest/webhook":
        return httpx.Response(200, json=[{"recipient_id": "x", "text": "svar"}])
    return httpx.Response(202, json={"status": "accepted"})


@pytest.fixture(scope="module")
def app_settings(tmp_path_factory) -> Settings:
    return Settings(
        rasa_url="http://rasa.invalid", action_server_url="http://actions.invalid", session_secret=TEST_SECRET,
        rate_limit_per_minute=0, chat_turns_per_minute=0, feedback_db=f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'f.db'}",
    )


@pytest.fixture(scope="module")
def app(app_settings, tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRACKER_DB", str(tmp_path_factory.mktemp("fuzz-sessions") / "tracker.db"))
        # The middleware reads its limits when the app is built.
        env.setenv("INSATSLOTSEN_RATE_LIMIT_PER_MINUTE", "0")
        get_settings.cache_clear()
        try:
            app = create_app()
        finally:
            get_settings.cache_clear()
        app.dependency_overrides[deps.app_settings] = lambda: app_settings
        transport = httpx.MockTransport(rasa_stand_in)
        app.dependency_overrides[get_client] = lambda: httpx.AsyncClient(transport=transport)
        app.dependency_overrides[get_rasa] = lambda: transport
        yield app


@pytest.fixture(scope="module")
def client(app) -> TestClient:
    # raise_server_exceptions=False: a crash must show as the 500 a browser would get.
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def session(client) -> dict:
    return client.post("/api/session").json()
