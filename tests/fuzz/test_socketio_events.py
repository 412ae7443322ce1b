"""Property-based fuzzing of every socket.io event the widget channel handles (connect,
session_request, user_uttered), in-process on the channel's own handlers with a recording
stand-in for the socket.io server: whatever the payloads and in whatever order, no handler
raises (a refused connect raises socket.io's ConnectionRefusedError, as it should), no socket
joins a room but its own session's, and no message reaches Rasa except under the socket's own
session with its current token."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from socketio import exceptions

from assistant.channels.socketio import SignedSessionSocketIOInput
from assistant.session_registry import SessionRegistry
from assistant.sessions import Sessions
from tests.session_fixtures import TEST_SECRET

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)


@dataclass
class RecordingServer:
    """What the handlers do to the socket.io server, recorded instead of sent."""
    sessions: dict[str, dict] = field(default_factory=dict)
    # (socket, room, the session the socket was connected as when it joined)
    rooms: list[tuple[str, str, Any]] = field(default_factory=list)
    emitted: list[tuple[str, Any, str]] = field(default_factory=list)
    disconnected: list[str] = field(default_factory=list)

    async def save_session(self, sid, session, namespace=None):
        self.sessions[sid] = dict(session)

    async def get_session(self, sid, namespace=None):
        return self.sessions.setdefault(sid, {})

    async def emit(self, event, data=None, to=None, room=None, **kwargs):
        self.emitted.append((event, data, room or to))

    async def enter_room(self, sid, room, namespace=None):
        self.rooms.append((sid, room, self.sessions.get(sid, {}).get("session_id")))

    async def disconnect(self, sid, namespace=None, **kwargs):
        self.disconnected.append(sid)


@pytest.fixture(scope="module")
def sessions(tmp_path_factory) -> Sessions:
    return Sessions(TEST_SECRET, 3600, 24 * 3600, SessionRegistry(f"sqlite:///{tmp_path_factory.mktemp('sio') / 's.db'}"))


@pytest.fixture(scope="module", autouse=True)
def no_tracker_store(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:  # the channels' store check looks at a file Rasa never made
        env.setenv("TRACKER_DB", str(tmp_path_factory.mktemp("sio-store") / "tracker.db"))
        yield


def build(sessions: Sessions):
    channel = SignedSessionSocketIOInput(sessions)
    turns = []

    async def on_new_message(message):
        turns.append(message)

    channel.blueprint(on_new_message)
    recorder = RecordingServer()
    for name in ("save_session", "get_session", "emit", "enter_room", "disconnect"):
        setattr(channel.sio, name, getattr(recorder, name))
    return channel.sio.handlers["/"], recorder, turns


# Each step: which socket, which event, and what it carries. A token is one of: the socket's own
# session's, another session's, a forged one, or arbitrary JSON.
steps = st.lists(st.tuples(
    st.sampled_from(["sock-a", "sock-b"]),
    st.sampled_from(["connect", "session_request", "user_uttered"]),
    st.sampled_from(["own", "other", "forged", "none"]),
    st.sampled_from(["own", "other", "absent"]) | json_values,  # session_id
    st.text(max_size=50) | json_values,                           # message
    json_values,                                                  # the rest of the payload
), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(script=steps)
# A socket given the other session's token is that session's browser; its turns are the other's
# (an earlier oracle pinned each socket to one session and failed this, once Hypothesis found it).
@example(script=[("sock-a", "connect", "other", "own", "", None), ("sock-a", "user_uttered", "other", "other", "0", None)])
# The same socket joins its session's room, then connects again with the other session's token:
# the room was its own when it joined (a fuzz run found this sequence; an oracle that compared
# every room with the socket's last session failed it).
@example(script=[("sock-a", "connect", "own", "own", "", None), ("sock-a", "session_request", "own", "own", "", None),
                 ("sock-a", "connect", "other", "own", "", None)])
def test_no_sequence_of_socketio_events_crashes_a_handler_or_crosses_sessions(sessions, script):
    handlers, server, turns = build(sessions)
    own, other = sessions.start(), sessions.start()
    tokens = {"own": own.token, "other": other.token, "forged": own.token[:-3] + "abc"}
    ids = {"own": own.session_id, "other": other.session_id}
    # sock-a belongs to `own`; sock-b is a second browser that knows own's id and holds `other`.
    # sock-a may also be given other's token: then it is other's browser, and other's turns are its.
    holder = {"sock-a": "own", "sock-b": "other"}
    session_of_token = {own.token: own.session_id, other.token: other.session_id}

    produced: list[tuple[Any, Any, Any]] = []  # (the socket's session, the message's token, a turn it handed to Rasa)

    async def play():
        for sid, event, which_token, session_choice, message, extra in script:
            before = len(turns)
            token_key = holder[sid] if which_token == "own" else which_token
            token = tokens.get(token_key, extra if which_token == "none" else None)
            if event == "connect":
                auth = {"token": token} if which_token != "none" else extra
                try:
                    await handlers["connect"](sid, {}, auth)
                except exceptions.ConnectionRefusedError:
                    pass
                continue
            session_id = ids.get(session_choice) if isinstance(session_choice, str) and session_choice in ids else session_choice
            data = {"token": token, "session_id": session_id, "message": message}
            payload = data if not isinstance(extra, dict) else {**extra, **data}
            connected_as = server.sessions.get(sid, {}).get("session_id")
            await handlers[event](sid, payload if which_token != "none" else extra)
            produced.extend((connected_as, token, turn) for turn in turns[before:])

    asyncio.run(play())

    # A script may connect the same socket again with another token (a real socket.io sid
    # connects once): a room is the socket's own if it was its session when it joined.
    for sid, room, connected_as in server.rooms:
        assert room == connected_as, "a socket joined a room that is not its own session's"
    bound = {sid: s.get("session_id") for sid, s in server.sessions.items()}
    for connected_as, token, turn in produced:
        assert turn.sender_id == connected_as, "a turn went into a conversation that is not the socket's"
        assert session_of_token.get(token) == connected_as, "a turn went in without its session's token"
    assert bound.get("sock-b") in (None, other.session_id), "the second browser never holds the first's session"


def test_the_fuzzed_handlers_are_the_channels_real_ones(sessions):
    handlers, server, turns = build(sessions)
    grant = sessions.start()

    async def conversation():
        await handlers["connect"]("s1", {}, {"token": grant.token})
        await handlers["session_request"]("s1", {"token": grant.token, "session_id": grant.session_id})
        await handlers["user_uttered"]("s1", {"token": grant.token, "session_id": grant.session_id, "message": "hej"})

    asyncio.run(conversation())
    assert server.rooms == [("s1", grant.session_id, grant.session_id)]
    assert [(t.sender_id, t.text) for t in turns] == [(grant.session_id, "hej")]
