"""Prints the dialogue evaluation from `rasa test` reports: intent macro-F1, entity F1, stories."""
import json
import sys
from pathlib import Path


def nlu_scores(results: Path) -> dict[str, float]:
    intents = json.loads((results / "nlu" / "intent_report.json").read_text())
    # One report per entity extractor in config.yml's pipeline (StoredCRFEntityExtractor_report.json today).
    reports = sorted(p for p in (results / "nlu").glob("*_report.json") if p.name != "intent_report.json")
    entities = json.loads(reports[0].read_text())
    return {
        "intent macro-F1": intents["macro avg"]["f1-score"],
        "intent accuracy": intents["accuracy"],
        "entity micro-F1": entities["micro avg"]["f1-score"],
        "entity macro-F1": entities["macro avg"]["f1-score"],
    }


def story_scores(results: Path) -> dict[str, float]:
    report = json.loads((results / "core" / "story_report.json").read_text())
    failed = (results / "core" / "failed_test_stories.yml").read_text()
    failed_count = failed.count("- story:")
    conversations = report.get("conversation_accuracy", {})
    return {
        "stories": conversations.get("total", 0),
        "stories failed": failed_count,
        "action accuracy": report.get("accuracy", report.get("weighted avg", {}).get("f1-score", 0.0)),
    }


def main(results: Path) -> int:
    rows = {**nlu_scores(results), **story_scores(results)}
    width = max(map(len, rows))
    for name, value in rows.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{name:<{width}}  {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "results")))
