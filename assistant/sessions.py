"""Sessions as every way in sees them: start, renew, check and revoke, with the configured secret,
lifetimes and registry. The HTTP app (POST /api/session, /api/chat), the Rasa REST and socket.io
channels and `python -m assistant erase` all ask this one place.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from assistant.session_registry import SessionRegistry, SessionsUnavailable, Superseded
from assistant.session_tokens import InvalidToken, SessionToken, issue, new_session_id, renewal, verify_token
from assistant.settings import Settings

__all__ = ["InvalidToken", "Sessions", "SessionsUnavailable", "sessions_from"]


@dataclass(frozen=True)
class Sessions:
    secret: str
    token_seconds: float
    max_age_seconds: float
    registry: SessionRegistry

    def start(self, now: float | None = None) -> SessionToken:
        return issue(new_session_id(), self.secret, self.token_seconds, now=now)

    def verify(self, token: object, now: float | None = None) -> SessionToken:
        """The token's claims if it is the current token of a live session; InvalidToken otherwise,
        SessionsUnavailable if the registry cannot be asked."""
        claims = verify_token(token, self.secret, self.max_age_seconds, now=now)
        try:
            self.registry.check(claims.session_id, claims.generation)
        except Superseded:
            raise InvalidToken("superseded or revoked") from None
        return claims

    def session_of(self, token: object, now: float | None = None) -> str:
        return self.verify(token, now=now).session_id

    def renew(self, token: object, now: float | None = None) -> SessionToken:
        """The next token of the same session; the one given stops being accepted."""
        now = time.time() if now is None else now
        current = self.verify(token, now=now)
        try:
            self.registry.advance(current.session_id, current.generation, self._forget_after(current))
        except Superseded:
            raise InvalidToken("superseded or revoked") from None
        return renewal(current, self.secret, self.token_seconds, self.max_age_seconds, now=now)

    def revoke(self, session_id: str, now: float | None = None) -> None:
        # The session's first token is unknown here; keep the row for a whole maximum age from now.
        now = time.time() if now is None else now
        self.registry.revoke(session_id, now + self.max_age_seconds)

    def _forget_after(self, claims: SessionToken) -> float:
        return claims.first_issued + self.max_age_seconds

    def forget_expired(self) -> int:
        return self.registry.forget_expired()


def channel_sessions() -> Sessions:
    """For the channels inside the Rasa process, which check tokens the HTTP app signed: a secret
    made up in this process would refuse every one of them, so none is made up here."""
    from assistant.session_tokens import SECRET_ENV
    from assistant.settings import get_settings

    settings = get_settings()
    if settings.session_secret_generated:
        raise RuntimeError(
            f"{SECRET_ENV} saknas: Rasas kanaler kan inte kontrollera sessioner utan den. "
            "`python -m assistant run` skickar samma hemlighet till webbappen och Rasa."
        )
    return sessions_from(settings)


def sessions_from(settings: Settings) -> Sessions:
    from assistant.stores.config import tracker_store_config

    return Sessions(
        secret=settings.session_secret.get_secret_value(),
        token_seconds=settings.session_token_hours * 3600,
        max_age_seconds=settings.session_max_hours * 3600,
        registry=SessionRegistry(tracker_store_config(settings.endpoints_file).url),
    )
