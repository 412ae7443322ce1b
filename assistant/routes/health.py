"""Liveness (`/api/health`: the app answers) and readiness (`/api/ready`: a chat turn can succeed)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assistant.deps import AppSettings
from assistant.http_client import HttpClient
from assistant.readiness import readiness

router = APIRouter(tags=["health"])


@router.get("/api/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/api/ready")
async def ready(settings: AppSettings, client: HttpClient) -> JSONResponse:
    checks = await readiness(client, settings)
    down = [c.name for c in checks if not c.ok]
    body = {
        "status": "redo" if not down else "inte redo",
        "meddelande": "Alla delar svarar." if not down else "Följande delar svarar inte: " + ", ".join(down) + ".",
        "delar": {c.name: {"ok": c.ok, "detalj": c.detail} for c in checks},
    }
    return JSONResponse(body, status_code=200 if not down else 503)
