"""Signed widget session tokens: the only proof a socket.io client has of which conversation it owns.

A token is `<payload>.<signature>`, both base64url without padding. The payload is JSON
`{"sid": <32 hex session id>, "exp": <unix seconds>}`; the signature is HMAC-SHA256 over the
encoded payload with the shared secret. The HTTP app issues tokens (POST /api/session) and the
Rasa socket.io channel checks them, so both processes get the secret from the same variable.
Standard library only: the Rasa process imports this module too.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass

SECRET_ENV = "INSATSLOTSEN_SESSION_SECRET"
MAX_TOKEN_CHARS = 512
_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
# Binds the signature to this use of the secret, should the secret ever sign anything else.
_CONTEXT = b"insatslotsen-session-v1."


class InvalidToken(Exception):
    """The token is malformed, carries a wrong signature or has expired."""


@dataclass(frozen=True)
class SessionToken:
    session_id: str
    token: str
    expires_at: int  # unix seconds


def new_session_id() -> str:
    return secrets.token_hex(16)


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: str) -> str:
    return _b64encode(hmac.new(secret.encode(), _CONTEXT + payload.encode("ascii"), hashlib.sha256).digest())


def issue(session_id: str, secret: str, lifetime_seconds: float, now: float | None = None) -> SessionToken:
    if not _SESSION_ID.match(session_id):
        raise ValueError("a session id is 32 lowercase hex digits")
    expires_at = int((time.time() if now is None else now) + lifetime_seconds)
    payload = _b64encode(json.dumps({"sid": session_id, "exp": expires_at}, separators=(",", ":")).encode())
    return SessionToken(session_id, f"{payload}.{_signature(secret, payload)}", expires_at)


def verify(token: object, secret: str, now: float | None = None) -> str:
    """The session id the token was issued for; InvalidToken if it is not a valid, current token."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
        raise InvalidToken("malformed")
    payload, signature = token.split(".")
    try:
        expected = _signature(secret, payload)
    except UnicodeEncodeError:
        raise InvalidToken("malformed") from None
    if not hmac.compare_digest(expected, signature):
        raise InvalidToken("bad signature")
    try:
        claims = json.loads(_b64decode(payload))
        session_id, expires_at = claims["sid"], claims["exp"]
    except (ValueError, binascii.Error, KeyError, TypeError):
        raise InvalidToken("malformed") from None
    if not isinstance(session_id, str) or not _SESSION_ID.match(session_id) or not isinstance(expires_at, int):
        raise InvalidToken("malformed")
    if expires_at <= (time.time() if now is None else now):
        raise InvalidToken("expired")
    return session_id
