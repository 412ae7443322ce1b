"""NLU on the evaluation set (tests/data/nlu_eval): `python -m benchmarks.nlu_eval`.

A half is tests/data/nlu_eval/<half>.yaml and the same half of the fresh sets written since
(HALVES); `--set` scores given files instead, e.g. `--set tests/data/nlu_eval/heldout.yaml` alone.

Facts: precision and recall of the (fact, value) pairs nlu.turn.read_turn reads, per subset
(clean / folded / typo). A wrong value counts as a false positive and a missed one, so a wrong
fact costs more than a missing one. Scored on the messages the consultation reads facts from
(case descriptions, answers, outreach, corrections, requests for a recommendation); needs no
Rasa: the labelled intent stands in for the model's.

Intents (with --model, the default when the trained model exists): macro-F1 of the model's
intent per subset, the model loaded in-process; then the facts again, end to end, with the
model's intent and DIET's entities.

The held-out half is the one to report; the tuning half is the one to look at (--half tune).
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nlu.turn import Turn, read_turn

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "tests" / "data" / "nlu_eval"
FRESH_DIR = ROOT / "benchmarks" / "data"
# The check half of a fresh set joins the held-out half, so `make eval` reports it; the older fresh
# sets stay separate (`--set`), as the rounds that wrote them reported them.
HALVES = {
    "heldout": (EVAL_DIR / "heldout.yaml", FRESH_DIR / "nlu_fresh18_check.yaml", FRESH_DIR / "nlu_fresh19_check.yaml",
                FRESH_DIR / "nlu_fresh20_check.yaml", FRESH_DIR / "nlu_fresh21_check.yaml"),
    "tune": (EVAL_DIR / "tune.yaml", FRESH_DIR / "nlu_fresh18_tune.yaml", FRESH_DIR / "nlu_fresh19_tune.yaml",
             FRESH_DIR / "nlu_fresh20_tune.yaml", FRESH_DIR / "nlu_fresh21_tune.yaml"),
}
DEFAULT_MODEL = ROOT / "models" / "insatslotsen.tar.gz"
SUBSETS = ("clean", "folded", "typo")
FACT_KINDS = {"case", "answer", "outreach", "correction", "recommendation"}


def scores_facts(item: Mapping[str, Any]) -> bool:
    """The item's facts are scored: a kind the consultation reads facts from, and labelled
    (the older fresh sets, benchmarks/data/nlu_fresh*.yaml, label intents only)."""
    return item["kind"] in FACT_KINDS and "facts" in item


@dataclass(frozen=True)
class FactScore:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        stated = self.true_positives + self.false_negatives
        return self.true_positives / stated if stated else 1.0


def score_facts(pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> FactScore:
    """(expected, read) fact dicts -> micro counts; a wrong value is both an FP and an FN."""
    tp = fp = fn = 0
    for expected, read in pairs:
        expected_pairs, read_pairs = set(expected.items()), set(read.items())
        tp += len(expected_pairs & read_pairs)
        fp += len(read_pairs - expected_pairs)
        fn += len(expected_pairs - read_pairs)
    return FactScore(tp, fp, fn)


def macro_f1(pairs: Iterable[tuple[str, str]]) -> float:
    """(expected, predicted) intents -> F1 averaged over every intent that occurs in either."""
    counts: dict[str, Counter] = {}
    for expected, predicted in pairs:
        for label in (expected, predicted):
            counts.setdefault(label, Counter())
        if expected == predicted:
            counts[expected]["tp"] += 1
        else:
            counts[predicted]["fp"] += 1
            counts[expected]["fn"] += 1
    if not counts:
        return 1.0
    scores = []
    for count in counts.values():
        denominator = 2 * count["tp"] + count["fp"] + count["fn"]
        scores.append(2 * count["tp"] / denominator if denominator else 1.0)
    return sum(scores) / len(scores)


def load_set(path: Path) -> list[dict[str, Any]]:
    """Items of one labelled set (the evaluation halves, benchmarks/data/nlu_fresh2_*.yaml)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_facts(item: Mapping[str, Any], intent: str, entities: tuple = ()) -> dict[str, Any]:
    return read_turn(Turn(intent, item["text"], entities), item.get("pending")).facts


def _by_subset(items: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups = [(subset, [item for item in items if item["subset"] == subset]) for subset in SUBSETS]
    return groups + [("alla", items)]


def facts_table(items: list[dict[str, Any]], read: Mapping[int, dict[str, Any]]) -> list[str]:
    lines = [f"{'delmängd':<10}{'meddelanden':>12}{'fakta':>7}{'precision':>11}{'recall':>8}"]
    for subset, group in _by_subset(items):
        scored = [item for item in group if scores_facts(item)]
        score = score_facts((item["facts"], read[id(item)]) for item in scored)
        stated = score.true_positives + score.false_negatives
        lines.append(f"{subset:<10}{len(scored):>12}{stated:>7}{score.precision:>11.3f}{score.recall:>8.3f}")
    return lines


def intent_table(items: list[dict[str, Any]], predicted: Mapping[int, str]) -> list[str]:
    lines = [f"{'delmängd':<10}{'meddelanden':>12}{'macro-F1':>10}{'rätt':>7}"]
    for subset, group in _by_subset(items):
        pairs = [(item["intent"], predicted[id(item)]) for item in group]
        right = sum(expected == guess for expected, guess in pairs)
        lines.append(f"{subset:<10}{len(group):>12}{macro_f1(pairs):>10.3f}{right:>7}")
    return lines


def errors(items: list[dict[str, Any]], read: Mapping[int, dict[str, Any]]) -> list[str]:
    lines = []
    for item in items:
        if scores_facts(item) and read[id(item)] != item["facts"]:
            expected, got = set(item["facts"].items()), set(read[id(item)].items())
            lines.append(f"  {item['text']!r}\n     saknas {sorted(expected - got)}  fel {sorted(got - expected)}")
    return lines


async def _parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Rasa logs every parse at debug level unless told otherwise; the tables are the output.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.nlu_eval", description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("heldout", "tune"), default="heldout")
    parser.add_argument("--set", type=Path, action="append", help="a labelled set in the same shape (e.g. benchmarks/data/nlu_fresh2_check.yaml) instead of a half; repeat it to score several as one")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="trained Rasa model (.tar.gz)")
    parser.add_argument("--facts-only", action="store_true", help="skip the model: facts with the labelled intent")
    parser.add_argument("--errors", action="store_true", help="list the messages whose facts were read wrong")
    args = parser.parse_args(argv)

    paths = [path.resolve() for path in args.set] if args.set else list(HALVES[args.half])
    items = [item for path in paths for item in load_set(path)]
    name = args.half if not args.set else " + ".join(path.stem for path in paths)
    print(f"NLU-utvärdering, {name} ({len(items)} meddelanden: {', '.join(str(path.relative_to(ROOT)) for path in paths)})")
    lexicon_read = {id(item): read_facts(item, item["intent"]) for item in items}
    print("\nFakta (nlu.turn med den märkta avsikten, utan DIET):")
    print("\n".join(facts_table(items, lexicon_read)))
    if args.errors:
        print("\n".join(errors(items, lexicon_read)))

    if args.facts_only:
        return 0
    if not args.model.exists():
        print(f"\nIngen modell i {args.model}: kör `make train` för avsikterna.")
        return 0
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    parses = asyncio.run(_parse_all(args.model, [item["text"] for item in items]))
    predicted = {id(item): parse["intent"]["name"] for item, parse in zip(items, parses)}
    print(f"\nAvsikter ({args.model.name}):")
    print("\n".join(intent_table(items, predicted)))
    end_to_end = {
        id(item): read_facts(item, parse["intent"]["name"], tuple(parse.get("entities") or ()))
        for item, parse in zip(items, parses)
    }
    print("\nFakta hela vägen (modellens avsikt och DIET:s entiteter):")
    print("\n".join(facts_table(items, end_to_end)))
    if args.errors:
        print("\n".join(errors(items, end_to_end)))
        wrong = [(item["text"], item["intent"], predicted[id(item)]) for item in items if item["intent"] != predicted[id(item)]]
        print("\n".join(f"  {text!r}: {expected} -> {guess}" for text, expected, guess in wrong))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
