"""Load on the whole stack: `python -m benchmarks.load [--levels 1,10,20,50] [--turns 12] [--think 0]`.

Starts the action server, the Rasa server and the HTTP app on free ports (SQLite tracker store in
a temporary directory), times start-to-ready (until `GET /api/ready` answers 200), then for each
level runs that many simulated handläggare at once through `POST /api/chat` (the REST channel
behind the app). Each handläggare runs conversations from a fixed, seeded mix until it has sent
`--turns` turns:

- a consultation of one of 003's personas (tests/e2e/personas.yaml): the description, then an
  answer to each question the bot asks, until the recommendation;
- the same with a correction ("nej förlåt, hon är 70") and a question mid-way ("varför frågar du?");
- free guideline questions (tests/data/retrieval_eval.yaml).

`--think` waits that many seconds (mean, exponential) between a handläggare's turns; 0 sends the
next turn as soon as the answer arrives, the worst case. A turn is an error if the app answers
other than 200, with no message, or with the action-server-down message. Prints one row per level:
turns, per-turn latency p50/p95/p99, throughput, errors, and the largest resident memory of each
process seen while the level ran (sampled every 0.5 s, children included).

`--capacity 100,200,400` then runs those levels with a mean think time of 20 s (each handläggare
starting at a random point of its first pause) and prints the capacity: the largest of them
whose p95 stayed within the target with no errors.

`--profile 20` samples each process with py-spy while the 20-handläggare level runs and prints,
per process, the functions with the largest share of its busy samples (idle time excluded);
`--profile-dir DIR` keeps py-spy's raw stacks there (profile-<process>.txt) to read callers and self time.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import random
import re
import subprocess
import sys
import statistics
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import httpx
import psutil
import yaml

from assistant.processes import ROOT, Supervisor, local_stack
from assistant.routes.chat import KNOWLEDGE_UNREACHABLE
from knowledge.criteria import FACTS
from knowledge.retrieval.evaluate import load_questions

PERSONAS = yaml.safe_load((ROOT / "tests" / "e2e" / "personas.yaml").read_text(encoding="utf-8"))
CORRECTIONS = ["nej förlåt, hon är 70", "han har faktiskt försörjningsstöd", "ändra åldern till 31"]
ASIDES = ["varför frågar du?", "vad vet du om personen?", "måste hen ha sjukersättning?"]
TARGETS = {"p95_ms_at_20": 300, "errors_at_50": 0, "memory_mb": 2.5 * 1024, "ready_s": 25}
# Capacity: the most handläggare at this mean think time whose turns stay at p95 <= the target.
CAPACITY_THINK_S = 20.0


def percentile(samples: list[float], q: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def asked_fact(text: str) -> str | None:
    return next((name for name, spec in FACTS.items() if spec["question"] in text), None)


class Handlaggare:
    """One simulated user: the next message depends on what the bot asked last."""

    def __init__(self, rng: random.Random, questions: list[str]) -> None:
        self.rng = rng
        self.questions = questions
        self.script: list[str] = []
        self.persona: dict | None = None
        self.sender = ""

    def _new_conversation(self) -> None:
        self.sender = f"bench{uuid.uuid4().hex}"
        kind = self.rng.choices(["consultation", "correction", "guideline"], weights=[5, 3, 2])[0]
        if kind == "guideline":
            self.persona = None
            self.script = self.rng.sample(self.questions, 3)
            return
        self.persona = PERSONAS[self.rng.choice(sorted(PERSONAS))]
        self.script = [self.persona["description"]]
        if kind == "correction":
            self.script += [None, self.rng.choice(ASIDES), None, self.rng.choice(CORRECTIONS)]

    def next_message(self, last_replies: list[dict]) -> tuple[str, str]:
        done = any("interventions" in (m.get("custom") or {}) for m in last_replies)
        if done or (not self.script and self.persona is None):
            self._new_conversation()
        if self.script:
            message = self.script.pop(0)
            if message is not None:
                return self.sender, message
        fact = asked_fact(last_replies[-1].get("text") or "") if last_replies else None
        answer = (self.persona or {}).get("answers", {}).get(fact, "vet inte")
        return self.sender, answer


@dataclass
class Level:
    users: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    memory_mb: dict[str, float] = field(default_factory=dict)
    cpu_s: dict[str, float] = field(default_factory=dict)  # CPU time each service used during the level
    # This benchmark's own CPU time during the level: the simulated handläggare share the two
    # cores with the stack they measure, which a real deployment's users (in their browsers) do not.
    client_cpu_s: float = 0.0


async def _run_user(client: aiohttp.ClientSession, api_url: str, user: Handlaggare, turns: int, think: float,
                    level: Level) -> None:
    replies: list[dict] = []
    sessions: dict[str, tuple[str, str]] = {}  # the user's conversation -> (session id, token) from the app
    if think:
        # Handläggare who think do not all press enter at the same moment: each starts at a
        # random point of its first pause, so the level begins in its steady state.
        await asyncio.sleep(user.rng.uniform(0, think))
    for _ in range(turns):
        conversation, message = user.next_message(replies)
        started = time.perf_counter()
        try:
            if conversation not in sessions:  # a new conversation starts with a session, as in the widget
                async with client.post(f"{api_url}/api/session") as response:
                    grant = await response.json()
                sessions[conversation] = (grant["session_id"], grant["token"])
            sender, token = sessions[conversation]
            async with client.post(f"{api_url}/api/chat", json={"sender": sender, "message": message},
                                   headers={"Authorization": f"Bearer {token}"}) as response:
                replies = await response.json(content_type=None) if response.status == 200 else []
            ok = bool(replies) and all(m.get("text") != KNOWLEDGE_UNREACHABLE for m in replies)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError, KeyError):
            replies, ok = [], False
        level.latencies_ms.append((time.perf_counter() - started) * 1000)
        level.errors += not ok
        if think:
            await asyncio.sleep(user.rng.expovariate(1 / think))


async def run_level(api_url: str, users: int, turns: int, think: float, seed: int) -> Level:
    questions = [q.text for q in load_questions()]
    level = Level(users)
    # aiohttp rather than httpx: the simulated users share the two cores with the stack, and
    # httpx's pure-Python HTTP/1.1 took about twice the CPU per turn (docs/benchmarks.md).
    connector = aiohttp.TCPConnector(limit=users + 5)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as client:
        group = [Handlaggare(random.Random(seed * 1000 + i), questions) for i in range(users)]
        started, cpu_started = time.perf_counter(), time.process_time()
        await asyncio.gather(*(_run_user(client, api_url, u, turns, think, level) for u in group))
        level.seconds = time.perf_counter() - started
        level.client_cpu_s = time.process_time() - cpu_started
    return level


class MemoryWatch:
    """Largest RSS per service (process and its children) while running, sampled in a thread,
    and the CPU time each used: on a shared machine latency measures the neighbours too, CPU
    time per turn measures our own cost."""

    def __init__(self, supervisor: Supervisor) -> None:
        self.processes = {s.name: psutil.Process(s.process.pid) for s in supervisor.services}
        self.peak: dict[str, float] = {name: 0.0 for name in self.processes}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _rss_mb(self, process: psutil.Process) -> float:
        try:
            family = [process, *process.children(recursive=True)]
            return sum(p.memory_info().rss for p in family) / 2**20
        except psutil.Error:
            return 0.0

    def _loop(self) -> None:
        while not self._stop.is_set():
            for name, process in self.processes.items():
                self.peak[name] = max(self.peak[name], self._rss_mb(process))
            self._stop.wait(0.5)

    @staticmethod
    def _cpu_s(process: psutil.Process) -> float:
        try:
            family = [process, *process.children(recursive=True)]
            return sum(sum(p.cpu_times()[:2]) for p in family)
        except psutil.Error:
            return 0.0

    def __enter__(self) -> MemoryWatch:
        self._cpu_start = {name: self._cpu_s(p) for name, p in self.processes.items()}
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu = {name: self._cpu_s(p) - self._cpu_start[name] for name, p in self.processes.items()}


class Profile:
    """py-spy on every service while a level runs; where each process spends its busy time."""

    def __init__(self, supervisor: Supervisor, seconds: int, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.files = {s.name: out_dir / f"profile-{s.name}.txt" for s in supervisor.services}
        py_spy = str(Path(sys.executable).parent / "py-spy")
        self.spies = [
            subprocess.Popen(
                [py_spy, "record", "--nonblocking", "-r", "100", "-d", str(seconds), "-f", "raw", "-o", str(self.files[s.name]), "-p", str(s.process.pid)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for s in supervisor.services
        ]

    def report(self, top: int = 8) -> str:
        for spy in self.spies:
            spy.wait()
        lines = []
        for name, path in self.files.items():
            if not path.exists():
                lines.append(f"{name}: ingen profil (py-spy saknas eller fick inte läsa processen)")
                continue
            inclusive, total = collections.Counter(), 0
            for row in path.read_text().splitlines():
                stack, _, count = row.rpartition(" ")
                total += int(count)
                for frame in {re.sub(r":\d+\)$", ")", f) for f in stack.split(";")}:
                    inclusive[frame] += int(count)
            # Frames in (nearly) every sample are the server loop, not where the time goes.
            shown = [(f, n) for f, n in inclusive.most_common() if n < 0.9 * total][:top]
            lines.append(f"{name} ({total} upptagna prov):")
            lines += [f"  {n / total:6.1%}  {f}" for f, n in shown]
        return "\n".join(lines)


def wait_ready(api_url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{api_url}/api/ready", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"/api/ready svarade inte 200 inom {timeout:.0f} s")


def table(levels: list[Level], ready_s: float, think: float) -> str:
    names = list(levels[0].memory_mb) if levels else []
    header = (["samtidiga", "turer", "p50 ms", "p95 ms", "p99 ms", "turer/s", "fel"] + [f"RSS {n} MB" for n in names]
              + ["RSS totalt MB"] + [f"CPU {n} ms/tur" for n in names] + ["CPU totalt ms/tur", "CPU lasttestaren ms/tur"])
    rows = [header]
    for lv in levels:
        rows.append(
            [
                str(lv.users),
                str(len(lv.latencies_ms)),
                f"{statistics.median(lv.latencies_ms):.0f}",
                f"{percentile(lv.latencies_ms, 95):.0f}",
                f"{percentile(lv.latencies_ms, 99):.0f}",
                f"{len(lv.latencies_ms) / lv.seconds:.1f}",
                str(lv.errors),
            ]
            + [f"{lv.memory_mb[n]:.0f}" for n in names]
            + [f"{sum(lv.memory_mb.values()):.0f}"]
            + [f"{1000 * lv.cpu_s.get(n, float('nan')) / len(lv.latencies_ms):.1f}" for n in names]
            + [f"{1000 * sum(lv.cpu_s.values()) / len(lv.latencies_ms):.1f}"]
            + [f"{1000 * lv.client_cpu_s / len(lv.latencies_ms):.1f}"]
        )
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("---" for _ in header) + "|")
    lines.append("")
    lines.append(f"Start till redo (/api/ready 200): {ready_s:.1f} s. Betänketid mellan turer: {think:g} s (medel).")
    return "\n".join(lines)


def verdicts(levels: list[Level], ready_s: float) -> list[str]:
    by_users = {lv.users: lv for lv in levels}
    out = []
    if 20 in by_users:
        p95 = percentile(by_users[20].latencies_ms, 95)
        out.append(f"p95 vid 20 samtidiga {p95:.0f} ms (mål ≤ {TARGETS['p95_ms_at_20']}): {'uppfyllt' if p95 <= TARGETS['p95_ms_at_20'] else 'EJ uppfyllt'}")
    if 50 in by_users:
        errors = by_users[50].errors
        out.append(f"fel vid 50 samtidiga {errors} (mål 0): {'uppfyllt' if errors == 0 else 'EJ uppfyllt'}")
    peak = max((sum(lv.memory_mb.values()) for lv in levels), default=0.0)
    out.append(f"största totala RSS {peak:.0f} MB (mål ≤ {TARGETS['memory_mb']}): {'uppfyllt' if peak <= TARGETS['memory_mb'] else 'EJ uppfyllt'}")
    out.append(f"start till redo {ready_s:.1f} s (mål ≤ {TARGETS['ready_s']}): {'uppfyllt' if ready_s <= TARGETS['ready_s'] else 'EJ uppfyllt'}")
    return out


def capacity(levels: list[Level]) -> int | None:
    """The largest level whose p95 met the target (levels measured at CAPACITY_THINK_S)."""
    met = [lv.users for lv in levels if percentile(lv.latencies_ms, 95) <= TARGETS["p95_ms_at_20"] and not lv.errors]
    return max(met) if met else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load")
    parser.add_argument("--levels", default="1,10,20,50", help="samtidiga handläggare per nivå, kommaseparerat")
    parser.add_argument("--turns", type=int, default=12, help="turer per handläggare och nivå")
    parser.add_argument("--think", type=float, default=0.0, help="betänketid mellan turer, sekunder (medel)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", type=int, metavar="N", help="profilera processerna (py-spy) under nivån med N handläggare")
    parser.add_argument("--profile-dir", type=Path, default=None, help="spara py-spys råa stackar (profile-<process>.txt) här")
    parser.add_argument("--model", type=Path, default=None, help="Rasa-modell (standard: models/insatslotsen.tar.gz)")
    parser.add_argument("--capacity", default="", help=f"nivåer med {CAPACITY_THINK_S:g} s betänketid för kapaciteten, t.ex. 100,200,400")
    parser.add_argument("--capacity-turns", type=int, default=4, help="turer per handläggare på kapacitetsnivåerna")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",") if x]
    capacity_levels = [int(x) for x in args.capacity.split(",") if x]

    with tempfile.TemporaryDirectory(prefix="insatslotsen-load-") as tmp:
        work = Path(tmp)
        # Every simulated user comes from this one address (local_stack also lifts the per-session limit).
        model = {"model": args.model.resolve()} if args.model else {}
        stack = local_stack(work, api_env={"INSATSLOTSEN_RATE_LIMIT_PER_MINUTE": "0"}, **model)
        supervisor, api_url = stack.supervisor, stack.api_url
        started = time.monotonic()
        supervisor.start(timeout=300)
        try:
            wait_ready(api_url)
            ready_s = time.monotonic() - started
            print(f"==> Redo efter {ready_s:.1f} s; värmer upp", flush=True)
            asyncio.run(run_level(api_url, 2, 6, 0.0, seed=args.seed + 99))
            results, profiles = [], ""
            for users in levels:
                print(f"==> {users} samtidiga handläggare × {args.turns} turer", flush=True)
                profile = Profile(supervisor, 20, args.profile_dir or work) if users == args.profile else None
                with MemoryWatch(supervisor) as watch:
                    level = asyncio.run(run_level(api_url, users, args.turns, args.think, args.seed))
                level.memory_mb, level.cpu_s = dict(watch.peak), dict(watch.cpu)
                results.append(level)
                if profile:
                    profiles = profile.report()
            capacity_results = []
            for users in capacity_levels:
                print(f"==> {users} handläggare med {CAPACITY_THINK_S:g} s betänketid × {args.capacity_turns} turer", flush=True)
                with MemoryWatch(supervisor) as watch:
                    level = asyncio.run(run_level(api_url, users, args.capacity_turns, CAPACITY_THINK_S, args.seed))
                level.memory_mb, level.cpu_s = dict(watch.peak), dict(watch.cpu)
                capacity_results.append(level)
        finally:
            supervisor.stop()
    print()
    if results:
        print(table(results, ready_s, args.think))
        print()
    if capacity_results:
        print(table(capacity_results, ready_s, CAPACITY_THINK_S))
        print()
    print("\n".join(verdicts(results, ready_s)))
    if capacity_results:
        held = capacity(capacity_results)
        print(f"kapacitet: {held if held is not None else 'under ' + str(min(capacity_levels))} handläggare med "
              f"{CAPACITY_THINK_S:g} s betänketid vid p95 ≤ {TARGETS['p95_ms_at_20']} ms (största provade nivå som klarade det)")
    if profiles:
        print()
        print(profiles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
