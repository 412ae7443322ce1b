"""Checks that an activity really comes from the Bot Framework, the way Microsoft's botbuilder SDK does.

Rasa 3.6's channel verifies only signature, audience and expiry. Here, in addition: the issuer,
an RS256/384/512 allow-list (no HS256 signed with a public key, no "none"), 5 minutes of clock
leeway, the token's `serviceurl` claim against the activity's `serviceUrl`, the signing key's
endorsements against the activity's channel, and an allow-list of `serviceUrl` hosts (replies
carry our access token to that URL, so it must be Microsoft's). Keys are fetched on first use –
the channel starts without network – cached, and refetched for an unknown `kid` at most hourly.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlsplit

import httpx
import jwt
from jwt.algorithms import RSAAlgorithm

logger = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512")
CLOCK_LEEWAY_SECONDS = 300
UNKNOWN_KID_REFRESH_SECONDS = 3600
KEY_MAX_AGE_SECONDS = 24 * 3600
# After a failed fetch with no keys cached: wait 1, 2, 4 … at most 60 s before the next attempt,
# answering KeysUnavailable meanwhile, so a flood of requests is not a flood of fetches.
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 60.0
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class AuthError(Exception):
    """The request is not from the Bot Framework: answered with 401."""


class KeysUnavailable(Exception):
    """The signing keys could not be fetched: answered with 503 so the Bot Framework retries."""


class SigningKeys:
    """The Bot Framework's public keys by `kid`, read from the OpenID metadata's `jwks_uri`."""

    def __init__(self, metadata_url: str, timeout: float = 10.0) -> None:
        self.metadata_url = metadata_url
        self.timeout = timeout
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        self._failures = 0
        self._retry_at = 0.0

    async def get(self, kid: str) -> dict[str, Any] | None:
        async with self._lock:
            if not self._keys and time.monotonic() < self._retry_at:
                raise KeysUnavailable("Bot Framework signing keys unavailable; the next attempt waits for the back-off")
            if self._fetched_at is None or self._age() > KEY_MAX_AGE_SECONDS:
                await self._fetch()
            elif kid not in self._keys and self._age() > UNKNOWN_KID_REFRESH_SECONDS:
                # Microsoft rolls keys over; an unknown kid may be a new key, but a flood of
                # made-up kids must not turn into a flood of requests to the metadata endpoint.
                await self._fetch()
            return self._keys.get(kid)

    def _age(self) -> float:
        return time.monotonic() - (self._fetched_at or 0.0)

    async def _fetch(self) -> None:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                metadata = await client.get(self.metadata_url)
                metadata.raise_for_status()
                keys = await client.get(metadata.json()["jwks_uri"])
                keys.raise_for_status()
                self._keys = {key["kid"]: key for key in keys.json()["keys"] if "kid" in key}
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            if not self._keys:
                self._retry_at = time.monotonic() + min(FIRST_BACKOFF_SECONDS * 2 ** self._failures, MAX_BACKOFF_SECONDS)
                self._failures += 1
                raise KeysUnavailable(f"Bot Framework signing keys unavailable: {error!r}") from error
            logger.warning("Could not refresh Bot Framework signing keys, keeping the cached ones: %r", error)
        else:
            self._failures = 0
        self._fetched_at = time.monotonic()


def service_url_allowed(service_url: str, allowed_hosts: frozenset[str]) -> bool:
    parts = urlsplit(service_url)
    host = (parts.hostname or "").lower()
    if host not in allowed_hosts:
        return False
    # Plain http only for a loopback stand-in; a real Bot Connector is always https.
    return parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK_HOSTS)


def bearer_token(auth_header: str | None) -> str:
    if not auth_header:
        raise AuthError("No Authorization header.")
    scheme, _, token = auth_header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("Authorization header is not a Bearer token.")
    return token.strip()


@dataclass
class ActivityAuthenticator:
    app_id: str
    keys: SigningKeys
    allowed_service_hosts: frozenset[str]

    async def authenticate(self, auth_header: str | None, activity: Mapping[str, Any]) -> dict[str, Any]:
        """The token's claims, or AuthError saying why the activity is refused."""
        if not self.app_id:
            raise AuthError("The Teams channel has no app id configured; every request is refused.")
        token = bearer_token(auth_header)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise AuthError(f"Malformed token: {error}") from error
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise AuthError(f"Token algorithm {algorithm!r} is not allowed.")
        if not kid or not isinstance(kid, str):
            raise AuthError("Token has no key id.")
        jwk = await self.keys.get(kid)
        if jwk is None:
            raise AuthError(f"Unknown signing key {kid!r}.")
        channel_id = activity.get("channelId")
        if not channel_id or channel_id not in (jwk.get("endorsements") or []):
            raise AuthError(f"Signing key is not endorsed for channel {channel_id!r}.")
        try:
            claims = jwt.decode(
                token,
                key=RSAAlgorithm.from_jwk(jwk),
                algorithms=[algorithm],
                audience=self.app_id,
                issuer=BOT_FRAMEWORK_ISSUER,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError) as error:
            raise AuthError(f"Token rejected: {error}") from error
        service_url = activity.get("serviceUrl")
        if not isinstance(service_url, str) or claims.get("serviceurl") != service_url:
            raise AuthError("The token's serviceurl claim does not match the activity's serviceUrl.")
        if not service_url_allowed(service_url, self.allowed_service_hosts):
            raise AuthError(f"serviceUrl host of {service_url!r} is not allowed.")
        return claims
