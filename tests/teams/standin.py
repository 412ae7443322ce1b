"""A local stand-in for Microsoft's side of a Teams bot: OpenID metadata and signing keys, the
token endpoint, and the Bot Connector's /v3/conversations/{id}/activities.

It speaks the protocol as the channel sees it; Microsoft's services cannot be reached from here.
Runs an aiohttp server in a thread on a free loopback port and records every request.
"""
from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from assistant.processes import free_port

ISSUER = "https://api.botframework.com"
TEAMS_KID = "teams-key"
WEBCHAT_KID = "webchat-only-key"


def _jwk(private_key: rsa.RSAPrivateKey, kid: str, endorsements: list[str]) -> dict[str, Any]:
    jwk = json.loads(RSAAlgorithm.to_jwk(private_key.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "endorsements": endorsements}


@dataclass
class Request:
    kind: str  # "metadata", "keys", "token", "activity"
    path: str
    headers: dict[str, str]
    body: Any
    at: float = field(default_factory=time.monotonic)


class BotFrameworkStandIn:
    def __init__(self, app_id: str, app_password: str) -> None:
        self.app_id = app_id
        self.app_password = app_password
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.keys = {
            TEAMS_KID: rsa.generate_private_key(public_exponent=65537, key_size=2048),
            WEBCHAT_KID: rsa.generate_private_key(public_exponent=65537, key_size=2048),
        }
        self.published = [
            _jwk(self.keys[TEAMS_KID], TEAMS_KID, ["msteams", "emulator"]),
            _jwk(self.keys[WEBCHAT_KID], WEBCHAT_KID, ["webchat"]),
        ]
        self.access_token = secrets.token_urlsafe(24)
        self.requests: list[Request] = []
        # Conversations whose replies the connector refuses, to see the channel report it.
        self.failing_conversations: set[str] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    # --- what the channel is configured with
    @property
    def metadata_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    @property
    def token_url(self) -> str:
        return f"{self.url}/tenant-0000/oauth2/v2.0/token"

    # --- server
    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/keys", self._jwks)
        app.router.add_post("/tenant-0000/oauth2/v2.0/token", self._token)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._activity)
        return app

    def _record(self, kind: str, request: web.Request, body: Any) -> None:
        self.requests.append(Request(kind, request.path, dict(request.headers), body))

    async def _metadata(self, request: web.Request) -> web.Response:
        self._record("metadata", request, None)
        return web.json_response({
            "issuer": ISSUER,
            "jwks_uri": f"{self.url}/keys",
            "id_token_signing_alg_values_supported": ["RS256"],
        })

    async def _jwks(self, request: web.Request) -> web.Response:
        self._record("keys", request, None)
        return web.json_response({"keys": self.published})

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self._record("token", request, form)
        if form.get("client_id") != self.app_id or form.get("client_secret") != self.app_password:
            return web.json_response({"error": "invalid_client"}, status=401)
        return web.json_response({"token_type": "Bearer", "expires_in": 3600, "access_token": self.access_token})

    async def _activity(self, request: web.Request) -> web.Response:
        body = await request.json()
        conversation_id = request.match_info["conversation_id"]
        self._record("activity", request, {"conversation_id": conversation_id, "activity": body})
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return web.json_response({"error": "unauthorized"}, status=401)
        if conversation_id in self.failing_conversations:
            return web.json_response({"error": "connector down"}, status=503)
        return web.json_response({"id": uuid.uuid4().hex})

    def start(self) -> None:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            self._runner = web.AppRunner(self._app())
            self._loop.run_until_complete(self._runner.setup())
            self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(10)

    def stop(self) -> None:
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # --- what tests read
    def of_kind(self, kind: str) -> list[Request]:
        return [r for r in self.requests if r.kind == kind]

    def replies(self, conversation_id: str) -> list[dict[str, Any]]:
        return [r.body["activity"] for r in self.of_kind("activity") if r.body["conversation_id"] == conversation_id]

    # --- what Teams would send
    def token(
        self,
        service_url: str,
        *,
        kid: str | None = TEAMS_KID,
        algorithm: str = "RS256",
        signing_key: Any = None,
        **claims: Any,
    ) -> str:
        """A channel token; a claim given as None is left out."""
        now = int(time.time())
        payload = {"iss": ISSUER, "aud": self.app_id, "nbf": now - 5, "iat": now - 5, "exp": now + 600,
                   "serviceurl": service_url, **claims}
        payload = {k: v for k, v in payload.items() if v is not None}
        headers = {"kid": kid} if kid else {}
        key = signing_key if signing_key is not None else self.keys[kid or TEAMS_KID]
        return jwt.encode(payload, key, algorithm=algorithm, headers=headers)

    def service_url(self) -> str:
        return f"{self.url}/"

    def message(self, text: str | None, conversation_id: str | None = None, **extra: Any) -> dict[str, Any]:
        activity = {
            "type": "message",
            "id": uuid.uuid4().hex,
            "timestamp": "2026-11-24T06:00:00.000Z",
            "channelId": "msteams",
            "serviceUrl": self.service_url(),
            "from": {"id": "29:handlaggare-" + uuid.uuid4().hex[:8], "name": "Anna Handläggare",
                     "aadObjectId": str(uuid.uuid4())},
            "conversation": {"id": conversation_id or f"a:teams-{uuid.uuid4().hex}", "conversationType": "personal",
                             "tenantId": "tenant-0000"},
            "recipient": {"id": f"28:{self.app_id}", "name": "Insatslotsen"},
            "channelData": {"tenant": {"id": "tenant-0000"}},
            **extra,
        }
        if text is not None:
            activity["text"] = text
        return activity
