"""POST /api/session: the widget's signed session token, new or renewed for the same conversation."""
from datetime import datetime, timezone
from typing import Annotated, Optional

from fastapi import APIRouter, Body, HTTPException
from pydantic import BaseModel, constr

from assistant.session_tokens import MAX_TOKEN_CHARS, InvalidToken, issue, new_session_id, verify
from assistant.deps import AppSettings

router = APIRouter(tags=["session"])

SESSION_INVALID = "Sessionen är ogiltig eller har gått ut. Starta en ny session (ladda om sidan)."


class SessionRenewal(BaseModel):
    token: Optional[constr(max_length=MAX_TOKEN_CHARS)] = None


class SessionGrant(BaseModel):
    session_id: str
    token: str
    expires_at: datetime


@router.post("/api/session", response_model=SessionGrant)
def session(settings: AppSettings, body: Annotated[Optional[SessionRenewal], Body()] = None) -> SessionGrant:
    # A page on another origin is turned away by http_guards.OriginAllowList before this runs.
    secret = settings.session_secret.get_secret_value()
    if body is not None and body.token is not None:
        try:
            session_id = verify(body.token, secret)
        except InvalidToken:
            raise HTTPException(status_code=401, detail=SESSION_INVALID) from None
    else:
        session_id = new_session_id()
    granted = issue(session_id, secret, settings.session_token_hours * 3600)
    return SessionGrant(
        session_id=granted.session_id,
        token=granted.token,
        expires_at=datetime.fromtimestamp(granted.expires_at, tz=timezone.utc),
    )
