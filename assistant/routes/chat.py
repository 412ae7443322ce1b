"""POST /api/chat: the chat page's way to the Rasa server's REST channel."""
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, constr

from assistant.settings import Settings, get_settings

router = APIRouter(tags=["chat"])

AppSettings = Annotated[Settings, Depends(get_settings)]


class ChatMessage(BaseModel):
    sender: constr(strip_whitespace=True, min_length=8, max_length=64, regex=r"^[A-Za-z0-9_-]+$")
    message: constr(strip_whitespace=True, min_length=1, max_length=4000)


@router.post("/api/chat")
async def chat(body: ChatMessage, settings: AppSettings) -> list[dict[str, Any]]:
    try:
        async with httpx.AsyncClient(timeout=settings.rasa_timeout_seconds) as client:
            response = await client.post(
                f"{settings.rasa_url}/webhooks/rest/webhook",
                json={"sender": body.sender, "message": body.message},
            )
            response.raise_for_status()
    except httpx.HTTPError:
        raise HTTPException(
            status_code=503,
            detail="Assistenten kan inte nås just nu. Försök igen om en stund; samtalet finns kvar.",
        )
    return response.json()
