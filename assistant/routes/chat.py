"""POST /api/chat: the chat page's way to the Rasa server's REST channel.

Identifiers are masked here, before the message reaches Rasa, so the tracker store, the logs
and the action server only ever see placeholders.
"""
import logging
import re
from typing import Any

import httpx
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, validator

from assistant.deps import AppSettings
from assistant.http_client import HttpClient
from assistant.readiness import action_server_reachable
from assistant.settings import Settings
from assistant.stores.health import STORE_DISTURBED_MESSAGE, tracker_store_outage
from assistant.user_input import KNOWLEDGE_UNREACHABLE, WarnedSenders, checked_message, incoming

router = APIRouter(tags=["chat"])
logger = logging.getLogger(__name__)

warned = WarnedSenders()

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


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


async def _refuse_during_store_outage(settings: Settings) -> None:
    # Rasa would answer during a tracker store outage from an empty or in-memory conversation and
    # lose the turn; so no turn is sent while the store is down, and a turn during which it went
    # down is reported instead of answered (docs/stores.md).
    if await tracker_store_outage(settings.endpoints_file):
        raise HTTPException(status_code=503, detail=STORE_DISTURBED_MESSAGE)


@router.post("/api/chat")
async def chat(body: ChatMessage, settings: AppSettings, client: HttpClient) -> list[dict[str, Any]]:
    message = incoming(body.message)
    await _refuse_during_store_outage(settings)
    try:
        response = await client.post(
            f"{settings.rasa_url}/webhooks/rest/webhook",
            json={"sender": body.sender, "message": message.text},
            timeout=settings.rasa_timeout_seconds,
        )
        response.raise_for_status()
        replies = response.json()
    except (httpx.HTTPError, ValueError):
        logger.warning("Rasa-servern svarade inte på ett chattmeddelande")
        raise HTTPException(
            status_code=503,
            detail="Assistenten kan inte nås just nu. Försök igen om en stund; samtalet finns kvar.",
        )
    await _refuse_during_store_outage(settings)
    if not replies and not await action_server_reachable(client, settings):
        logger.warning("Actionservern svarar inte; användaren ombads skicka meddelandet igen")
        replies = [{"recipient_id": body.sender, "text": KNOWLEDGE_UNREACHABLE}]
    notice = warned.notice_for(body.sender, message.kinds)
    if notice:
        replies.insert(0, {"recipient_id": body.sender, "text": notice})
    return replies
