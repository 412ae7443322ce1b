"""Parts of the stack going away: the widget is told in Swedish and carries on when they are back."""
import asyncio
import json

import pytest
import websockets

from assistant.routes.socketio_proxy import RASA_DOWN, TRY_LATER
from assistant.user_input import KNOWLEDGE_UNREACHABLE
from tests.widget_session.test_socketio_session_binding import say, start


def test_action_server_down_the_widget_is_told_and_the_conversation_resumes(stack, widget):
    """Rasa 3.6 ends such a turn without any message; without the channel's notice the widget
    user would wait for an answer that never comes."""
    grant = stack.new_session()
    client = start(widget, grant)
    stack.stop("actions")
    try:
        say(client, grant, "måste han ha sjukersättning?")
        client.wait_for(lambda m: m.get("text") == KNOWLEDGE_UNREACHABLE)
        assert client.messages == [{"text": KNOWLEDGE_UNREACHABLE}]
    finally:
        stack.start_again("actions")
    turn = len(client.messages)
    say(client, grant, "måste han ha sjukersättning?")
    client.wait_for(lambda m: "quotes" in m, start=turn)
    assert KNOWLEDGE_UNREACHABLE not in client.texts()[turn:]


def test_rasa_going_away_closes_the_widgets_socket_with_a_swedish_reason_and_it_reconnects_later(stack):
    async def connected_until_closed() -> websockets.exceptions.ConnectionClosed:
        token = stack.new_session()["token"]
        async with websockets.connect(stack.ws_url, origin=stack.api_url) as ws:
            await ws.recv()  # Engine.IO open
            await ws.send("40" + json.dumps({"token": token}))
            assert (await asyncio.wait_for(ws.recv(), 10)).startswith("40")
            stack.stop("rasa")
            with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(ws.recv(), 30)  # heartbeats may still come first
            return closed.value

    try:
        closed = asyncio.run(connected_until_closed())
        assert closed.code == TRY_LATER and closed.reason == RASA_DOWN
        with pytest.raises(websockets.exceptions.ConnectionClosed) as refused:
            asyncio.run(_first_frame(stack))
        assert refused.value.code == TRY_LATER and refused.value.reason == RASA_DOWN
    finally:
        stack.start_again("rasa")
    assert asyncio.run(_first_frame(stack)).startswith('0{"sid"')


async def _first_frame(stack) -> str:
    async with websockets.connect(stack.ws_url, origin=stack.api_url) as ws:
        return await asyncio.wait_for(ws.recv(), 10)
