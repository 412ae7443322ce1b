"""Rasa's REST channel, open only to the HTTP app and only for the session the user holds.

Rasa 3.6's RestInput takes any `sender` from anyone who reaches the port, so whoever knows a
session id could read or restart that conversation; it also stores client `metadata` unmasked
and logs the whole text of a failed turn. Here every request must carry
- the HTTP app's key (`X-Insatslotsen-App-Key`, derived from INSATSLOTSEN_SESSION_SECRET:
  assistant.session_tokens.app_channel_key), so only the app - which masks and rate-limits -
  can send turns, and
- the user's session token as `Authorization: Bearer`, whose session must be the `sender`.
A message the app tagged as masked by it (`X-Insatslotsen-Masked`) is not masked again; any other
is checked and masked here as in the other channels.
Configured in credentials.yml as `assistant.channels.rest.SessionRestInput:`; the path stays
/webhooks/rest/webhook.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.session_tokens import APP_KEY_HEADER, MASKED_TAG_HEADER, app_key_matches, masked_tag_matches
from assistant.sessions import InvalidToken, Sessions, SessionsUnavailable, channel_sessions
from assistant.stores.health import STORE_DISTURBED_ERROR, TrackerStoreDisturbed
from assistant.user_input import incoming

logger = logging.getLogger(__name__)


def message_text(message: object, masked_tag: Optional[str], secret: str) -> str:
    """The text Rasa gets: as sent where the app's tag says the app checked and masked exactly this
    text (assistant.routes.chat); otherwise checked and masked here, so that the channel stays safe
    on its own. ValueError with a Swedish reason for a message that cannot be sent."""
    if isinstance(message, str) and masked_tag_matches(masked_tag, message, secret):
        return message
    return incoming(message).text


def bearer_of(request: Request) -> Optional[str]:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class SessionRestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SessionRestInput":
        return cls(channel_sessions())

    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions

    def _refuse(self, status: int, reason: str, error: Optional[str] = None) -> HTTPResponse:
        logger.warning("REST channel request refused: %s", reason)
        return response.json({"error": error or reason}, status=status)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("session_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not app_key_matches(request.headers.get(APP_KEY_HEADER), self.sessions.secret):
                return self._refuse(401, "not the HTTP app")
            try:
                session_id = self.sessions.session_of(bearer_of(request))
            except InvalidToken as error:
                return self._refuse(401, f"session token refused ({error})")
            except SessionsUnavailable:
                # The sessions live in the tracker store's database: the store is disturbed.
                return self._refuse(503, "sessions cannot be checked now", STORE_DISTURBED_ERROR)
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - Sanic raises its own InvalidUsage for broken JSON
                body = None
            if not isinstance(body, dict):
                return self._refuse(400, "body is not a JSON object")
            if body.get("sender") != session_id:
                return self._refuse(403, "sender is not the token's session")
            try:
                text = message_text(body.get("message"), request.headers.get(MASKED_TAG_HEADER), self.sessions.secret)
            except ValueError as error:
                return self._refuse(400, str(error))
            collector = CollectingOutputChannel()
            # No metadata and no client-chosen input channel: both would be stored as sent.
            try:
                await on_new_message(UserMessage(text, collector, session_id, input_channel=self.name()))
            except TrackerStoreDisturbed:
                # Nothing of the turn was kept (Rasa workaround 11); what was said is not sent.
                return self._refuse(503, f"{STORE_DISTURBED_ERROR} during the turn of {session_id}", STORE_DISTURBED_ERROR)
            except (asyncio.CancelledError, Exception) as error:  # noqa: BLE001
                # As Rasa's channel: answer with what was said so far; unlike it, never log the text.
                logger.error("REST turn of %s failed: %s", session_id, type(error).__name__)
            return response.json(collector.messages)

        return webhook
