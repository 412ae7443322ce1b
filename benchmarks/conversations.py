"""Fresh free-text consultations through the real stack: `python -m benchmarks.conversations`.

Each case in benchmarks/data/conversations_fresh*.yaml (batches 1-6 in conversations_fresh.yaml,
7-9 in conversations_fresh_b78.yaml, 10 in conversations_fresh_b10.yaml; `--file` plays one of them) is typed into Rasa's REST channel of a
local stack (action server + Rasa server + HTTP app, started as tests/e2e does): the opening
description, then each question the bot asks answered with the case's free text for that fact
(else "vet inte"), and the guideline questions or corrections of `asides` in between; `before`
(an earlier person's case in the same chat) is typed first and `after_end` (turns after the
result or the ways in) last, each of those replies judged like an aside. It prints how many ended
right, wrong or with no answer (no recommendation and no question the handläggare can answer),
the questions asked after the opening (targets, issue 14: median <= 5, max <= 9), per kind,
persona and subset (clean / folded / typo).

`--split heldout` (the default) is the half never looked at while tuning; `--split tune` is the
half to analyse; `--verbose` lists each case with its questions and why it failed.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from actions.consultation import OUTREACH_LEAD, WHICH_OPTION
from actions.replies import BEHOV_SYFTE_MAL_QUESTION, NOTED
from knowledge.criteria import FACTS
from knowledge.criteria.next_question import BEHOV_SYFTE_MAL

DATA_DIR = Path(__file__).parent / "data"
# In name order, so the halves alternate across files as they do within each.
DATA_FILES = sorted(DATA_DIR.glob("conversations_fresh*.yaml"))
# A consultation still asking after this many answers has gone round in circles: no answer.
TURN_LIMIT = 20
TARGET_MEDIAN, TARGET_MAX = 5, 9
DONT_KNOW = "vet inte"
# What the bot says when it did not understand an answer (actions/consultation.py): the same
# question is pending, so the handläggare answers it again.
NOT_UNDERSTOOD = ("Förlåt, det svaret förstod jag inte", "Jag förstod inte svaret")


@dataclass
class Played:
    case: Mapping[str, Any]
    questions: list[str] = field(default_factory=list)
    payload: dict | None = None
    ways_in: str | None = None
    problems: list[str] = field(default_factory=list)
    # Questions whose free-text answer the bot did not understand.
    not_understood: list[str] = field(default_factory=list)
    # Questions for a fact the bot had already confirmed ("Noterat – …") earlier in the
    # conversation (issue 14 §3: never ask again what was stated); counted, not judged, so the
    # outcome columns stay comparable with earlier runs.
    asked_noted: list[str] = field(default_factory=list)
    last_reply: str = ""
    # (who, text) for --transcript
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.payload is None and self.ways_in is None:
            return "inget svar"
        return "rätt" if not self.problems else "fel"


def load(paths: list[Path] | None = None) -> list[dict[str, Any]]:
    """Every case of `paths` (default: all fresh conversation files) in file order."""
    return [case for path in (paths or DATA_FILES) for case in yaml.safe_load(path.read_text(encoding="utf-8"))]


def asked(messages: list[dict]) -> str | None:
    """The fact (or behov_syfte_mal) the bot's last question asks for; None if it asks none."""
    for message in reversed(messages):
        text = message.get("text") or ""
        if BEHOV_SYFTE_MAL_QUESTION in text:
            return BEHOV_SYFTE_MAL
        fact = next((name for name, spec in FACTS.items() if spec["question"] in text), None)
        if fact:
            return fact
    return None


_BY_LABEL = {spec["label"].lower(): name for name, spec in FACTS.items()}


def noted(messages: list[dict]) -> set[str]:
    """The facts the bot confirms in `messages` ("Noterat – ålder: 34; …", actions/replies.py)."""
    found = set()
    for message in messages:
        text = message.get("text") or ""
        if NOTED not in text:
            continue
        confirmed = text.split(NOTED, 1)[1].split("\n", 1)[0].rstrip(".")
        found |= {_BY_LABEL[part.split(":", 1)[0].strip()] for part in confirmed.split("; ")
                  if part.split(":", 1)[0].strip() in _BY_LABEL}
    return found


def asks_again(messages: list[dict]) -> bool:
    """The bot asks for the pending question once more: options again, or not understood."""
    texts = " ".join(m.get("text") or "" for m in messages)
    return WHICH_OPTION in texts or any(marker in texts for marker in NOT_UNDERSTOOD)


class Answers:
    """The case's answers; a list is given one item per time the question is asked."""

    def __init__(self, answers: Mapping[str, Any]) -> None:
        self._queues = {k: list(v) if isinstance(v, list) else [v] for k, v in answers.items()}

    def next(self, fact: str) -> str:
        queue = self._queues.get(fact)
        if not queue:
            return DONT_KNOW
        return queue.pop(0) if len(queue) > 1 else queue[0]


def _payload(messages: list[dict]) -> dict | None:
    return next((m["custom"] for m in messages if "interventions" in (m.get("custom") or {})), None)


def _text(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def play(say, case: Mapping[str, Any]) -> Played:
    """Plays `case` with `say(message) -> list of bot messages`."""
    played = Played(case)
    say = _recording(say, played)
    answers = Answers(case.get("answers") or {})
    asides = list(case.get("asides") or ())
    # An earlier person's case in the same chat ("ny klient" after it): replies are not judged here;
    # `expect.absent` says which of its facts must not carry over.
    for message in case.get("before") or ():
        say(message)
    replies = say(case["opening"])
    pending: str | None = None
    after_aside = False
    confirmed: set[str] = set()
    while True:
        for _ in range(TURN_LIMIT):
            played.last_reply = _text(replies)
            payload = _payload(replies)
            if payload is not None:
                played.payload = payload
                break
            if OUTREACH_LEAD in played.last_reply:
                played.ways_in = played.last_reply
                break
            fact = asked(replies) or (pending if asks_again(replies) else None)
            if fact is None:
                break
            if fact in confirmed and fact != pending:
                played.asked_noted.append(fact)
            confirmed |= noted(replies)
            # After an aside the bot asks the pending question again: the same question, not a new one.
            if not (after_aside and fact == pending):
                played.questions.append(fact)
            pending, after_aside = fact, False
            # `after: n`: once n questions are answered, i.e. while question n + 1 waits for its answer.
            if asides and asides[0]["after"] < len(played.questions):
                replies = _aside(say, asides.pop(0), played)
                after_aside = True
                continue
            if any(marker in _text(replies) for marker in NOT_UNDERSTOOD):
                # The bot offers "vet inte" once it has not understood; the handläggare takes it.
                played.not_understood.append(fact)
                replies = say(DONT_KNOW)
            else:
                replies = say(answers.next(fact))
        if not asides:
            break
        # A consultation that ended before an aside's turn still gets the aside, after the end. A
        # correction there reopens the consultation as it would in a chat ("nej förresten hon är
        # 19" after the result asks the working-age assessment, or sends a new result): the
        # questions it asks are answered and its result is the one judged (issue 14 §2).
        replies = _aside(say, asides.pop(0), played)
        pending, after_aside = None, False
    # Turns after the end ("ok", "tack", an outreach worker's follow-up): each reply is judged.
    for turn in case.get("after_end") or ():
        _aside(say, turn, played, "efter slutet")
    judge(played)
    return played


def _recording(say, played: Played):
    def recorded(message: str) -> list[dict]:
        replies = say(message)
        played.transcript += [("du", message), ("bot", _text(replies))]
        return replies
    return recorded


def _aside(say, aside: Mapping[str, Any], played: Played, label: str = "mellanfrågan") -> list[dict]:
    """Sends `aside["message"]`; its reply must cite one of `cites` and contain `says` (each when
    given: a correction quotes nothing) and contain none of `not_says`."""
    replies = say(aside["message"])
    text = _text(replies)
    cites = aside.get("cites") or ()
    if cites and not any(cite in text for cite in cites):
        played.problems.append(f"{label} citerar inte {' / '.join(cites)}")
    if "says" in aside and aside["says"].lower() not in text.lower():
        played.problems.append(f"{label}: svaret saknar ”{aside['says']}”")
    played.problems += [f"{label}: svaret innehåller ”{w}”" for w in aside.get("not_says", ()) if w.lower() in text.lower()]
    return replies


def judge(played: Played) -> None:
    """Fills `played.problems` with every way the end differs from the case's expectation."""
    expect, problems = played.case["expect"], played.problems
    if expect["end"] == "ways_in":
        if played.ways_in is None:
            problems.append("fick inte vägarna in" + (" (fick en rekommendation)" if played.payload else ""))
        for word in expect.get("mentions", ()):
            if played.ways_in is not None and word.lower() not in played.ways_in.lower():
                problems.append(f"vägarna in nämner inte {word}")
        return
    payload = played.payload
    if payload is None:
        return
    rec = payload["recommendation"]
    primary, provisional = rec.get("primary"), (rec.get("provisional") or {}).get("id")
    end, insats = expect["end"], expect.get("insats")
    if end == "eligible" and primary != insats:
        problems.append(f"primär {primary} (prov. {provisional}), väntat {insats}")
    if end == "provisional" and (primary is not None or provisional != insats):
        problems.append(f"primär {primary}, provisorisk {provisional}, väntat provisoriskt {insats}")
    if end == "none" and (primary is not None or provisional is not None):
        problems.append(f"primär {primary}, provisorisk {provisional}, väntat ingen")
    if end == "open" and primary is not None:
        problems.append(f"primär {primary}, väntat ingen fastställd")
    routes = {r["id"] for r in (rec.get("way_forward") or {}).get("routes", ())}
    problems += [f"vägen {r} saknas" for r in expect.get("routes", ()) if r not in routes]
    facts = payload.get("facts") or {}
    problems += [
        f"{name}={facts.get(name)!r}, väntat {value!r}"
        for name, value in (expect.get("facts") or {}).items() if facts.get(name) != value
    ]
    problems += [f"{name}={facts[name]!r} borde vara okänt" for name in expect.get("absent", ()) if name in facts]
    unmet = {c["id"] for i in payload["interventions"] for c in i["criteria"] if c["status"] == "unmet"}
    problems += [f"{c} visas som ej uppfyllt" for c in expect.get("not_unmet", ()) if c in unmet]
    conflicts = {c["id"] for c in payload.get("conflicts") or ()}
    problems += [f"konflikten {c} flaggas inte" for c in expect.get("conflicts", ()) if c not in conflicts]
    referrals = set(rec.get("referrals") or ())
    problems += [f"hänvisning {r} saknas" for r in expect.get("referrals", ()) if r not in referrals]
    problems += [f"hänvisning {r} borde inte finnas" for r in expect.get("no_referrals", ()) if r in referrals]
    problems += [f"{i} saknas bland också aktuella" for i in expect.get("also_consider", ())
                 if i not in (rec.get("also_consider") or ())]
    omfattning = payload.get("omfattning") or {}
    if "interval" in expect and omfattning.get("interval") != expect["interval"]:
        problems.append(f"intervall {omfattning.get('interval')}, väntat {expect['interval']}")
    problems += [f"omfattningen nämner inte ”{w}”" for w in expect.get("reason_has", ())
                 if w not in (omfattning.get("reason") or "")]
    steps = " ".join(payload.get("next_steps") or ())
    problems += [f"inget steg om ”{w}”" for w in expect.get("steps_have", ()) if w not in steps]
    problems += [f"frågade {f} fast det var sagt" for f in expect.get("not_asked", ()) if f in played.questions]
    repeated = sorted(
        {f for f in played.questions if played.questions.count(f) > 1} - _asked_again_allowed(played) - set(played.not_understood)
    )
    problems += [f"frågade {f} två gånger" for f in repeated]


def _asked_again_allowed(played: Played) -> set[str]:
    # A list answer ("ja", then "personkrets 1") means the case expects the options again.
    return {k for k, v in (played.case.get("answers") or {}).items() if isinstance(v, list)}


def _row(name: str, items: list[Played]) -> str:
    counts = {o: sum(p.outcome == o for p in items) for o in ("rätt", "fel", "inget svar")}
    asked = [len(p.questions) for p in items] or [0]
    misread = sum(len(p.not_understood) for p in items)
    again = sum(len(p.asked_noted) for p in items)
    return (f"{name:<18} {len(items):>5} {counts['rätt']:>5} {counts['fel']:>5} {counts['inget svar']:>6}"
            f" {statistics.median(asked):>7.1f} {max(asked):>5} {misread:>9} {again:>9}")


def table(played: list[Played]) -> list[str]:
    header = (f"{'grupp':<18} {'antal':>5} {'rätt':>5} {'fel':>5} {'inget':>6} {'median':>7} {'max':>5}"
              f" {'ej förstått':>9} {'sagt, igen':>9}")
    lines = [header, "-" * len(header), _row("alla", played)]
    for key, title in (("subset", "text"), ("kind", "slag"), ("persona", "persona")):
        groups: dict[str, list[Played]] = {}
        for item in played:
            if item.case.get(key):
                groups.setdefault(str(item.case[key]), []).append(item)
        lines.append(f"{title}:")
        lines += [_row("  " + name, items) for name, items in sorted(groups.items())]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.conversations")
    parser.add_argument("--split", choices=["tune", "heldout", "all"], default="heldout")
    parser.add_argument("--file", choices=[p.name for p in DATA_FILES],
                        help="play only the cases of this file (default: every conversations_fresh*.yaml)")
    parser.add_argument("--only", nargs="*", help="case ids to play (default: the whole split)")
    parser.add_argument("--verbose", action="store_true", help="each case: outcome, questions, problems")
    parser.add_argument("--transcript", action="store_true", help="with --verbose: the whole conversation")
    parser.add_argument("--width", type=int, default=400, help="with --transcript: characters shown per message")
    args = parser.parse_args(argv)
    files = [DATA_DIR / args.file] if args.file else None
    cases = [c for c in load(files) if args.split in ("all", c["split"]) and (not args.only or c["id"] in args.only)]

    # Imported here: starting the stack needs the trained model, the rest of the module does not.
    from assistant.processes import local_stack
    from tests.conversation import Conversation

    with tempfile.TemporaryDirectory(prefix="conversations-") as workdir:
        stack = local_stack(Path(workdir))
        stack.supervisor.start()
        try:
            played = []
            for case in cases:
                conversation = Conversation(f"{stack.rasa_url}/webhooks/rest/webhook", stack.session_secret)
                played.append(play(conversation.say, case))
        finally:
            stack.supervisor.stop()

    print(f"Fria samtal genom Rasa ({args.split}, {len(played)} st): utfall och frågor efter den inledande beskrivningen")
    print("\n".join(table(played)))
    if args.verbose:
        for item in played:
            print(f"\n[{item.outcome}] {item.case['id']} ({len(item.questions)} frågor): {', '.join(item.questions)}")
            for problem in item.problems:
                print(f"    - {problem}")
            for fact in item.not_understood:
                print(f"    ~ svaret på {fact} förstods inte")
            for fact in item.asked_noted:
                print(f"    ~ frågade {fact} fast det redan var noterat")
            if args.transcript:
                for who, text in item.transcript:
                    print(f"      {who}: " + text.replace("\n", " | ")[:args.width])
                facts = (item.payload or {}).get("facts")
                print(f"      fakta: {facts}")
            if item.outcome == "inget svar":
                print("    sista svaret: " + item.last_reply.replace("\n", " ")[:300])
    asked = [len(p.questions) for p in played] or [0]
    met = statistics.median(asked) <= TARGET_MEDIAN and max(asked) <= TARGET_MAX
    print(f"Mål: median <= {TARGET_MEDIAN}, max <= {TARGET_MAX}: {'uppnått' if met else 'EJ uppnått'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
