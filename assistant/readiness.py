"""What `GET /api/ready` checks: everything a chat turn needs, each with a Swedish name.

Liveness (`/api/health`) says the app process answers; readiness says a turn can succeed now:
the passage index is loaded, the Rasa server has its model loaded (its REST channel answers only
after that), the action server answers (it loads the index before it listens), and the tracker
store accepts a query.
"""
from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from assistant.settings import Settings
from knowledge.retrieval import IndexMissingError, load_retriever

PROBE_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def rasa_ready_url(settings: Settings) -> str:
    return f"{settings.rasa_url}/webhooks/rest/"


def action_server_health_url(settings: Settings) -> str:
    return f"{settings.action_server_url}/health"


async def _http_ok(client: httpx.AsyncClient, url: str) -> bool:
    try:
        response = await client.get(url, timeout=PROBE_TIMEOUT_SECONDS)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


async def action_server_reachable(client: httpx.AsyncClient, settings: Settings) -> bool:
    return await _http_ok(client, action_server_health_url(settings))


def tracker_store_reachable(url: str | None) -> bool:
    """The tracker database (an SQLAlchemy URL) accepts a query. None: not configured here.

    SQLite is opened read-only, so a probe never creates an empty database where Rasa's is missing.
    """
    if url is None:
        return True
    if url.startswith("sqlite"):
        path = urlsplit(url).path[1:]  # sqlite:///relative or sqlite:////absolute
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=PROBE_TIMEOUT_SECONDS) as db:
                db.execute("select count(*) from sqlite_master").fetchone()
        except sqlite3.Error:
            return False
        return True
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url, connect_args={"connect_timeout": int(PROBE_TIMEOUT_SECONDS)})
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()
    return True


def _index_check() -> Check:
    try:
        load_retriever()
    except IndexMissingError as error:
        return Check("sokindex", False, str(error))
    return Check("sokindex", True, "inläst")


async def readiness(client: httpx.AsyncClient, settings: Settings) -> list[Check]:
    rasa, actions, store = await asyncio.gather(
        _http_ok(client, rasa_ready_url(settings)),
        action_server_reachable(client, settings),
        asyncio.to_thread(tracker_store_reachable, settings.tracker_store_url),
    )
    return [
        _index_check(),
        Check("rasa", rasa, "svarar" if rasa else f"svarar inte på {settings.rasa_url}"),
        Check("actionserver", actions, "svarar" if actions else f"svarar inte på {settings.action_server_url}"),
        Check("samtalslager", store, "svarar" if store else "samtalsdatabasen (tracker store) svarar inte"),
    ]
