"""Signed session tokens: the only proof a client has of which conversation it owns.

A token is `<payload>.<signature>`, both base64url without padding. The payload is JSON
`{"sid": <32 hex session id>, "gen": <renewal count>, "first": <unix seconds of the session's
first token>, "exp": <unix seconds>}`; the signature is HMAC-SHA256 over the encoded payload
with the shared secret. The HTTP app issues tokens (POST /api/session); the HTTP app's
/api/chat, the Rasa REST channel and the socket.io channel check them, so every process gets
the secret from the same setting (INSATSLOTSEN_SESSION_SECRET).

What a signature alone cannot say - that a token was superseded by a renewal or that its
conversation was erased - is kept in assistant/session_registry.py. Standard library only here.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
import secrets
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

SECRET_ENV = "INSATSLOTSEN_SESSION_SECRET"
MAX_TOKEN_CHARS = 512
# By secret_strength_bits, which underestimates short random strings: secrets.token_urlsafe(32), the
# documented way, never scored below 168 in 20 000 draws, token_hex(32) never below 145.
MIN_SECRET_BITS = 128
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
_TOKEN_CHARACTERS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
# Binds the signature to this use of the secret, should the secret ever sign anything else.
_CONTEXT = b"insatslotsen-session-v2."


class InvalidToken(Exception):
    """The token is malformed, carries a wrong signature, has expired or is past the session's age."""


@dataclass(frozen=True)
class SessionToken:
    session_id: str
    token: str
    expires_at: int  # unix seconds
    generation: int = 0
    first_issued: int = 0  # unix seconds


def new_session_id() -> str:
    return secrets.token_hex(16)


def secret_strength_bits(secret: str) -> float:
    """A conservative estimate of the secret's entropy in bits.

    Length alone says little ("a" * 64 is long): the per-character Shannon entropy of the
    secret's own characters times the number of characters, where the number of characters is
    capped by what zlib cannot squeeze out of it (a repeated block counts once).
    """
    if not secret:
        return 0.0
    raw = secret.encode("utf-8")
    counts = Counter(secret)
    per_char = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    # zlib's fixed overhead is 11 bytes (header, checksum, final block); what remains is roughly the
    # number of bytes it needed to describe the secret.
    incompressible = max(len(zlib.compress(raw, 9)) - 11, 1)
    return per_char * min(len(secret), incompressible)


def weak_secret_reason(secret: str) -> str | None:
    """Swedish reason the secret is too weak to sign tokens, or None if it is strong enough."""
    bits = secret_strength_bits(secret)
    if bits < MIN_SECRET_BITS:
        return (
            f"{SECRET_ENV} är för svag (uppskattningsvis {bits:.0f} bitar slump, minst {MIN_SECRET_BITS} krävs). "
            "Skapa en med python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return None


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: str) -> str:
    return _b64encode(hmac.new(secret.encode(), _CONTEXT + payload.encode("ascii"), hashlib.sha256).digest())


def issue(session_id: str, secret: str, lifetime_seconds: float, now: float | None = None,
          generation: int = 0, first_issued: int | None = None) -> SessionToken:
    if not SESSION_ID.match(session_id):
        raise ValueError("a session id is 32 lowercase hex digits")
    now = time.time() if now is None else now
    first = int(now) if first_issued is None else first_issued
    expires_at = int(now + lifetime_seconds)
    claims = {"sid": session_id, "gen": generation, "first": first, "exp": expires_at}
    payload = _b64encode(json.dumps(claims, separators=(",", ":")).encode())
    return SessionToken(session_id, f"{payload}.{_signature(secret, payload)}", expires_at, generation, first)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def verify_token(token: object, secret: str, max_age_seconds: float, now: float | None = None) -> SessionToken:
    """The token's claims if it is well-formed, signed with the secret, not expired and its session
    not older than `max_age_seconds`; InvalidToken otherwise."""
    # Only the base64url alphabet: anything else (e.g. "a.é") is refused before any comparison.
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or not _TOKEN_CHARACTERS.match(token):
        raise InvalidToken("malformed")
    payload, signature = token.split(".")
    if not hmac.compare_digest(_signature(secret, payload).encode("ascii"), signature.encode("ascii")):
        raise InvalidToken("bad signature")
    try:
        claims = json.loads(_b64decode(payload))
        session_id, generation, first, expires_at = claims["sid"], claims["gen"], claims["first"], claims["exp"]
    except (ValueError, binascii.Error, KeyError, TypeError):
        raise InvalidToken("malformed") from None
    if not isinstance(session_id, str) or not SESSION_ID.match(session_id) or not all(
        _is_int(value) for value in (generation, first, expires_at)
    ):
        raise InvalidToken("malformed")
    now = time.time() if now is None else now
    if expires_at <= now:
        raise InvalidToken("expired")
    if now - first >= max_age_seconds:
        raise InvalidToken("session past its maximum age")
    return SessionToken(session_id, token, expires_at, generation, first)


def renewal(current: SessionToken, secret: str, lifetime_seconds: float, max_age_seconds: float,
            now: float | None = None) -> SessionToken:
    """The next token of the same session: one generation on, never past the session's maximum age."""
    now = time.time() if now is None else now
    lifetime = min(lifetime_seconds, current.first_issued + max_age_seconds - now)
    return issue(current.session_id, secret, lifetime, now=now, generation=current.generation + 1,
                 first_issued=current.first_issued)


# Asked on every turn, in the app (to send) and in Rasa's REST channel (to compare): one secret
# per process, so its key is derived once.
@lru_cache(maxsize=4)
def app_channel_key(secret: str) -> str:
    """What the HTTP app shows the Rasa REST channel (header APP_KEY_HEADER) to prove it is the app,
    derived from the shared secret so there is no second secret to distribute."""
    return _b64encode(hmac.new(secret.encode(), b"insatslotsen-rest-channel-v1", hashlib.sha256).digest())


APP_KEY_HEADER = "X-Insatslotsen-App-Key"


def app_key_matches(presented: object, secret: str) -> bool:
    return _ascii_matches(presented, app_channel_key(secret))


MASKED_TAG_HEADER = "X-Insatslotsen-Masked"


def masked_text_tag(text: str, secret: str) -> str:
    """What the HTTP app sends (header MASKED_TAG_HEADER) with a message it has checked and masked
    (assistant.user_input.incoming), so that Rasa's REST channel need not mask it a second time
    (0.5 ms of CPU for a case description). Keyed by the app's channel key, so only the app can
    make one; bound to the text, so any other text is masked by the channel as before."""
    return _b64encode(hmac.new(app_channel_key(secret).encode(), b"masked-v1\x00" + text.encode(), hashlib.sha256).digest())


def masked_tag_matches(presented: object, text: str, secret: str) -> bool:
    return _ascii_matches(presented, masked_text_tag(text, secret))


def _ascii_matches(presented: object, expected: str) -> bool:
    if not isinstance(presented, str) or not presented.isascii():
        return False
    return hmac.compare_digest(presented.encode("ascii"), expected.encode("ascii"))
