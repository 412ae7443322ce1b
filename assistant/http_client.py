"""One HTTP client for the app's calls to the Rasa server and the action server.

A client per request costs a new connection pool and TCP handshake on every chat turn; the
shared one keeps connections to the loopback servers open. It lives for the app's lifespan.
"""
from typing import Annotated

import httpx
from fastapi import Depends, Request

# Loopback servers; more connections than this only queue inside Rasa anyway.
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=50)


def open_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(limits=LIMITS)


# async: a plain function would be run in a worker thread on every request.
async def get_client(request: Request) -> httpx.AsyncClient:
    return request.app.state.http


HttpClient = Annotated[httpx.AsyncClient, Depends(get_client)]
