"""A test's way to talk to a running stack: through the HTTP app's /api/chat with a session from
POST /api/session, or straight to Rasa's REST channel the way the app does (app key and a session
token signed with the stack's secret)."""
from __future__ import annotations

import secrets

import httpx

from assistant.session_tokens import APP_KEY_HEADER, app_channel_key, issue, new_session_id


# Given to the HTTP app of a test stack as INSATSLOTSEN_OPERATOR_TOKEN: /api/ready's details.
OPERATOR_TOKEN = secrets.token_urlsafe(32)
OPERATOR_ENV = {"INSATSLOTSEN_OPERATOR_TOKEN": OPERATOR_TOKEN}


def ready(api_url: str, timeout: float = 30) -> httpx.Response:
    """GET /api/ready as an operator, with the details of every part."""
    return httpx.get(f"{api_url}/api/ready", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}, timeout=timeout)


def rasa_rest_session(secret: str) -> tuple[str, dict[str, str]]:
    """A fresh session id and the headers Rasa's REST channel accepts for it."""
    token = issue(new_session_id(), secret, 3600)
    return token.session_id, {"Authorization": f"Bearer {token.token}", APP_KEY_HEADER: app_channel_key(secret)}


def app_session(api_url: str) -> tuple[str, dict[str, str]]:
    """A session from the HTTP app, and the Authorization header /api/chat wants with it."""
    response = httpx.post(f"{api_url}/api/session", timeout=30)
    response.raise_for_status()
    grant = response.json()
    return grant["session_id"], {"Authorization": f"Bearer {grant['token']}"}


class Conversation:
    """One session talking to /api/chat or to Rasa's REST channel; `say` returns the bot's messages."""

    def __init__(self, url: str, secret: str | None = None) -> None:
        self.url = url
        if url.endswith("/api/chat"):
            self.sender, self.headers = app_session(url.removesuffix("/api/chat"))
        else:
            if secret is None:
                raise ValueError("Rasa's REST channel needs the stack's session secret")
            self.sender, self.headers = rasa_rest_session(secret)

    def post(self, body: dict, timeout: float = 60) -> httpx.Response:
        return httpx.post(self.url, json=body, headers=self.headers, timeout=timeout)

    def say(self, message: str) -> list[dict]:
        response = self.post({"sender": self.sender, "message": message})
        response.raise_for_status()
        return response.json()

    def texts(self, message: str) -> str:
        return "\n".join(m["text"] for m in self.say(message) if "text" in m)
