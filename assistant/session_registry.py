"""What a token's signature cannot say: that it was superseded by a renewal, or that its
conversation was erased.

One row per session that has been renewed or revoked (a session never renewed needs none):
the generation of its current token, whether it is revoked, and when the row may be forgotten
(when no token of the session can be valid any more, at its maximum age). The table lives in
the tracker store's database - the one `python -m assistant erase` already opens, shared by
every replica and by the HTTP app and the Rasa process alike.
"""
from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import URL

from assistant.stores.engines import engine_for, url_key

_metadata = sa.MetaData()
session_state = sa.Table(
    "insatslotsen_session_state",
    _metadata,
    sa.Column("session_id", sa.String(32), primary_key=True),
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
    sa.Column("forget_after", sa.Float, nullable=False),
)


# Built once: a statement built per call is traversed again for SQLAlchemy's compiled-statement
# cache key on every execution (a quarter of a check's CPU, asked on every turn in the app and in
# the Rasa process).
_CURRENT_STATE = sa.select(session_state.c.generation, session_state.c.revoked).where(
    session_state.c.session_id == sa.bindparam("session_id"))


class SessionsUnavailable(RuntimeError):
    """The registry's database did not answer: no token can be checked or renewed now."""


class Superseded(Exception):
    """The token was renewed since, or its session revoked."""


class SessionRegistry:
    def __init__(self, url: URL | str) -> None:
        self.url = url_key(url)

    def _engine(self) -> sa.engine.Engine:
        try:
            return engine_for(self.url, _metadata)
        except sa.exc.SQLAlchemyError as error:
            raise SessionsUnavailable(type(error).__name__) from None

    def check(self, session_id: str, generation: int) -> None:
        """Superseded if the session was revoked or a later token of it was issued."""
        try:
            with self._engine().connect() as connection:
                row = connection.execute(_CURRENT_STATE, {"session_id": session_id}).first()
        except sa.exc.SQLAlchemyError as error:
            raise SessionsUnavailable(type(error).__name__) from None
        if row is not None and (row.revoked or row.generation > generation):
            raise Superseded(session_id)

    def advance(self, session_id: str, generation: int, forget_after: float) -> None:
        """Records that the token of `generation` is replaced by the next one; Superseded if it was
        not the session's current token (an older one, a second renewal of the same, or revoked)."""
        table = session_state
        try:
            with self._engine().begin() as connection:
                updated = connection.execute(
                    table.update()
                    .where(table.c.session_id == session_id, table.c.generation == generation,
                           table.c.revoked == sa.false())
                    .values(generation=generation + 1, forget_after=forget_after)
                ).rowcount
                if updated:
                    return
                if connection.execute(sa.select(table.c.session_id).where(table.c.session_id == session_id)).first():
                    raise Superseded(session_id)
                connection.execute(table.insert().values(
                    session_id=session_id, generation=generation + 1, revoked=False, forget_after=forget_after))
        except sa.exc.IntegrityError:
            raise Superseded(session_id) from None  # a parallel renewal of the same token won
        except sa.exc.SQLAlchemyError as error:
            raise SessionsUnavailable(type(error).__name__) from None

    def revoke(self, session_id: str, forget_after: float) -> None:
        """No token of the session is accepted any more, whatever its generation."""
        table = session_state
        try:
            with self._engine().begin() as connection:
                updated = connection.execute(
                    table.update().where(table.c.session_id == session_id).values(revoked=True, forget_after=forget_after)
                ).rowcount
                if not updated:
                    connection.execute(table.insert().values(
                        session_id=session_id, generation=0, revoked=True, forget_after=forget_after))
        except sa.exc.SQLAlchemyError as error:
            raise SessionsUnavailable(type(error).__name__) from None

    def forget_expired(self, now: float | None = None) -> int:
        """Drops rows of sessions none of whose tokens can be valid any more; how many."""
        now = time.time() if now is None else now
        with self._engine().begin() as connection:
            return connection.execute(session_state.delete().where(session_state.c.forget_after < now)).rowcount
