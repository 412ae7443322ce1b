"""Simulated handläggare consulting through the load balancer, as the widget does: a session from
POST /api/session, then each turn to POST /api/chat with its Bearer token, the bot's questions
answered from tests/e2e/personas.yaml until the recommendation. A turn the app answers with 503
(or that fails on the way) is sent again after a pause, as a person resends; each such answer is
counted as an error the user saw."""
from __future__ import annotations

import random
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import yaml

from assistant.processes import ROOT
from knowledge.criteria import FACTS

PERSONAS = yaml.safe_load((ROOT / "tests" / "e2e" / "personas.yaml").read_text(encoding="utf-8"))
MAX_TURNS = 20
RESEND_PAUSE_SECONDS = 2.0
GIVE_UP_SECONDS = 240.0  # a person would have left; the turn then counts as lost


@dataclass
class Consultation:
    persona: str
    sender: str = ""
    sent: list[str] = field(default_factory=list)  # each turn once, in the order answered
    latencies: list[float] = field(default_factory=list)  # seconds per turn, resends included
    errors: list[str] = field(default_factory=list)  # every answer other than 200 the user saw
    payload: dict | None = None
    failure: str | None = None
    started: float = 0.0
    ended: float = 0.0


def asked_fact(text: str) -> str | None:
    return next((name for name, spec in FACTS.items() if spec["question"] in text), None)


def _turn(client: httpx.Client, token: str, sender: str, text: str, record: Consultation) -> list[dict]:
    began = time.monotonic()
    while True:
        try:
            response = client.post("/api/chat", json={"sender": sender, "message": text},
                                   headers={"Authorization": f"Bearer {token}"}, timeout=120)
            if response.status_code == 200:
                record.latencies.append(time.monotonic() - began)
                return response.json()
            record.errors.append(f"{response.status_code} {response.text[:120]}")
        except httpx.HTTPError as error:
            record.errors.append(f"{type(error).__name__}")
        if time.monotonic() - began > GIVE_UP_SECONDS:
            raise TimeoutError(f"turn {text!r} not answered in {GIVE_UP_SECONDS:.0f} s")
        time.sleep(RESEND_PAUSE_SECONDS)


def consult(base_url: str, persona_name: str, think: tuple[float, float], rng: random.Random) -> Consultation:
    record = Consultation(persona_name, started=time.monotonic())
    persona = PERSONAS[persona_name]
    # A browser: one cookie jar, so the balancer's affinity cookie pins it like the widget.
    with httpx.Client(base_url=base_url) as client:
        try:
            session = client.post("/api/session", timeout=60)
            session.raise_for_status()
            grant = session.json()
            record.sender = grant["session_id"]
            text = persona["description"]
            for _ in range(MAX_TURNS):
                replies = _turn(client, grant["token"], record.sender, text, record)
                record.sent.append(text)
                record.payload = next((m["custom"] for m in replies if "interventions" in (m.get("custom") or {})), None)
                if record.payload is not None:
                    break
                fact = asked_fact(replies[-1].get("text") or "") if replies else None
                text = persona["answers"].get(fact, "vet inte")
                time.sleep(rng.uniform(*think))
            else:
                record.failure = f"no recommendation after {MAX_TURNS} turns"
        except Exception as error:  # the record says what went wrong; the test asserts on it
            record.failure = f"{type(error).__name__}: {error}"
    record.ended = time.monotonic()
    return record


def run_consultations(base_url: str, count: int, spread_seconds: float, think: tuple[float, float],
                      seed: int = 17) -> list[Consultation]:
    """`count` consultations, started evenly over `spread_seconds`, all running at once."""
    rng = random.Random(seed)
    names = sorted(PERSONAS)
    lock = threading.Lock()

    def one(index: int) -> Consultation:
        time.sleep(index * spread_seconds / count)
        with lock:
            own = random.Random(rng.random())
        return consult(base_url, names[index % len(names)], think, own)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def percentile(samples: list[float], q: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def error_kinds(records: list[Consultation]) -> dict[str, int]:
    """How often each kind of answer the user saw instead of a reply (status and first words)."""
    kinds = Counter(" ".join(error.split()[:6]) for record in records for error in record.errors)
    return dict(kinds.most_common(8))


def figures(records: list[Consultation]) -> dict:
    latencies = [s for r in records for s in r.latencies]
    return {
        "error_kinds": error_kinds(records),
        "consultations": len(records),
        "turns": sum(len(r.sent) for r in records),
        "errors": sum(len(r.errors) for r in records),
        "consultations_with_errors": sum(bool(r.errors) for r in records),
        "p50_ms": round(1000 * percentile(latencies, 50)),
        "p95_ms": round(1000 * percentile(latencies, 95)),
        "max_ms": round(1000 * max(latencies)) if latencies else None,
    }
