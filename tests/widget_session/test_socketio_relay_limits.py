"""The HTTP app's /socket.io/ relay: only allowed pages, bounded frames, a packet budget per
connection, websocket only, and a clean close when Rasa cannot be reached."""
import asyncio
import json

import httpx
import pytest
import websockets
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from assistant.deps import app_settings
from assistant.main import create_app
from assistant.processes import free_port
from assistant.routes import socketio_proxy
from assistant.routes.socketio_proxy import BUSY, RASA_DOWN, TOO_MANY, TOO_MANY_SOCKETS, OpenSockets
from assistant.settings import Settings
from assistant.user_input import MAX_MESSAGE_CHARS
from tests.widget_session.conftest import RATE_LIMIT
from tests.widget_session.test_socketio_session_binding import say, start


async def _handshake(url: str, origin: str | None) -> str:
    async with websockets.connect(url, origin=origin, open_timeout=10) as ws:
        return await asyncio.wait_for(ws.recv(), 10)


@pytest.mark.parametrize("origin", ["http://evil.example", None, "null"])
def test_a_page_from_an_origin_not_on_the_allow_list_cannot_open_the_socket(stack, origin):
    with pytest.raises(websockets.exceptions.InvalidStatusCode) as refused:
        asyncio.run(_handshake(stack.ws_url, origin))
    assert refused.value.status_code == 403


def test_the_apps_own_origin_opens_the_socket(stack):
    assert asyncio.run(_handshake(stack.ws_url, stack.api_url)).startswith('0{"sid"')


def test_an_oversized_frame_closes_the_socket_with_a_clear_reason(stack):
    async def send_big_frame():
        async with websockets.connect(stack.ws_url, origin=stack.api_url) as ws:
            await ws.recv()  # Engine.IO open packet
            await ws.send('42["user_uttered",{"message":"' + "x" * 20_000 + '"}]')
            with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
            return closed.value

    closed = asyncio.run(send_big_frame())
    assert closed.code == 1009 and closed.reason.startswith("Meddelandet är för stort")


def test_a_message_over_the_length_limit_gets_a_swedish_answer_and_never_reaches_rasa(stack, widget):
    grant = stack.new_session()
    client = start(widget, grant)
    say(client, grant, "y" * (MAX_MESSAGE_CHARS + 1))
    client.wait_for(lambda m: m.get("text") == f"Meddelandet är för långt; högst {MAX_MESSAGE_CHARS} tecken.")
    say(client, grant, "   ")
    client.wait_for(lambda m: m.get("text") == "Meddelandet är tomt.")
    say(client, grant, "vad är IPS?")
    stack.wait_until_stored(grant["session_id"], "vad är IPS?")
    assert stack.user_texts(grant["session_id"]) == ["vad är IPS?"]


def test_a_connection_over_its_packet_budget_is_told_once_and_its_packets_dropped(stack, widget):
    grant = stack.new_session()
    client = start(widget, grant)  # 2 packets of the budget
    for _ in range(RATE_LIMIT + 10):
        client.emit("session_request", {"session_id": grant["session_id"], "token": grant["token"]})
    client.wait_for(lambda m: m.get("text") == TOO_MANY, timeout=15)
    say(client, grant, "vad är IPS?")  # still over budget: dropped
    with pytest.raises(AssertionError):
        client.wait_for(lambda m: m.get("text") != TOO_MANY, timeout=3)
    assert len(client.confirmed) <= RATE_LIMIT
    assert client.texts() == [TOO_MANY], "told once, not once per dropped packet"
    assert client.sio.connected, "a burst is dropped, the connection stays"
    assert stack.user_texts(grant["session_id"]) == []


def test_long_polling_is_refused_with_a_400_that_names_websocket(stack):
    response = httpx.get(f"{stack.api_url}/socket.io/", params={"EIO": 4, "transport": "polling"})
    assert response.status_code == 400 and "websocket" in response.json()["detail"]


def test_the_socket_is_closed_with_a_swedish_reason_when_rasa_cannot_be_reached():
    app = create_app()
    app.dependency_overrides[app_settings] = lambda: Settings(
        rasa_url=f"http://127.0.0.1:{free_port()}", allowed_origins=["http://testserver"]
    )
    with TestClient(app).websocket_connect(
        "/socket.io/?EIO=4&transport=websocket", headers={"origin": "http://testserver"}
    ) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
    assert closed.value.code == 1013 and closed.value.reason == RASA_DOWN


def _relay_close(settings: Settings, headers: dict[str, str] | None = None):
    app = create_app()
    app.dependency_overrides[app_settings] = lambda: settings
    with TestClient(app).websocket_connect(
        "/socket.io/?EIO=4&transport=websocket", headers={"origin": "http://testserver", **(headers or {})}
    ) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
    return closed.value


@pytest.fixture
def sockets(monkeypatch):
    """The relay's count of open sockets, emptied for the test."""
    fresh = OpenSockets()
    monkeypatch.setattr(socketio_proxy, "open_sockets", fresh)
    return fresh


def _settings(**overrides) -> Settings:
    return Settings(rasa_url=f"http://127.0.0.1:{free_port()}", allowed_origins=["http://testserver"], **overrides)


def test_a_client_with_its_sockets_all_open_gets_no_more(sockets):
    sockets.by_client["testclient"] = 3
    closed = _relay_close(_settings(socketio_max_connections_per_client=3))
    assert closed.code == 1013 and closed.reason == TOO_MANY_SOCKETS
    assert sockets.by_client["testclient"] == 3, "the refused socket was never counted"


def test_when_the_process_has_its_total_of_sockets_open_everyone_waits(sockets):
    sockets.by_client["10.0.0.7"] = 5
    closed = _relay_close(_settings(socketio_max_connections=5))
    assert closed.code == 1013 and closed.reason == BUSY


def test_a_closed_socket_frees_its_place(sockets):
    closed = _relay_close(_settings(socketio_max_connections_per_client=1))
    assert closed.reason == RASA_DOWN  # opened, counted, then closed because Rasa is down here
    assert sockets.total == 0
    assert _relay_close(_settings(socketio_max_connections_per_client=1)).reason == RASA_DOWN


def test_behind_the_trusted_proxy_each_client_has_its_own_socket_allowance(sockets):
    sockets.by_client["10.1.1.1"] = 2
    settings = _settings(socketio_max_connections_per_client=2, trusted_proxies=["testclient"])
    full = _relay_close(settings, {"x-forwarded-for": "10.1.1.1"})
    other = _relay_close(settings, {"x-forwarded-for": "10.1.1.1, 10.2.2.2"})
    assert full.reason == TOO_MANY_SOCKETS and other.reason == RASA_DOWN
