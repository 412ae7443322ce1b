"""How many questions a consultation takes: `python -m benchmarks.consultation [--split heldout]`.

Each consultation in benchmarks/data/consultations.yaml is played through the dialogue's own
state machine (actions.consultation_state.take_turn, no Rasa): the opening description, then
every question the assistant asks answered from what the handläggare knows (a yes/no, a button
value, a number, the behov text) or with "vet inte". It counts the questions after the opening
and checks that the consultation ends in the insats the documents point to (the primary, or the
provisional one while an assessment is open). Targets (issue 14): median <= 5, max <= 9.
"""
from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from actions.consultation_state import BEHOV_SYFTE_MAL, Consultation, Turn, take_turn
from knowledge.criteria import FACTS

DATA = Path(__file__).parent / "data" / "consultations.yaml"
# A consultation that has not ended after this many questions is counted as failed.
QUESTION_LIMIT = 25
TARGET_MEDIAN, TARGET_MAX = 5, 9


@dataclass(frozen=True)
class Played:
    id: str
    persona: str
    split: str
    questions: list[str]
    ended_with: str | None
    expected: str

    @property
    def right(self) -> bool:
        return self.ended_with == self.expected


def load(path: Path = DATA) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def answer(question: str, case: Mapping[str, Any]) -> Turn:
    """What the handläggare in `case` replies to `question`."""
    if question == BEHOV_SYFTE_MAL:
        text = case.get("behov")
        return Turn("dont_know", "vet inte") if not text or text.strip() == "vet inte" else Turn("inform", text)
    known = case["known"]
    if question not in known:
        return Turn("dont_know", "vet inte")
    value, kind = known[question], FACTS[question]["type"]
    if kind == "bool":
        return Turn("affirm", "ja") if value else Turn("deny", "nej")
    if kind == "enum":
        return Turn("inform", "/inform" + json.dumps({"svar": value}), ({"entity": "svar", "value": value},))
    return Turn("inform", str(value))


def play(case: Mapping[str, Any]) -> Played:
    outcome = take_turn(Consultation(), Turn("inform", case["opening"]))
    asked: list[str] = []
    while outcome.next_question is not None and len(asked) < QUESTION_LIMIT:
        asked.append(outcome.next_question)
        outcome = take_turn(outcome.consultation, answer(outcome.next_question, case))
    recommendation = outcome.result["recommendation"]
    ended = recommendation["primary"] or (recommendation.get("provisional") or {}).get("id")
    if outcome.next_question is not None:
        ended = None
    return Played(case["id"], case["persona"], case["split"], asked, ended, case["expect"])


def table(played: list[Played]) -> list[tuple[str, int, float, int, int]]:
    """(group, consultations, median questions, max questions, ended right) per persona and in all."""
    groups: dict[str, list[Played]] = {}
    for item in played:
        groups.setdefault(item.persona, []).append(item)
    groups["alla"] = played
    return [
        (name, len(items), statistics.median(len(i.questions) for i in items),
         max(len(i.questions) for i in items), sum(i.right for i in items))
        for name, items in groups.items()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.consultation")
    parser.add_argument("--split", choices=["tuning", "heldout", "fresh", "final", "all"], default="heldout",
                        help="which half to run (default: the held-out half; fresh: the held-out cases "
                        "written after the first change to the question choice; final: those written after the last)")
    parser.add_argument("--verbose", action="store_true", help="list every consultation's questions")
    args = parser.parse_args(argv)
    cases = [
        case for case in load()
        if args.split in ("all", case["split"]) or case.get(args.split) is True
    ]
    played = [play(case) for case in cases]
    print(f"Konsultationer ({args.split}): frågor efter den inledande beskrivningen")
    print(f"{'persona':<8}  {'antal':>5}  {'median':>6}  {'max':>4}  {'rätt insats':>11}")
    for name, count, median, most, right in table(played):
        print(f"{name:<8}  {count:>5}  {median:>6.1f}  {most:>4}  {right:>5} av {count:<3}")
    if args.verbose:
        for item in played:
            mark = "ok " if item.right else "FEL"
            print(f"{mark} {item.id:<10} {len(item.questions):>2}  {item.ended_with} ({item.expected}): {', '.join(item.questions)}")
    _, _, median, most, right = table(played)[-1]
    met = median <= TARGET_MEDIAN and most <= TARGET_MAX and right == len(played)
    print(f"Mål: median <= {TARGET_MEDIAN}, max <= {TARGET_MAX}, rätt insats i alla: {'uppnått' if met else 'EJ uppnått'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
