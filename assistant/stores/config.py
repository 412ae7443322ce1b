"""Reads the tracker store from the same endpoints file Rasa reads, so the HTTP app's readiness check
and the retention command look at exactly the database the Rasa server writes to."""
from __future__ import annotations

import os
import re
from collections import ChainMap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy.engine import URL, make_url

from assistant.processes import ROOT
from assistant.stores.engines import is_local_file

_ENV_REFERENCE = re.compile(r"\$\{([^}]+)\}")
# Where `python -m assistant run` keeps the embedded store, for commands run without the variable.
DEFAULT_ENV = {"TRACKER_DB": str(ROOT / "var" / "tracker.db")}


class StoreConfigError(ValueError):
    """The endpoints file does not describe an SQL tracker store this project can reach."""


def _substitute(value, environ):
    # Rasa expands ${VAR} in every string of the endpoints file and refuses unset variables.
    if isinstance(value, str):
        def replace(match: re.Match) -> str:
            name = match.group(1)
            if name not in environ:
                raise StoreConfigError(f"miljövariabeln {name} (används i endpoints-filen) är inte satt")
            return environ[name]
        return _ENV_REFERENCE.sub(replace, value)
    if isinstance(value, dict):
        return {key: _substitute(item, environ) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, environ) for item in value]
    return value


@dataclass(frozen=True)
class TrackerStoreConfig:
    url: URL

    def missing_file(self) -> bool:
        """An SQLite store whose file Rasa has not created yet (connecting would create it)."""
        return is_local_file(self.url) and not Path(self.url.database or "").exists()

    def describe(self) -> str:
        """The store without its password, for messages and logs."""
        return self.url.render_as_string(hide_password=True)


def endpoints_path(path: str | os.PathLike | None = None) -> Path:
    from assistant.settings import get_settings

    chosen = Path(path or get_settings().endpoints_file)
    return chosen if chosen.is_absolute() else ROOT / chosen


# Every chat turn asks for the store twice (before and after the turn) and the session registry
# once; parsing the YAML each time was a third of the check's cost. Keyed by the file's mtime and
# size, so an edited file is read again; callers get a substituted copy, never the cached dict.
@lru_cache(maxsize=8)
def _parsed(file: Path, mtime_ns: int, size: int) -> dict:
    return yaml.safe_load(file.read_text(encoding="utf-8")) or {}


def _section(name: str, path: str | os.PathLike | None, environ) -> dict | None:
    """One section of the endpoints file with its ${VARIABLES} filled in, or None if it has none."""
    file = endpoints_path(path)
    try:
        stat = file.stat()
        endpoints = _parsed(file, stat.st_mtime_ns, stat.st_size)
    except OSError as error:
        raise StoreConfigError(f"endpoints-filen {file} kan inte läsas: {error}") from error
    section = endpoints.get(name)
    if not section:
        return None
    # Looked up through, not copied: a copy of os.environ decodes every variable, and this runs
    # for every chat turn in the app and three times in the Rasa process (~0.1 ms each).
    return _substitute(section, ChainMap(os.environ if environ is None else environ, DEFAULT_ENV))


def tracker_store_config(path: str | os.PathLike | None = None, environ=None) -> TrackerStoreConfig:
    """The SQL tracker store configured in the endpoints file (the embedded SQLite or PostgreSQL)."""
    store = _section("tracker_store", path, environ)
    if store is None:
        raise StoreConfigError(f"{endpoints_path(path)} har ingen tracker_store")
    store_type = str(store.get("type", ""))
    if store_type.lower() != "sql" and not store_type.startswith("assistant.stores."):
        raise StoreConfigError(f"tracker_store av typen {store_type!r} stöds inte; använd SQL")
    return TrackerStoreConfig(sql_url(store))


def sql_url(store: dict) -> URL:
    """The same URL Rasa's SQLTrackerStore.get_db_url builds from an endpoints entry."""
    host = store.get("url")
    if host and "://" in host:
        return make_url(host)
    port = store.get("port")
    return URL.create(
        store.get("dialect", "sqlite"),
        username=store.get("username"),
        password=store.get("password"),
        host=host,
        port=int(port) if port else None,
        database=store.get("db", "rasa.db"),
        query=store.get("query") or {},
    )


@dataclass(frozen=True)
class RedisConfig:
    host: str
    port: int
    db: int
    password: str | None


def redis_config(path: str | os.PathLike | None = None, environ=None) -> RedisConfig | None:
    """The Redis of the endpoints file's lock store (several replicas), or None for a single
    process (Rasa's in-memory lock store)."""
    store = _section("lock_store", path, environ)
    if store is None:
        return None
    store_type = str(store.get("type", ""))
    if store_type.lower() != "redis" and not store_type.endswith("RedisLockStore"):
        return None
    return RedisConfig(
        host=str(store.get("url") or "localhost"),
        port=int(store.get("port") or 6379),
        db=int(store.get("db") or 0),
        password=store.get("password") or None,
    )
