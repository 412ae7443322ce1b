"""What stands in front of every public endpoint: origin allow-list, body-size cap, rate limit.

Pure ASGI middleware, so a refused request never reaches a route, and the limits hold for the
proxied channel webhooks as for the API. Refusals are JSON with a Swedish `detail`, like the API's
own errors. The rate limit is per client and per process: behind a load balancer each replica
counts its own share (docs/security.md).
"""
from __future__ import annotations

import json
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Scope = dict
Message = dict
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Liveness only: the orchestrator asks it often and it does no work. /api/ready probes four
# services per call, so it is limited like the rest.
UNLIMITED_PATHS = ("/api/health",)
# Every Teams request comes from Microsoft's Bot Connector (one address for a whole district) and
# carries a token the channel verifies before any work; a per-address budget would starve it.
UNLIMITED_PREFIXES = ("/webhooks/botframework/",)
GUARDED_PREFIXES = ("/api/", "/webhooks/", "/socket.io/")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


async def _refuse(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()), *headers],
    })
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


class OriginAllowList:
    """Refuses state-changing requests from pages on other origins.

    CORS headers only stop a foreign page from reading answers; a cross-site form POST would still
    act. A request that names an Origin outside the allow-list is refused before it acts.
    """

    def __init__(self, app: ASGIApp, allowed_origins: list[str]) -> None:
        self.app = app
        self.allowed = {origin.rstrip("/") for origin in allowed_origins}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            origin = _header(scope, b"origin")
            if origin is not None and origin.rstrip("/") not in self.allowed:
                await _refuse(send, 403, "Förfrågan kommer från en webbplats som inte får använda assistenten.")
                return
        await self.app(scope, receive, send)


class BodySizeCap:
    """413 for bodies over the cap, whether announced by Content-Length or streamed in chunks.

    The body is read here, up to the cap, before the route sees it: an exception raised from
    inside a route's body parsing would become FastAPI's English "There was an error parsing the
    body" (400) instead of this Swedish 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _refuse(send, 413, self._too_large())
            return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away; the route sees the same disconnect.
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await _refuse(send, 413, self._too_large())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([body], receive), send)

    def _too_large(self) -> str:
        return f"Förfrågan är för stor; högst {self.max_bytes // 1024} kB tas emot."


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that hands out `messages` first, then whatever the server sends (a disconnect)."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


@dataclass
class _Bucket:
    tokens: float
    updated: float


class Buckets:
    """Token buckets by key: `per_minute` sustained, `burst` at once; the least recently used
    keys are forgotten beyond `capacity`, so a flood of keys cannot fill the memory."""

    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic,
                 capacity: int = 50_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self.clock = clock
        self.capacity = capacity
        self.buckets: OrderedDict[str, _Bucket] = OrderedDict()

    @property
    def unlimited(self) -> bool:
        return self.rate <= 0

    def take(self, key: str) -> float:
        """Seconds to wait before `key` may go on; 0 if it may now (a token is used)."""
        if self.unlimited:
            return 0.0
        now = self.clock()
        bucket = self.buckets.pop(key, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self.buckets[key] = bucket
        if len(self.buckets) > self.capacity:
            self.buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate


TOO_MANY_REQUESTS = "För många förfrågningar på kort tid. Vänta en stund och försök igen."


def client_address(scope: Scope, trusted_proxies: set[str], hops: int) -> str:
    """The client's address: the peer, or - when the peer is a trusted proxy - the X-Forwarded-For
    entry `hops` places from the right. Each proxy appends the address it saw, so the right-most
    entries are the proxies' own; anything further left the client wrote itself and may be forged."""
    peer = (scope.get("client") or ("okänd", 0))[0]
    if peer not in trusted_proxies:
        return peer
    entries = []
    for key, value in scope.get("headers", ()):
        if key == b"x-forwarded-for":
            entries.extend(part.strip() for part in value.decode("latin-1").split(","))
    entries = [entry for entry in entries if entry]
    if not entries:
        return peer
    return entries[-hops] if len(entries) >= hops else entries[0]


class RateLimit:
    """A token bucket per client address; 429 with Retry-After (client_address says who the client is)."""

    def __init__(self, app: ASGIApp, per_minute: int, burst: int, trusted_proxies: list[str],
                 trusted_proxy_hops: int = 1, clock: Callable[[], float] = time.monotonic,
                 capacity: int = 50_000) -> None:
        self.app = app
        self.budget = Buckets(per_minute, burst, clock, capacity)
        self.trusted = set(trusted_proxies)
        self.hops = trusted_proxy_hops

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or self.budget.unlimited or path in UNLIMITED_PATHS
                or path.startswith(UNLIMITED_PREFIXES) or not path.startswith(GUARDED_PREFIXES)):
            await self.app(scope, receive, send)
            return
        wait = self.budget.take(client_address(scope, self.trusted, self.hops))
        if wait > 0:
            await refuse_too_many(send, wait)
            return
        await self.app(scope, receive, send)


async def refuse_too_many(send: Send, wait: float) -> None:
    await _refuse(send, 429, TOO_MANY_REQUESTS, [(b"retry-after", str(math.ceil(wait)).encode())])
