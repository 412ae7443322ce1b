"""Test-side helpers: a widget's socket.io connection and a recorder of what the action server receives."""
from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import socketio


class WidgetClient:
    """One browser tab: a socket.io connection through the HTTP app, made the way the widget makes it."""

    def __init__(self, api_url: str, origin: str | None = None) -> None:
        self.api_url = api_url
        self.origin = api_url if origin is None else origin
        self.messages: list[Any] = []      # bot_uttered payloads, in arrival order
        self.confirmed: list[str] = []     # session_confirm payloads
        self.refusals: list[Any] = []      # connect_error payloads
        self.masked: list[Any] = []        # user_uttered_masked payloads
        self.disconnected = threading.Event()
        self._arrived = threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("bot_uttered", lambda data: self._keep(self.messages, data))
        self.sio.on("session_confirm", lambda data: self._keep(self.confirmed, data))
        self.sio.on("connect_error", lambda data: self._keep(self.refusals, data))
        self.sio.on("user_uttered_masked", lambda data: self._keep(self.masked, data))
        self.sio.on("disconnect", lambda *reason: self.disconnected.set())

    def _keep(self, inbox: list, data: Any) -> None:
        with self._arrived:
            inbox.append(data)
            self._arrived.notify_all()

    def connect(self, token: str | None) -> None:
        self.sio.connect(
            self.api_url,
            socketio_path="socket.io",
            transports=["websocket"],
            auth=None if token is None else {"token": token},
            headers={"Origin": self.origin},
            wait_timeout=15,
        )

    def emit(self, event: str, data: Any) -> None:
        self.sio.emit(event, data)

    def wait_for(
        self, predicate: Callable[[Any], bool], inbox: list | None = None, timeout: float = 90, start: int = 0
    ) -> Any:
        """The first payload in `inbox` (default: bot messages) from index `start` on that satisfies `predicate`."""
        inbox = self.messages if inbox is None else inbox
        with self._arrived:
            found = self._arrived.wait_for(lambda: next((m for m in inbox[start:] if predicate(m)), None), timeout)
        if found is None:
            raise AssertionError(f"nothing matching arrived within {timeout} s; got {inbox!r}")
        return found

    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages if isinstance(m, dict) and "text" in m]

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()
        self.sio.shutdown()


class ActionRecorder:
    """Stands between Rasa and the action server, keeping every request body Rasa sends it."""

    def __init__(self, port: int, target: str) -> None:
        self.bodies: list[bytes] = []
        recorder = self

        class Forward(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                recorder.bodies.append(body)
                request = urllib.request.Request(
                    target + self.path, data=body, headers={"content-type": "application/json"}
                )
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        status, reply = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, reply = error.code, error.read()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Forward)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "ActionRecorder":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def received(self) -> str:
        return "\n".join(body.decode("utf-8", errors="replace") for body in self.bodies)
