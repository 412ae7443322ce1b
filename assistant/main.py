"""Builds the FastAPI app: the API routers and the chat page."""
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from assistant.routes import routers
from assistant.settings import get_settings
from knowledge.retrieval import load_retriever

STATIC_DIR = Path(__file__).parent / "static"


@asynccontextmanager
async def _load_knowledge(app: FastAPI):
    # Load the index and model before serving: a missing or stale index stops the start with
    # IndexMissingError naming the rebuild command, and the first search is not slow. Invalid
    # settings (such as no session secret in production) stop the start too.
    get_settings()
    load_retriever()
    yield


def create_app() -> FastAPI:
    app = FastAPI(title="Insatslotsen", version="0.1.0", lifespan=_load_knowledge)
    for router in routers:
        app.include_router(router)
    app.mount("/", StaticFiles(directory=STATIC_DIR, html=True), name="page")
    return app


app = create_app()
