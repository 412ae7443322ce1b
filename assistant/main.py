"""Builds the FastAPI app: the API routers and the chat page."""
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from assistant.routes import routers

STATIC_DIR = Path(__file__).parent / "static"


def create_app() -> FastAPI:
    app = FastAPI(title="Insatslotsen", version="0.1.0")
    for router in routers:
        app.include_router(router)
    app.mount("/", StaticFiles(directory=STATIC_DIR, html=True), name="page")
    return app


app = create_app()
