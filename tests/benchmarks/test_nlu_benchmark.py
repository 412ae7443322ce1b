"""The scoring and plumbing of `make bench-nlu` (benchmarks/nlu.py), without training anything."""
from pathlib import Path

import pytest
import yaml

from benchmarks import nlu

ROOT = Path(__file__).resolve().parents[2]


def test_macro_f1_is_one_when_every_intent_is_right():
    assert nlu.macro_f1(["greet", "inform", "inform"], ["greet", "inform", "inform"]) == 1.0


def test_macro_f1_counts_a_fallback_as_a_wrong_intent_of_its_own():
    # greet: 1 of 2 right (F1 2/3); inform right (1); nlu_fallback predicted, never gold (0).
    score = nlu.macro_f1(["greet", "greet", "inform"], ["greet", "nlu_fallback", "inform"])
    assert score == pytest.approx((2 / 3 + 1 + 0) / 3)


def test_macro_f1_of_an_empty_subset_is_unknown_not_perfect():
    assert nlu.macro_f1([], []) is None


def test_entity_f1_compares_values_after_synonyms_per_message():
    gold = [(("insats", "stodinsats_4_2"),), (("roll", "uppsokare"), ("alder", "28"))]
    predicted = [(("insats", "stodinsats_4_2"),), (("alder", "28"),)]
    assert nlu.entity_f1(gold, predicted, ("insats", "roll")) == pytest.approx(2 * 1 / (2 * 1 + 0 + 1))
    assert nlu.entity_f1(gold, predicted, None) == pytest.approx(2 * 2 / (2 * 2 + 0 + 1))


def test_entity_f1_is_unknown_without_gold_entities_of_those_names():
    assert nlu.entity_f1([(("alder", "3"),)], [()], ("insats",)) is None


def test_a_spurious_entity_lowers_precision():
    assert nlu.entity_f1([(("insats", "finsam"),)], [(("insats", "finsam"), ("roll", "handlaggare"))], None) == pytest.approx(2 / 3)


def test_the_eval_list_format_is_read_with_its_subsets(tmp_path):
    path = tmp_path / "heldout.yaml"
    path.write_text(yaml.safe_dump([
        {"text": "hej", "intent": "greet", "subset": "clean", "kind": "chitchat", "facts": {}},
        {"text": "tack for hjalpen", "intent": "thank", "subset": "folded", "kind": "chitchat", "facts": {}},
    ]), encoding="utf-8")
    messages, kind = nlu.load_eval_messages(path)
    assert [(m.text, m.intent, m.subset) for m in messages] == [("hej", "greet", "clean"), ("tack for hjalpen", "thank", "folded")]
    assert kind == "issue-14 list"


def test_an_unknown_subset_is_refused(tmp_path):
    path = tmp_path / "heldout.yaml"
    path.write_text(yaml.safe_dump([{"text": "hej", "intent": "greet", "subset": "slarvig"}]), encoding="utf-8")
    with pytest.raises(ValueError, match="slarvig"):
        nlu.load_eval_messages(path)


def test_a_rasa_nlu_file_gives_clean_messages_and_folded_copies_of_those_with_aao(tmp_path):
    path = tmp_path / "heldout.yml"
    path.write_text('version: "3.1"\nnlu:\n- intent: thank\n  examples: |\n    - tack för hjälpen\n    - tack\n', encoding="utf-8")
    messages, _ = nlu.load_eval_messages(path)
    assert sorted((m.text, m.subset) for m in messages) == [
        ("tack", "clean"), ("tack for hjalpen", "folded"), ("tack för hjälpen", "clean"),
    ]


def test_gold_entity_values_are_mapped_through_the_training_synonyms():
    messages = nlu.load_entity_messages(ROOT / "tests" / "nlu" / "heldout.yml")
    values = {value for m in messages for name, value in m.entities if name == "insats"}
    assert "stodinsats_4_2" in values
    assert "4:2" not in values


def test_a_candidate_keeps_config_ymls_policies_and_language(tmp_path):
    candidate = nlu.pipeline_config(nlu.PIPELINES_DIR / "diet_100.yml", tmp_path)
    config = yaml.safe_load(candidate.read_text(encoding="utf-8"))
    ours = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    assert config["policies"] == ours["policies"] and config["language"] == ours["language"]
    assert [c["name"] for c in config["pipeline"]][-3:] == ["DIETClassifier", "EntitySynonymMapper", "FallbackClassifier"]


def test_rows_are_named_so_the_reference_row_can_be_found():
    assert nlu.row_name(ROOT / "config.yml") == "config.yml"
    assert nlu.row_name(nlu.PIPELINES_DIR / "diet_100.yml") == "diet_100"


def test_the_table_compares_with_the_reference_row_and_the_starter():
    def result(name, cpu):
        return nlu.Result(name, nlu.Training(cpu * 2, cpu), 1.0, parse_ms=[1.0, 2.0], parse_cpu_ms=[1.0, 2.0],
                          intent_f1={"clean": 0.9, "folded": None, "typo": 0.8})

    text = nlu.table([result("config.yml", 30.0), result("diet_100", 600.0)], nlu.Training(120.0, 60.0), "config.yml")
    lines = text.splitlines()
    rows = [line.split(" | ") for line in lines[2:]]
    assert rows[0][:5] == ["| config.yml", "60.0", "30.0", "0.50", "1.00"]
    assert rows[1][3:5] == ["10.00", "20.00"]
    assert rows[2][:5] == ["| rasa init (starter)", "120.0", "60.0", "1.00", "2.00"]
    assert {line.count("|") for line in lines} == {16}  # every row has the header's 15 cells
