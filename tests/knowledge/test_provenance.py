"""Every answer carries the versions of the rules, corpus, index and models that produced it."""
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from knowledge import provenance
from knowledge.criteria import check
from knowledge.provenance import knowledge_versions, stamp


@pytest.fixture(autouse=True)
def fresh_versions():
    knowledge_versions.cache_clear()
    yield
    knowledge_versions.cache_clear()


def test_a_stamped_result_names_every_version_and_when_it_was_made():
    result = stamp(check({"alder": 30}), model="abc123", now=datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc))
    versions = result["versions"]
    assert set(versions) >= {"rules", "corpus", "index", "model", "embedding_model"}
    assert versions["rules"] == check({})["versions"]["rules"]
    assert versions["model"] == "abc123"
    assert all(versions[key].startswith("sha256:") for key in ("rules", "corpus", "index"))
    assert result["generated_at"] == "2026-11-24T09:30:00+00:00"


def test_stamping_adds_fields_and_changes_no_verdict():
    plain = check({"alder": 30, "forsorjningsstod": True})
    stamped = stamp(plain)
    assert {k: v for k, v in stamped.items() if k not in {"versions", "generated_at"}} == {
        k: v for k, v in plain.items() if k != "versions"
    }


def test_without_a_built_index_the_index_version_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("INSATSLOTSEN_INDEX_DIR", str(tmp_path))
    assert knowledge_versions()["index"] is None
    assert knowledge_versions()["rules"].startswith("sha256:")


def test_the_index_version_follows_its_contents_not_its_build_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    params = {"version": 1, "corpus_hash": "a", "code_hash": "b", "model_hash": "c",
              "tokenizer_fingerprint": "d", "bm25": {"k1": 1.2, "b": 0.75}, "built_at": "2026-01-01"}
    monkeypatch.setenv("INSATSLOTSEN_INDEX_DIR", str(tmp_path))

    def version_of(**changes) -> str:
        (tmp_path / "params.json").write_text(json.dumps({**params, **changes}))
        knowledge_versions.cache_clear()
        return knowledge_versions()["index"]

    built_once = version_of()
    assert version_of(built_at="2026-02-02", build_seconds=3) == built_once
    assert version_of(corpus_hash="other") != built_once
    assert version_of(model_hash="other") != built_once


def test_the_rules_version_changes_when_a_rule_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from knowledge.criteria import schema

    before = schema.load_rulebook().version
    source = Path(schema.__file__).parent
    copy = tmp_path / "criteria"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    rule = next((copy / "rules").glob("*.yaml"))
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# ändrad\n", encoding="utf-8")
    assert schema.load_rulebook(copy).version != before
