"""Liveness (`/api/health`: the app answers) and readiness (`/api/ready`: a chat turn can succeed).

Anyone on the intranet may ask whether the assistant is ready; which part is down, and why (a
database address, a driver's error), only an operator holding INSATSLOTSEN_OPERATOR_TOKEN learns.
"""
import hmac

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from assistant.deps import AppSettings, bearer
from assistant.http_client import HttpClient
from assistant.readiness import readiness

router = APIRouter(tags=["health"])

OPERATOR_TOKEN_REFUSED = "Fel driftstoken för /api/ready; utan token visas bara status."


@router.get("/api/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


def _is_operator(request: Request, settings: AppSettings) -> bool:
    presented = bearer(request)
    if presented is None and "authorization" not in request.headers:
        return False
    expected = settings.operator_token.get_secret_value() if settings.operator_token else None
    if expected is None or presented is None or not presented.isascii() or not hmac.compare_digest(
            presented.encode("ascii"), expected.encode("ascii")):
        raise HTTPException(status_code=401, detail=OPERATOR_TOKEN_REFUSED, headers={"WWW-Authenticate": "Bearer"})
    return True


@router.get("/api/ready")
async def ready(request: Request, settings: AppSettings, client: HttpClient) -> JSONResponse:
    operator = _is_operator(request, settings)
    checks = await readiness(client, settings)
    down = [c.name for c in checks if not c.ok]
    body = {"status": "redo" if not down else "inte redo"}
    if operator:
        body["meddelande"] = "Alla delar svarar." if not down else "Följande delar svarar inte: " + ", ".join(down) + "."
        body["delar"] = {c.name: {"ok": c.ok, "detalj": c.detail} for c in checks}
    return JSONResponse(body, status_code=200 if not down else 503)
