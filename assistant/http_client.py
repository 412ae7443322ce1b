"""One HTTP client for the app's calls to the Rasa server and the action server.

A client per request costs a new connection pool and TCP handshake on every chat turn; the
shared one keeps connections to the loopback servers open. It lives for the app's lifespan.

Every chat turn is one POST to the Rasa server, so requests to its origin go through
`KeepAliveTransport`: HTTP/1.1 over kept-alive asyncio streams, the response read by httptools
(C, already there for uvicorn). httpcore's pool, its anyio streams and h11 in pure Python were
about 1.2 ms of the app's CPU per turn, a sixth of all of it (docs/benchmarks.md, session 14).
Everything else (the action server's probe, the Bot Framework's https services) keeps httpx's
own transport.
"""
from __future__ import annotations

import asyncio
from typing import Annotated

import httpx
import httptools
from fastapi import Depends, Request

# Loopback servers; more connections than this only queue inside Rasa anyway.
MAX_CONNECTIONS = 100
MAX_KEEPALIVE_CONNECTIONS = 50
LIMITS = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_KEEPALIVE_CONNECTIONS)
_READ_BYTES = 256 * 1024


class _Reply:
    """httptools' callbacks for one response."""

    __slots__ = ("parser", "headers", "body", "complete", "keep_alive")

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.complete = self.keep_alive = False

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        self.complete = True
        # Asked now: the parser forgets the message once it returns from here.
        self.keep_alive = self.parser.should_keep_alive()


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class KeepAliveTransport(httpx.AsyncBaseTransport):
    """Plain-HTTP/1.1 requests to one server, each on a kept-alive connection of its own.

    A request is never sent twice: one that finds its reused connection closed under it fails
    as httpx's would (RemoteProtocolError), and the chat answers its 503 "try again". A
    connection the server closed while it sat idle is seen at EOF and not reused.
    """

    def __init__(self) -> None:
        self._idle: list[Connection] = []
        self._slots = asyncio.Semaphore(MAX_CONNECTIONS)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "HEAD":
            raise httpx.UnsupportedProtocol("HEAD is not read by KeepAliveTransport", request=request)
        timeouts = request.extensions.get("timeout", {})
        body = await request.aread()
        head = [b"%s %s HTTP/1.1\r\n" % (request.method.encode("ascii"), request.url.raw_path)]
        head += [b"%s: %s\r\n" % pair for pair in request.headers.raw]
        head.append(b"\r\n")
        try:
            async with asyncio.timeout(timeouts.get("pool")):
                await self._slots.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout("all connections to the server are busy", request=request) from None
        try:
            reader, writer = await self._connection(request, timeouts.get("connect"))
            reusable = False
            try:
                writer.write(b"".join(head) + body)
                status, reply, reusable = await self._read(reader, request, timeouts.get("read"))
            except OSError as error:
                raise httpx.ReadError(str(error) or type(error).__name__, request=request) from None
            finally:
                if reusable and len(self._idle) < MAX_KEEPALIVE_CONNECTIONS:
                    self._idle.append((reader, writer))
                else:
                    writer.close()
        finally:
            self._slots.release()
        return httpx.Response(status, headers=reply.headers, content=b"".join(reply.body),
                              extensions={"http_version": b"HTTP/1.1"})

    async def _connection(self, request: httpx.Request, timeout: float | None) -> Connection:
        while self._idle:
            reader, writer = self._idle.pop()
            if not (reader.at_eof() or writer.is_closing()):
                return reader, writer
            writer.close()
        url = request.url
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.open_connection(url.host, url.port or 80)
        except TimeoutError:
            raise httpx.ConnectTimeout("connect timed out", request=request) from None
        except OSError as error:
            raise httpx.ConnectError(str(error) or type(error).__name__, request=request) from None

    @staticmethod
    async def _read(reader: asyncio.StreamReader, request: httpx.Request,
                    timeout: float | None) -> tuple[int, _Reply, bool]:
        reply = _Reply()
        try:
            async with asyncio.timeout(timeout):
                while not reply.complete:
                    data = await reader.read(_READ_BYTES)
                    if not data:
                        raise httpx.RemoteProtocolError("server closed the connection before its reply ended",
                                                        request=request)
                    reply.parser.feed_data(data)
        except TimeoutError:
            raise httpx.ReadTimeout("read timed out", request=request) from None
        except httptools.HttpParserError as error:
            raise httpx.RemoteProtocolError(f"malformed reply: {error}", request=request) from None
        status, reply.parser = reply.parser.get_status_code(), None  # no cycle left for the collector
        return status, reply, reply.keep_alive and not reader.at_eof()

    async def aclose(self) -> None:
        while self._idle:
            self._idle.pop()[1].close()


def open_client(rasa_url: str, rasa: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
    """The client for every call but the chat's turn; requests to `rasa_url`'s origin go through
    `rasa`, the transport the chat uses directly (`get_rasa`). Closing the client closes it."""
    origin = httpx.URL(rasa_url)
    return httpx.AsyncClient(limits=LIMITS, mounts={f"{origin.scheme}://{origin.netloc.decode('ascii')}": rasa})


def rasa_transport(rasa_url: str) -> httpx.AsyncBaseTransport:
    return KeepAliveTransport() if httpx.URL(rasa_url).scheme == "http" else httpx.AsyncHTTPTransport(limits=LIMITS)


# async: a plain function would be run in a worker thread on every request.
async def get_client(request: Request) -> httpx.AsyncClient:
    return request.app.state.http


async def get_rasa(request: Request) -> httpx.AsyncBaseTransport:
    return request.app.state.rasa


HttpClient = Annotated[httpx.AsyncClient, Depends(get_client)]
# The chat's turn sends its one request to Rasa on the transport itself: the client's send
# (auth and redirect flows, cookies, event hooks, default headers, none of which a turn uses)
# was a third of what the forwarding cost after the transport (docs/benchmarks.md, session 14).
RasaTransport = Annotated[httpx.AsyncBaseTransport, Depends(get_rasa)]
