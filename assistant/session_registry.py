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
from functools import lru_cache

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


_CURRENT_STATE = sa.select(session_state.c.generation, session_state.c.revoked).where(
    session_state.c.session_id == sa.bindparam("session_id"))


@lru_cache(maxsize=4)
def _current_state_sql(dialect: sa.engine.Dialect) -> tuple[str, tuple[str, ...] | None]:
    """The check's SQL in the dialect's own words, and the order of its parameters if the
    driver takes them by position (SQLite's "?") rather than by name (psycopg2's "%(name)s")."""
    compiled = _CURRENT_STATE.compile(dialect=dialect)
    return compiled.string, tuple(compiled.positiontup) if compiled.positional else None


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
        # Asked on every turn in the app and in the Rasa process, so on the driver's own connection
        # (from the engine's pool, pre-pinged as ever): SQLAlchemy's statement execution and result
        # rows were 0.22 of the check's 0.25 ms; the same query, no cached answer, so a revocation
        # or renewal by any process counts at once.
        engine = self._engine()
        sql, positions = _current_state_sql(engine.dialect)
        parameters = {"session_id": session_id}
        try:
            connection = engine.raw_connection()
        except sa.exc.SQLAlchemyError as error:
            raise SessionsUnavailable(type(error).__name__) from None
        try:
            cursor = connection.cursor()
            cursor.execute(sql, parameters if positions is None else tuple(parameters[p] for p in positions))
            row = cursor.fetchone()
            cursor.close()
        except engine.dialect.dbapi.Error as error:
            raise SessionsUnavailable(type(error).__name__) from None
        finally:
            connection.close()  # back to the pool, rolled back as a Connection's would be
        if row is not None:
            current_generation, revoked = row
            if revoked or current_generation > generation:
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
