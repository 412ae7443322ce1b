"""The offline environment (offline.env at the repository root), for every Python process."""
from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

OFFLINE_FILE = Path(__file__).resolve().parent.parent / "offline.env"


def _read(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


OFFLINE_ENV: dict[str, str] = _read(OFFLINE_FILE)


def apply_offline_environment(environ: MutableMapping[str, str] = os.environ, force: bool = False) -> None:
    """Sets the offline variables; `force` overrides what the environment says (the Rasa start)."""
    for name, value in OFFLINE_ENV.items():
        if force:
            environ[name] = value
        else:
            environ.setdefault(name, value)
