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
from assistant.personal_data import mask
from assistant.readiness import action_server_reachable
from assistant.user_input import IDENTIFIER_NOTICE, KNOWLEDGE_UNREACHABLE, WarnedSenders, checked_message

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


@router.post("/api/chat")
async def chat(body: ChatMessage, settings: AppSettings, client: HttpClient) -> list[dict[str, Any]]:
    masked = mask(body.message)
    try:
        response = await client.post(
            f"{settings.rasa_url}/webhooks/rest/webhook",
            json={"sender": body.sender, "message": masked.text},
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
    if not replies and not await action_server_reachable(client, settings):
        logger.warning("Actionservern svarar inte; användaren ombads skicka meddelandet igen")
        replies = [{"recipient_id": body.sender, "text": KNOWLEDGE_UNREACHABLE}]
    if masked.changed and warned.first_time(body.sender):
        replies.insert(0, {"recipient_id": body.sender, "text": IDENTIFIER_NOTICE})
    return replies
