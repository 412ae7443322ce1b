"""Helpers for tests that run the HTTP app in-process: sessions kept in a temporary database."""
from __future__ import annotations

import secrets
from pathlib import Path

import pytest

# Strong enough for the secret check (assistant.session_tokens.weak_secret_reason), fixed per run.
TEST_SECRET = secrets.token_urlsafe(32)


@pytest.fixture
def session_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The session registry (in the tracker store's database, per endpoints.yml) in tmp_path."""
    db = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(db))
    return db


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
