"""What `GET /api/ready` checks: everything a chat turn needs, each with a Swedish name.

Liveness (`/api/health`) says the app process answers; readiness says a turn can succeed now:
the passage index is loaded, the Rasa server has its model loaded (its REST channel answers only
after that), the action server answers (it loads the index before it listens), and the tracker
store accepts a query.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from assistant.settings import Settings
from assistant.stores.health import check_tracker_store
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
        asyncio.to_thread(check_tracker_store, settings.endpoints_file),
    )
    return [
        _index_check(),
        Check("rasa", rasa, "svarar" if rasa else f"svarar inte på {settings.rasa_url}"),
        Check("actionserver", actions, "svarar" if actions else f"svarar inte på {settings.action_server_url}"),
        Check("samtalslager", store.reachable,
              "svarar" if store.reachable else f"samtalsdatabasen (tracker store, {store.store}) svarar inte: {store.error}"),
    ]
