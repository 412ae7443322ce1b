"""POST /api/session: a signed session token, new or renewed for the same conversation."""
from datetime import datetime, timezone
from typing import Annotated, Optional

from fastapi import APIRouter, Body, HTTPException
from pydantic import BaseModel, constr

from assistant.deps import SESSION_INVALID, AppSessions, session_unavailable
from assistant.sessions import InvalidToken, SessionsUnavailable
from assistant.session_tokens import MAX_TOKEN_CHARS
from assistant.stores.engines import blocking_query

router = APIRouter(tags=["session"])


class SessionRenewal(BaseModel):
    token: Optional[constr(max_length=MAX_TOKEN_CHARS)] = None


class SessionGrant(BaseModel):
    session_id: str
    token: str
    expires_at: datetime


# async: a plain function ran in a worker thread for every new conversation; a new token is only
# signed, and a renewal's registry update goes to a worker thread where the database is a server.
@router.post("/api/session", response_model=SessionGrant)
async def session(sessions: AppSessions, body: Annotated[Optional[SessionRenewal], Body()] = None) -> SessionGrant:
    # A page on another origin is turned away by http_guards.OriginAllowList before this runs.
    if body is not None and body.token is not None:
        try:
            granted = await blocking_query(sessions.registry.url, sessions.renew, body.token)
        except InvalidToken:
            raise HTTPException(status_code=401, detail=SESSION_INVALID) from None
        except SessionsUnavailable:
            raise session_unavailable() from None
    else:
        granted = sessions.start()
    return SessionGrant(
        session_id=granted.session_id,
        token=granted.token,
        expires_at=datetime.fromtimestamp(granted.expires_at, tz=timezone.utc),
    )
