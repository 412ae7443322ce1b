"""The app's HTTP client to the Rasa server: its keep-alive transport against a real local server."""
import asyncio
import contextlib

import httpx
import pytest
from aiohttp import web

from assistant.http_client import KeepAliveTransport, open_client, rasa_transport
from assistant.processes import free_port


async def _serve(port: int, connections: list) -> web.AppRunner:
    async def webhook(request: web.Request) -> web.Response:
        connections.append(request.transport)
        body = await request.json()
        return web.json_response([{"recipient_id": body["sender"], "text": "Svar på ärendet"}])

    async def closing(request: web.Request) -> web.Response:
        connections.append(request.transport)
        return web.Response(text="hej då", headers={"Connection": "close"})

    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(4):
            await response.write(b"x" * 100_000)
        await response.write_eof()
        return response

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.Response(text="sent")

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/closing", closing)
    app.router.add_get("/chunked", chunked)
    app.router.add_get("/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


@contextlib.asynccontextmanager
async def _client_and_server():
    """(url, the app's client, the server's connections) against a fresh local server."""
    port, connections = free_port(), []
    runner = await _serve(port, connections)
    url = f"http://127.0.0.1:{port}"
    try:
        async with open_client(url, rasa_transport(url)) as client:
            yield url, client, connections
    finally:
        await runner.cleanup()


def test_turns_to_rasa_share_one_kept_alive_connection_and_arrive_as_sent():
    async def run():
        async with _client_and_server() as (url, client, connections):
            replies = [await client.post(f"{url}/webhooks/rest/webhook", json={"sender": f"s{i}", "message": "hej"})
                       for i in range(3)]
            chunked = await client.get(f"{url}/chunked")
            assert isinstance(client._transport_for_url(httpx.URL(url)), KeepAliveTransport)
        return replies, chunked, connections

    replies, chunked, connections = asyncio.run(run())
    assert [r.json() for r in replies] == [[{"recipient_id": f"s{i}", "text": "Svar på ärendet"}] for i in range(3)]
    assert len(set(map(id, connections))) == 1
    assert chunked.status_code == 200 and chunked.content == b"x" * 400_000


def test_a_connection_the_server_closes_is_not_reused():
    async def run():
        async with _client_and_server() as (url, client, connections):
            first = await client.get(f"{url}/closing")
            second = await client.post(f"{url}/webhooks/rest/webhook", json={"sender": "s", "message": "hej"})
        return first, second, connections

    first, second, connections = asyncio.run(run())
    assert first.text == "hej då" and second.status_code == 200
    assert len(set(map(id, connections))) == 2


def test_a_slow_or_absent_server_raises_what_the_chat_answers_503_for():
    async def run():
        async with _client_and_server() as (url, client, _):
            with pytest.raises(httpx.ReadTimeout):
                await client.get(f"{url}/slow", timeout=0.2)
            # The timed-out connection is dropped, not handed to the next turn with a late reply in it.
            assert (await client.get(f"{url}/chunked")).status_code == 200
        async with open_client(url, rasa_transport(url)) as client:
            with pytest.raises(httpx.ConnectError):
                await client.post(f"{url}/webhooks/rest/webhook", json={"sender": "s", "message": "hej"})

    asyncio.run(run())


def test_a_request_that_waits_too_long_for_a_free_connection_raises_pool_timeout():
    async def run():
        async with _client_and_server() as (url, client, _):
            client._transport_for_url(httpx.URL(url))._slots = asyncio.Semaphore(1)
            busy = asyncio.create_task(client.get(f"{url}/slow"))
            await asyncio.sleep(0.1)
            with pytest.raises(httpx.PoolTimeout):
                await client.get(f"{url}/chunked", timeout=httpx.Timeout(5, pool=0.2))
            assert (await busy).text == "sent"

    asyncio.run(run())
