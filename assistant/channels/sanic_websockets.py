"""Makes Sanic 21.12's websockets usable on Python 3.11, which the Rasa server runs on.

Rasa 3.6 pins Sanic 21.12, whose websocket `recv`/`recv_burst` pass a coroutine to
`asyncio.wait`; Python 3.11 refuses that with a TypeError, so every socket.io websocket closes
right after its handshake. Here only that module's `asyncio.wait` gets Python 3.10's behaviour
back (awaitables are wrapped in tasks first); nothing else changes. Sanic fixed this itself in
22.x, which Rasa 3.6 cannot use.
"""
from __future__ import annotations

import asyncio
import types
from typing import Any, Iterable

from sanic.server.websockets import impl


async def _wait_accepting_coroutines(awaitables: Iterable[Any], **kwargs: Any):
    return await asyncio.wait([asyncio.ensure_future(a) for a in awaitables], **kwargs)


def allow_coroutines_in_sanic_websockets() -> None:
    if isinstance(impl.asyncio, types.ModuleType):
        shim = types.SimpleNamespace(**vars(asyncio))
        shim.wait = _wait_accepting_coroutines
        impl.asyncio = shim
