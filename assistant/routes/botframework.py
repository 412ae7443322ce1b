"""POST /webhooks/botframework/webhook: the Teams messaging endpoint, proxied to Rasa on loopback.

Rasa listens on 127.0.0.1 only; this is the one Bot Framework path the intranet-facing app lets
through. The body-size cap and rate limit of every public endpoint (assistant/http_guards.py)
hold here before Rasa (whose own limit is 100 MB) reads anything. Authentication is the
channel's (assistant/channels/botframework.py): the Authorization header goes through unchanged,
and so does Rasa's status code – a refused token stays a 401.
"""
import httpx
from fastapi import APIRouter, HTTPException, Request, Response

from assistant.deps import AppSettings
from assistant.http_client import HttpClient

router = APIRouter(tags=["teams"])

WEBHOOK_PATH = "/webhooks/botframework/webhook"


@router.post(WEBHOOK_PATH, include_in_schema=False)
async def botframework_webhook(request: Request, settings: AppSettings, client: HttpClient) -> Response:
    headers = {"Content-Type": "application/json"}
    if "authorization" in request.headers:
        headers["Authorization"] = request.headers["authorization"]
    body = await request.body()
    try:
        reply = await client.post(f"{settings.rasa_url}{WEBHOOK_PATH}", content=body, headers=headers,
                                  timeout=settings.rasa_timeout_seconds)
    except httpx.HTTPError:
        raise HTTPException(status_code=503, detail="Assistenten kan inte nås just nu.")
    return Response(content=reply.content, status_code=reply.status_code, media_type=reply.headers.get("content-type"))
