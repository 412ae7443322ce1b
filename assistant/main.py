"""Builds the FastAPI app: the API routers and the chat page."""
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from assistant.http_client import open_client
from assistant.http_guards import BodySizeCap, OriginAllowList, RateLimit
from assistant.routes import routers
from assistant.settings import get_settings
from knowledge.retrieval import IndexMissingError, load_retriever

STATIC_DIR = Path(__file__).parent / "static"
logger = logging.getLogger(__name__)


@asynccontextmanager
async def _load_knowledge(app: FastAPI):
    # Load the index and model before serving: a missing or stale index stops the start with
    # IndexMissingError naming the rebuild command, and the first search is not slow.
    try:
        load_retriever()
    except IndexMissingError as error:
        logger.error("%s", error)  # one plain line naming the rebuild command, before uvicorn's traceback
        raise
    async with open_client() as app.state.http:
        yield


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(title="Insatslotsen", version="0.1.0", lifespan=_load_knowledge)
    for router in routers:
        app.include_router(router)
    # The last added runs first: a flood is turned away before anything reads a body.
    app.add_middleware(CORSMiddleware, allow_origins=settings.allowed_origins,
                       allow_methods=["GET", "POST"], allow_headers=["content-type"])
    app.add_middleware(BodySizeCap, max_bytes=settings.max_body_bytes)
    app.add_middleware(OriginAllowList, allowed_origins=settings.allowed_origins)
    app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst,
                       trusted_proxies=settings.trusted_proxies)
    app.mount("/", StaticFiles(directory=STATIC_DIR, html=True), name="page")
    return app


app = create_app()
