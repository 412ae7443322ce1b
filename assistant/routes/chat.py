"""POST /api/chat: the chat page's way to the Rasa server's REST channel.

The conversation is the one the `Authorization: Bearer` session token was issued for (POST
/api/session); a `sender` naming any other is refused, so knowing a session id is not enough to
read, change or restart that conversation. Turns are limited per session, whatever address they
come from. Identifiers are masked here, before the message reaches Rasa, so the tracker store,
the logs and the action server only ever see placeholders.
"""
import logging
import math
import re
from functools import lru_cache
from typing import Any

import httpx
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, validator

from assistant.deps import AppSettings, SessionId
from assistant.http_client import HttpClient, RasaTransport
from assistant.http_guards import TOO_MANY_REQUESTS, Buckets
from assistant.readiness import action_server_reachable
from assistant.session_tokens import APP_KEY_HEADER, MASKED_TAG_HEADER, app_channel_key, masked_text_tag
from assistant.settings import Settings
from assistant.stores.health import STORE_DISTURBED_ERROR, STORE_DISTURBED_MESSAGE
from assistant.user_input import KNOWLEDGE_UNREACHABLE, WarnedSenders, checked_message, incoming

router = APIRouter(tags=["chat"])
logger = logging.getLogger(__name__)

warned = WarnedSenders()

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
NOT_YOUR_SESSION = "Sessionen i sender är inte den som din sessionstoken gäller för."
_turn_budgets: dict[tuple[int, int], Buckets] = {}


def _turn_budget(settings: Settings) -> Buckets:
    key = (settings.chat_turns_per_minute, settings.chat_turns_burst)
    return _turn_budgets.setdefault(key, Buckets(*key))


class ChatMessage(BaseModel):
    sender: str
    message: str

    @validator("sender")
    def _sender(cls, value: str) -> str:
        if not SENDER_PATTERN.match(value):
            raise ValueError("sender ska vara 8–64 tecken: bokstäverna a–z, siffror, - eller _.")
        return value

    @validator("message")
    def _message(cls, value: str) -> str:
        return checked_message(value)


# Parsed once: httpx parses a URL given as text on every request (about 0.2 ms of a turn).
@lru_cache(maxsize=4)
def _webhook(rasa_url: str) -> httpx.URL:
    return httpx.URL(f"{rasa_url}/webhooks/rest/webhook")


def _store_disturbed(response: httpx.Response) -> bool:
    """Rasa's REST channel answers 503 with this error when the tracker store could not read or
    save the turn (Rasa workaround 11), or when the sessions in its database cannot be checked:
    nothing of the turn was kept (docs/stores.md)."""
    if response.status_code != 503:
        return False
    try:
        return response.json().get("error") == STORE_DISTURBED_ERROR
    except (ValueError, AttributeError):
        return False


def _json_list(body: bytes) -> bool:
    # What Rasa's REST channel answers; anything else (an error page) is not passed on.
    return body.startswith(b"[") and body.endswith(b"]")


# The replies are returned as they came from Rasa, not decoded and encoded again: a recommendation
# is ~40 kB of JSON, and FastAPI's own encoding walked every nested value of it (about 3 ms of the
# app's CPU per turn). They are decoded only when a notice is added.
@router.post("/api/chat", response_model=list[dict[str, Any]])
async def chat(body: ChatMessage, session_id: SessionId, request: Request, settings: AppSettings,
               rasa: RasaTransport, client: HttpClient) -> Response:
    if body.sender != session_id:
        logger.warning("chat turn refused: sender is not the session of the token")
        raise HTTPException(status_code=403, detail=NOT_YOUR_SESSION)
    wait = _turn_budget(settings).take(session_id)
    if wait > 0:
        raise HTTPException(status_code=429, detail=TOO_MANY_REQUESTS, headers={"Retry-After": str(math.ceil(wait))})
    message = incoming(body.message)
    secret = settings.session_secret.get_secret_value()
    to_rasa = httpx.Request(
        "POST", _webhook(settings.rasa_url), json={"sender": session_id, "message": message.text},
        headers={"Authorization": request.headers["authorization"], APP_KEY_HEADER: app_channel_key(secret),
                 MASKED_TAG_HEADER: masked_text_tag(message.text, secret)},
        extensions={"timeout": httpx.Timeout(settings.rasa_timeout_seconds).as_dict()},
    )
    try:
        response = await rasa.handle_async_request(to_rasa)
        response.request = to_rasa
        await response.aread()
        if _store_disturbed(response):
            raise HTTPException(status_code=503, detail=STORE_DISTURBED_MESSAGE)
        response.raise_for_status()
        content = response.content.strip()
        if not _json_list(content):
            raise ValueError("not a JSON list")
    except (httpx.HTTPError, ValueError):
        logger.warning("Rasa-servern svarade inte på ett chattmeddelande")
        raise HTTPException(
            status_code=503,
            detail="Assistenten kan inte nås just nu. Försök igen om en stund; samtalet finns kvar.",
        )
    answered = content != b"[]"
    notice = warned.notice_for(body.sender, message.kinds)
    if answered and not notice:
        return Response(response.content, media_type="application/json")
    replies = response.json() if answered else []
    if not answered and not await action_server_reachable(client, settings):
        logger.warning("Actionservern svarar inte; användaren ombads skicka meddelandet igen")
        replies = [{"recipient_id": body.sender, "text": KNOWLEDGE_UNREACHABLE}]
    if notice:
        replies.insert(0, {"recipient_id": body.sender, "text": notice})
    return JSONResponse(replies)
