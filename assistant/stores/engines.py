"""The app's own SQLAlchemy engines - the session registry, feedback and the tracker-store check:
one per database URL, all made the same way, and tables created safely by processes that start
together (Rasa keeps its own engine for the tracker store)."""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import QueuePool

# A database that does not answer must not hold a message (or the event loop) for long.
CONNECT_TIMEOUT_SECONDS = 2


def url_key(url: URL | str) -> str:
    """The URL as the engines are keyed by, password included (a URL object prints it masked)."""
    return url.render_as_string(hide_password=False) if isinstance(url, URL) else str(url)


def engine_for(url: URL | str, tables: sa.MetaData | None = None) -> sa.engine.Engine:
    """The engine for `url`, with the tables of `tables` created on first use."""
    key = url_key(url)
    engine = _engine(key)
    if tables is not None:
        _create_tables(key, tables)
    return engine


@lru_cache(maxsize=16)
def _engine(url: str) -> sa.engine.Engine:
    parsed = sa.engine.make_url(url)
    if is_local_file(url):
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Pooled, as SQLAlchemy 2.0 does for files: every message checks its session in the app and
        # in the Rasa process, and a new connection per check cost 0.14 ms of CPU, 0.36 ms where
        # the tracker store's WAL pragma runs on each connection (0.03 ms pooled). A pooled
        # connection is used by one thread at a time, so sqlite3's same-thread check only stands
        # in the way. Not SingletonThreadPool: by SQLAlchemy's documentation it is for :memory:
        # databases in tests, and with more threads than its size (the app's worker threads) it
        # closes other threads' connections.
        return sa.create_engine(parsed, poolclass=QueuePool, connect_args={"check_same_thread": False}, future=True)
    # A pooled connection costs well under a millisecond (a new one about 8 ms); pre-ping replaces
    # one a restarted server has dropped.
    return sa.create_engine(parsed, pool_size=2, max_overflow=4, pool_pre_ping=True, future=True,
                            connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})


T = TypeVar("T")


def is_local_file(url: URL | str) -> bool:
    return _backend(url_key(url)) == "sqlite"


@lru_cache(maxsize=16)
def _backend(url: str) -> str:
    return sa.engine.make_url(url).get_backend_name()


async def blocking_query(url: URL | str, call: Callable[..., T], *args) -> T:
    """`call(*args)`, a blocking query on the database at `url`, from a request handler: on the
    event loop for a local SQLite file (a pooled query takes microseconds, less than the hop to a
    worker thread), in a worker thread for a database server, which can take its connect timeout."""
    if is_local_file(url):
        return call(*args)
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(call, *args)


# Cached only once it succeeded (lru_cache keeps no exceptions): a database that was down is
# asked again on the next use.
@lru_cache(maxsize=16)
def _create_tables(url: str, metadata: sa.MetaData) -> None:
    # create_all looks for each table, then creates the missing ones: two replicas taking their
    # first message at the same moment can both find a table missing, and the later CREATE fails
    # (PostgreSQL: a duplicate pg_type row; SQLite: "already exists"). Looked for again, it is there.
    try:
        metadata.create_all(_engine(url))
    except sa.exc.DBAPIError:
        metadata.create_all(_engine(url))
