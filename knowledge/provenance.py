"""Which rules, corpus, passage index and models produced an answer.

Every check result is stamped with these versions and a `generated_at` time, so a handläggare (and a
later review of logs or feedback) can tell which version of the rules answered.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Mapping

from knowledge.criteria.schema import load_rulebook
from knowledge.retrieval.index import PARAMS_FILE, corpus_hash
from knowledge.settings import KnowledgeSettings

# The index parameters that decide what a search returns; build time and duration do not.
_INDEX_IDENTITY = ("version", "corpus_hash", "code_hash", "model_hash", "tokenizer_fingerprint", "bm25")


@lru_cache
def knowledge_versions() -> dict[str, str | None]:
    """Content hashes of the rule files, the corpus and the built passage index (None if not built)."""
    params = _index_params(KnowledgeSettings())
    return {
        "rules": load_rulebook().version,
        "corpus": "sha256:" + corpus_hash(),
        "index": _short_hash({key: params.get(key) for key in _INDEX_IDENTITY}) if params else None,
        "embedding_model": ("sha256:" + params["model_hash"]) if params and params.get("model_hash") else None,
    }


def stamp(result: Mapping[str, Any], model: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The check result with `versions` completed and `generated_at` set.

    `model` is the Rasa model's fingerprint (its model_id) when a conversation produced the result.
    """
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    versions = {**knowledge_versions(), **(result.get("versions") or {}), "model": model}
    return {**result, "versions": versions, "generated_at": moment.isoformat(timespec="seconds")}


def _index_params(settings: KnowledgeSettings) -> dict[str, Any] | None:
    try:
        return json.loads((settings.index_dir / PARAMS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _short_hash(data: Mapping[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
