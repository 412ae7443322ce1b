"""Dependencies handlers ask for by type: `def search(retriever: Retriever): ...`."""
import logging
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from assistant.sessions import InvalidToken, Sessions, SessionsUnavailable, sessions_from
from assistant.settings import Settings, get_settings
from assistant.stores.engines import blocking_query
from assistant.stores.health import STORE_DISTURBED_MESSAGE
from knowledge.retrieval import IndexMissingError, load_retriever
from knowledge.retrieval.search import Retriever as HybridRetriever

logger = logging.getLogger(__name__)

SESSION_INVALID = "Sessionen är ogiltig eller har gått ut. Starta en ny session (ladda om sidan)."


def get_retriever() -> HybridRetriever:
    """The loaded search index and model; 503 naming the rebuild command if there is no usable index."""
    try:
        return load_retriever()
    except IndexMissingError as error:
        raise HTTPException(status_code=503, detail=str(error)) from None


Retriever = Annotated[HybridRetriever, Depends(get_retriever)]

# async, as every dependency here: FastAPI runs a plain function in a worker thread on every
# request, and a hop costs more than the cached settings (and, under load, waits for the GIL).
async def app_settings() -> Settings:
    return get_settings()


AppSettings = Annotated[Settings, Depends(app_settings)]


# async: no I/O (the endpoints file is parsed once), so no worker thread per request.
async def get_sessions(settings: AppSettings) -> Sessions:
    return sessions_from(settings)


AppSessions = Annotated[Sessions, Depends(get_sessions)]


def bearer(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def session_unavailable() -> HTTPException:
    return HTTPException(status_code=503, detail=STORE_DISTURBED_MESSAGE)


async def get_session_id(request: Request, sessions: AppSessions) -> str:
    """The session whose current token the request carries as `Authorization: Bearer`; 401 otherwise."""
    try:
        return await blocking_query(sessions.registry.url, sessions.session_of, bearer(request))
    except InvalidToken:
        raise HTTPException(status_code=401, detail=SESSION_INVALID,
                            headers={"WWW-Authenticate": "Bearer"}) from None
    except SessionsUnavailable as error:
        # The sessions are in the tracker store's database; the line operators alert on.
        logger.error("tracker store unreachable: the session of a request cannot be checked (%s)", error)
        raise session_unavailable() from None


SessionId = Annotated[str, Depends(get_session_id)]
