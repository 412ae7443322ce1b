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

UNLIMITED_PATHS = ("/api/health", "/api/ready")
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
    """413 for bodies over the cap, whether announced by Content-Length or streamed in chunks."""

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
        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not response_started:
                await _refuse(send, 413, self._too_large())

    def _too_large(self) -> str:
        return f"Förfrågan är för stor; högst {self.max_bytes // 1024} kB tas emot."


class _TooLarge(Exception):
    pass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimit:
    """A token bucket per client: `per_minute` sustained, `burst` at once; 429 with Retry-After.

    The client is the peer address, or the first X-Forwarded-For address when the peer is one of
    the configured trusted proxies (the intranet's load balancer); anyone else could forge it.
    """

    def __init__(self, app: ASGIApp, per_minute: int, burst: int, trusted_proxies: list[str],
                 clock: Callable[[], float] = time.monotonic, capacity: int = 50_000) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.burst = burst
        self.trusted = set(trusted_proxies)
        self.clock = clock
        self.capacity = capacity
        self.buckets: OrderedDict[str, _Bucket] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or self.rate <= 0 or path in UNLIMITED_PATHS
                or path.startswith(UNLIMITED_PREFIXES) or not path.startswith(GUARDED_PREFIXES)):
            await self.app(scope, receive, send)
            return
        wait = self._take(self._client(scope))
        if wait > 0:
            await _refuse(send, 429, "För många förfrågningar på kort tid. Vänta en stund och försök igen.",
                          [(b"retry-after", str(math.ceil(wait)).encode())])
            return
        await self.app(scope, receive, send)

    def _client(self, scope: Scope) -> str:
        peer = (scope.get("client") or ("okänd", 0))[0]
        forwarded = _header(scope, b"x-forwarded-for")
        if forwarded and peer in self.trusted:
            return forwarded.split(",")[0].strip()
        return peer

    def _take(self, client: str) -> float:
        """Seconds to wait before the client may send again; 0 if it may now (a token is used)."""
        now = self.clock()
        bucket = self.buckets.pop(client, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self.buckets[client] = bucket
        if len(self.buckets) > self.capacity:
            self.buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate
