"""Rasa's socket.io channel with the conversation bound to a signed session token.

Rasa 3.6's SocketIOInput believes whatever `session_id` a client sends: a second browser that
sends someone else's id joins their room, receives their replies and writes into their
conversation. Here a socket proves its session with a token from POST /api/session
(assistant.session_tokens) at connect and again on every `session_request` and `user_uttered`;
anything else is answered with a Swedish notice and a disconnect, and never joins a room.

Messages are also checked and masked here, before the UserMessage exists, so the tracker store,
the logs and the action server only ever see placeholders. Client-sent metadata is dropped for
the same reason: it would be stored with the event unmasked.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from socketio import AsyncServer, exceptions

from assistant.sessions import InvalidToken, Sessions, SessionsUnavailable, channel_sessions
from assistant.stores.health import STORE_DISTURBED_MESSAGE, run_turn_or_tell_store_disturbed
from assistant.user_input import KNOWLEDGE_UNREACHABLE, WarnedSenders, incoming

logger = logging.getLogger(__name__)

SESSION_REFUSED = "Sessionen är ogiltig eller har gått ut. Ladda om sidan för att fortsätta."
# The widget keeps its transcript in the browser (sessionStorage, until the tab closes): after a
# message that contained identifiers it is sent the masked text, to show and keep instead.
MASKED_MESSAGE_EVT = "user_uttered_masked"


class SessionOutput(SocketIOOutput):
    def __init__(self, sio: AsyncServer, bot_message_evt: Text) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    # Custom payloads: Rasa's send_custom_json is replaced at start (assistant/rasa_workarounds.py).


class SignedSessionSocketIOInput(SocketIOInput):
    """credentials.yml: `assistant.channels.socketio.SignedSessionSocketIOInput:` with Rasa's socketio keys."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SignedSessionSocketIOInput":
        credentials = credentials or {}
        sessions = channel_sessions()
        if credentials.get("session_persistence", True) is not True:
            raise ValueError("session_persistence måste vara true: sessionen följer den signerade sessionstoken.")
        return cls(
            sessions,
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
        )

    def __init__(self, sessions: Sessions, **kwargs: Any) -> None:
        super().__init__(session_persistence=True, **kwargs)
        self._sessions = sessions
        self._warned = WarnedSenders()

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        return None if self.sio is None else SessionOutput(self.sio, self.bot_message_evt)

    def _session_of(self, token: object) -> Optional[str]:
        """The token's session; None if the token is not the current one of a live session.
        SessionsUnavailable (the registry's database is down) is left to the caller."""
        try:
            return self._sessions.session_of(token)
        except InvalidToken as error:
            logger.warning("socket.io session token refused: %s", error)
            return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Only the HTTP app's proxy on loopback talks to this server: it checks the Origin, so the
        # server itself does no CORS, and it speaks websocket only.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], transports=["websocket"])
        blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        namespace = self.namespace
        output = SessionOutput(sio, self.bot_message_evt)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> None:
            try:
                session_id = self._session_of(auth.get("token") if isinstance(auth, dict) else None)
            except SessionsUnavailable:
                raise exceptions.ConnectionRefusedError(STORE_DISTURBED_MESSAGE) from None
            if session_id is None:
                raise exceptions.ConnectionRefusedError(SESSION_REFUSED)
            await sio.save_session(sid, {"session_id": session_id}, namespace=namespace)

        async def verified_session(sid: Text, data: Any) -> Optional[str]:
            """The message's session if this socket holds a valid token for it; else refuse and disconnect."""
            bound = (await sio.get_session(sid, namespace=namespace)).get("session_id")
            if isinstance(data, dict) and bound is not None:
                try:
                    if self._session_of(data.get("token")) == bound == data.get("session_id"):
                        return bound
                except SessionsUnavailable:
                    # Nothing is wrong with the socket; the message cannot be checked, so it waits.
                    await sio.emit(self.bot_message_evt, {"text": STORE_DISTURBED_MESSAGE}, room=sid, namespace=namespace)
                    return None
            logger.warning("socket.io message refused: its session does not match the socket's token")
            await sio.emit(self.bot_message_evt, {"text": SESSION_REFUSED}, room=sid, namespace=namespace)
            await sio.disconnect(sid, namespace=namespace)
            return None

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Any) -> None:
            session_id = await verified_session(sid, data)
            if session_id is not None:
                # Awaited: a coroutine in python-socketio 5, which Rasa's own handler never awaits
                # (version guard in assistant/rasa_workarounds.py).
                await sio.enter_room(sid, session_id, namespace=namespace)
                await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            session_id = await verified_session(sid, data)
            if session_id is None:
                return
            try:
                message = incoming(data.get("message"))
            except ValueError as error:
                await sio.emit(self.bot_message_evt, {"text": str(error)}, room=sid, namespace=namespace)
                return
            if message.kinds:
                await sio.emit(MASKED_MESSAGE_EVT, {"text": message.text}, room=sid, namespace=namespace)
            notice = self._warned.notice_for(session_id, message.kinds)
            if notice:
                await output.send_text_message(session_id, notice)
            turn = SessionOutput(sio, self.bot_message_evt)
            stored = await run_turn_or_tell_store_disturbed(
                lambda: on_new_message(UserMessage(message.text, turn, session_id, input_channel=self.name())),
                lambda text: turn.send_text_message(session_id, text),
            )
            if stored and not turn.sent:
                # Rasa ends a turn whose custom action it could not reach without a word (it logs
                # and listens); the widget user would wait for nothing.
                logger.warning("socket.io turn ended without a reply; is the action server reachable?")
                await turn.send_text_message(session_id, KNOWLEDGE_UNREACHABLE)

        return blueprint
