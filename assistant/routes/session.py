"""POST /api/session: the widget's signed session token, new or renewed for the same conversation."""
from datetime import datetime, timezone
from typing import Annotated, Optional

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from pydantic import BaseModel, constr

from assistant.origins import origin_allowed
from assistant.session_tokens import MAX_TOKEN_CHARS, InvalidToken, issue, new_session_id, verify
from assistant.settings import Settings, get_settings

router = APIRouter(tags=["session"])

AppSettings = Annotated[Settings, Depends(get_settings)]

SESSION_INVALID = "Sessionen är ogiltig eller har gått ut. Starta en ny session (ladda om sidan)."


class SessionRenewal(BaseModel):
    token: Optional[constr(max_length=MAX_TOKEN_CHARS)] = None


class SessionGrant(BaseModel):
    session_id: str
    token: str
    expires_at: datetime


@router.post("/api/session", response_model=SessionGrant)
def session(
    request: Request, settings: AppSettings, body: Annotated[Optional[SessionRenewal], Body()] = None
) -> SessionGrant:
    # Another site's page must not obtain a token for its visitor (the socket.io proxy checks the
    # same list); requests without Origin come from tools, not from a page in a browser.
    origin = request.headers.get("origin")
    if origin is not None and not origin_allowed(origin, settings.allowed_origins):
        raise HTTPException(status_code=403, detail="Sidan får inte starta en session här.")
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
