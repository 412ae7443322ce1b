"""The checker applies the rules in force on the day asked, by default today.

A copy of the rule files in which FINSAM only comes into force in a month: today it is not
checked at all, from that day on it is; `valid_to` ends a rule the same way.
"""
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from knowledge.criteria import checker, schema

FACTS = {"flera_myndigheter_involverade": True, "samtycke_finsam": True}


def rules_with(tmp_path: Path, field: str, day: date) -> schema.RuleBook:
    copy = tmp_path / "criteria"
    shutil.copytree(Path(schema.__file__).parent, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    rule = copy / "rules" / "finsam.yaml"
    text = rule.read_text(encoding="utf-8")
    rule.write_text(text.replace("last_verified:", f"{field}: {day.isoformat()}\nlast_verified:", 1), encoding="utf-8")
    return schema.load_rulebook(copy)


def checked_ids(monkeypatch: pytest.MonkeyPatch, rulebook: schema.RuleBook, on: date | None = None) -> list[str]:
    monkeypatch.setattr(checker, "load_rulebook", lambda: rulebook)
    return [item["id"] for item in checker.check(FACTS, on=on)["interventions"]]


def test_a_rule_whose_valid_from_lies_in_the_future_is_not_applied_today(tmp_path, monkeypatch):
    in_a_month = date.today() + timedelta(days=30)
    rulebook = rules_with(tmp_path, "valid_from", in_a_month)
    assert "finsam" not in checked_ids(monkeypatch, rulebook)
    assert "finsam" not in checked_ids(monkeypatch, rulebook, on=in_a_month - timedelta(days=1))
    assert "finsam" in checked_ids(monkeypatch, rulebook, on=in_a_month)


def test_a_rule_past_its_valid_to_is_no_longer_applied(tmp_path, monkeypatch):
    yesterday = date.today() - timedelta(days=1)
    rulebook = rules_with(tmp_path, "valid_to", yesterday)
    assert "finsam" not in checked_ids(monkeypatch, rulebook)
    assert "finsam" in checked_ids(monkeypatch, rulebook, on=yesterday)


def test_the_version_of_the_rules_changes_with_a_validity_date(tmp_path):
    assert rules_with(tmp_path, "valid_from", date(2030, 1, 1)).version != schema.load_rulebook().version
