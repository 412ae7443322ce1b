"""Builds the FastAPI app: the API routers, the passage pages and the chat widget."""
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from assistant.collector import freeze_start_up_objects, thaw_start_up_objects
from assistant.http_client import open_client, rasa_transport
from assistant.http_guards import BodySizeCap, OriginAllowList, RateLimit
from assistant.routes import routers
from assistant.settings import get_settings
from assistant.user_input import load_masking
from knowledge.retrieval import IndexMissingError, load_retriever

logger = logging.getLogger(__name__)

WIDGET_NOT_BUILT = (
    "<!doctype html><html lang=\"sv\"><meta charset=\"utf-8\"><title>Insatslotsen</title>"
    "<main><h1>Chattwidgeten är inte byggd</h1><p>Kör <code>make widget</code> (eller <code>make run</code>) "
    "och ladda om sidan.</p></main></html>"
)


@asynccontextmanager
async def _load_knowledge(app: FastAPI):
    # Load the index and model before serving: a missing or stale index stops the start with
    # IndexMissingError naming the rebuild command, and the first search is not slow.
    try:
        load_retriever()
    except IndexMissingError as error:
        logger.error("%s", error)  # one plain line naming the rebuild command, before uvicorn's traceback
        raise
    load_masking()
    freeze_start_up_objects()
    try:
        rasa_url = get_settings().rasa_url
        app.state.rasa = rasa_transport(rasa_url)
        async with open_client(rasa_url, app.state.rasa) as app.state.http:
            yield
    finally:
        thaw_start_up_objects()


def _serve_widget(app: FastAPI, widget_dir: Path) -> None:
    if (widget_dir / "index.html").is_file():
        app.mount("/", StaticFiles(directory=widget_dir, html=True), name="widget")
        return

    # The API works without the widget; the page says how to build it instead of a bare 404.
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def widget_not_built() -> HTMLResponse:
        return HTMLResponse(WIDGET_NOT_BUILT, status_code=503)


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(title="Insatslotsen", version="0.1.0", lifespan=_load_knowledge)
    for router in routers:
        app.include_router(router)
    # The last added runs first: a flood is turned away before anything reads a body.
    app.add_middleware(CORSMiddleware, allow_origins=settings.allowed_origins,
                       allow_methods=["GET", "POST"], allow_headers=["content-type", "authorization"])
    app.add_middleware(BodySizeCap, max_bytes=settings.max_body_bytes)
    app.add_middleware(OriginAllowList, allowed_origins=settings.allowed_origins)
    app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst,
                       trusted_proxies=settings.trusted_proxies, trusted_proxy_hops=settings.trusted_proxy_hops)
    _serve_widget(app, settings.widget_dir)
    return app


app = create_app()
