"""/socket.io/: the widget's websocket, relayed to the Rasa server's socket.io channel on loopback.

Only this app faces the intranet, so this is where a connection is checked before Rasa sees it:
the page's Origin against the allow-list, how many sockets the client and everyone together
have open, the size of every frame, and a packet budget per connection. Frames are passed on unchanged otherwise; the session token travels inside the
socket.io packets and is checked by the Rasa channel (assistant.channels.socketio).
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from contextlib import contextmanager

import websockets
from fastapi import APIRouter, WebSocket
from fastapi.responses import JSONResponse
from starlette.websockets import WebSocketDisconnect, WebSocketState

from assistant.deps import AppSettings
from assistant.http_guards import client_address

logger = logging.getLogger(__name__)

router = APIRouter(tags=["socket.io"])

# Policy-violation close codes from RFC 6455; reasons are read by people debugging the widget.
POLICY, TOO_BIG, UNSUPPORTED, TRY_LATER = 1008, 1009, 1003, 1013
RASA_DOWN = "Assistenten kan inte nås just nu. Försök igen om en stund."
TOO_MANY = "Du skickar för många meddelanden. Vänta en stund och försök igen."
TOO_MANY_SOCKETS = "För många öppna anslutningar. Stäng några flikar med assistenten och ladda om sidan."
BUSY = "Assistenten har för många anslutningar just nu. Försök igen om en stund."
# Bot replies carry whole check results; far below this, but a bound all the same.
UPSTREAM_MAX_BYTES = 4 * 1024 * 1024
# Engine.IO 4 message frame ("4") carrying a socket.io event ("2") in the default namespace.
SOCKETIO_EVENT = "42"


class PacketBudget:
    """A token bucket: `limit` frames per `seconds`, refilled continuously.

    Every frame counts, heartbeats too (one per 25 s), so no frame type slips past the budget.
    """

    def __init__(self, limit: int, seconds: float) -> None:
        self._capacity = float(limit)
        self._per_second = limit / seconds
        self._tokens = float(limit)
        self._updated = time.monotonic()
        self._told = False

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._per_second)
        self._updated = now
        if self._tokens >= 1:
            self._tokens -= 1
            self._told = False
            return True
        return False

    def first_refusal(self) -> bool:
        """True once per run of refused packets, so the user is told once, not per packet."""
        told, self._told = self._told, True
        return not told


class OpenSockets:
    """Open relay sockets per client address and in total, in this process."""

    def __init__(self) -> None:
        self.by_client: Counter = Counter()

    @property
    def total(self) -> int:
        return sum(self.by_client.values())

    def refusal(self, client: str, per_client: int, total: int) -> str | None:
        if self.by_client[client] >= per_client:
            return TOO_MANY_SOCKETS
        if self.total >= total:
            return BUSY
        return None

    @contextmanager
    def holding(self, client: str):
        self.by_client[client] += 1
        try:
            yield
        finally:
            self.by_client[client] -= 1
            if self.by_client[client] <= 0:
                del self.by_client[client]


open_sockets = OpenSockets()


def origin_allowed(origin: str | None, allowed: list[str]) -> bool:
    # Browsers always send Origin on a websocket handshake; scheme and host are case-insensitive.
    return origin is not None and origin.strip().rstrip("/").lower() in {entry.lower() for entry in allowed}


def _bot_text(text: str) -> str:
    return SOCKETIO_EVENT + json.dumps(["bot_uttered", {"text": text}], ensure_ascii=False)


@router.get("/socket.io/", include_in_schema=False)
def polling_refused() -> JSONResponse:
    return JSONResponse(
        {"detail": 'Endast websocket stöds här; anslut med transports: ["websocket"].'}, status_code=400
    )


@router.websocket("/socket.io/")
async def relay(websocket: WebSocket, settings: AppSettings) -> None:
    origin = websocket.headers.get("origin")
    if not origin_allowed(origin, settings.allowed_origins):
        logger.warning("socket.io connection refused: origin %r is not allowed", origin)
        await websocket.close(code=POLICY)  # before accept: the handshake gets a 403
        return
    client = client_address(websocket.scope, set(settings.trusted_proxies), settings.trusted_proxy_hops)
    refusal = open_sockets.refusal(client, settings.socketio_max_connections_per_client, settings.socketio_max_connections)
    if refusal is not None:
        logger.warning("socket.io connection refused: %d open in total, limit per client %d reached or total %d",
                       open_sockets.total, settings.socketio_max_connections_per_client, settings.socketio_max_connections)
        await websocket.accept()
        await websocket.close(code=TRY_LATER, reason=refusal)
        return
    with open_sockets.holding(client):
        await _relay(websocket, settings)


async def _relay(websocket: WebSocket, settings) -> None:
    upstream_url = settings.rasa_url.replace("http", "ws", 1) + "/socket.io/?" + websocket.url.query
    try:
        upstream = await websockets.connect(
            upstream_url, open_timeout=5, ping_interval=None, max_size=UPSTREAM_MAX_BYTES, compression=None
        )
    except (OSError, asyncio.TimeoutError, websockets.exceptions.WebSocketException) as error:
        logger.error("socket.io relay cannot reach Rasa at %s: %s", settings.rasa_url, error)
        await websocket.accept()
        await websocket.close(code=TRY_LATER, reason=RASA_DOWN)
        return
    await websocket.accept()
    budget = PacketBudget(settings.socketio_rate_limit_messages, settings.socketio_rate_limit_seconds)
    tasks = {
        asyncio.create_task(_client_to_rasa(websocket, upstream, settings.socketio_max_frame_bytes, budget)),
        asyncio.create_task(_rasa_to_client(upstream, websocket)),
    }
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await upstream.close()
        await _close(websocket, code=1000)


async def _client_to_rasa(websocket: WebSocket, upstream, max_frame_bytes: int, budget: PacketBudget) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        frame = message.get("text")
        if frame is None:
            await _close(websocket, UNSUPPORTED, "Endast textmeddelanden stöds.")
            return
        if len(frame.encode()) > max_frame_bytes:
            logger.warning("socket.io frame of %d bytes refused (limit %d)", len(frame.encode()), max_frame_bytes)
            await _close(websocket, TOO_BIG, f"Meddelandet är för stort; högst {max_frame_bytes} byte.")
            return
        if not budget.take():
            if budget.first_refusal():
                logger.warning("socket.io connection over its frame budget; frames dropped")
                await websocket.send_text(_bot_text(TOO_MANY))
            continue
        try:
            await upstream.send(frame)
        except websockets.exceptions.ConnectionClosed:
            return


async def _rasa_to_client(upstream, websocket: WebSocket) -> None:
    try:
        async for frame in upstream:
            if isinstance(frame, str):
                await websocket.send_text(frame)
            else:
                await websocket.send_bytes(frame)
    except websockets.exceptions.ConnectionClosedError:
        pass  # no close frame: Rasa went away; told to the browser below
    except (WebSocketDisconnect, RuntimeError):
        return  # the browser went away while a reply was on its way
    # 1000 is socket.io ending the session (e.g. a refused token); anything else (1001 on
    # shutdown, 1006 on a crash) means Rasa is gone, and the browser should retry later.
    if upstream.close_code != 1000:
        logger.error("Rasa closed the socket.io relay (code %s)", upstream.close_code)
        await _close(websocket, TRY_LATER, RASA_DOWN)


async def _close(websocket: WebSocket, code: int, reason: str = "") -> None:
    if websocket.client_state == WebSocketState.CONNECTED and websocket.application_state == WebSocketState.CONNECTED:
        try:
            await websocket.close(code=code, reason=reason)
        except RuntimeError:
            pass  # closed from the other side meanwhile
