"""CPU per turn in each process, in one process: `python -m benchmarks.turn_cpu [--turns 120] [--against DIR]`.

The load benchmark (benchmarks.load) measures CPU per turn with three servers and a load
client on two cores that other work shares; this one measures the same turns without the
servers' HTTP and without the noise of the other processes:

- rasa: the REST channel's check of the app's masking and its reply, and `MessageProcessor.handle_message` of the model
  as `rasa run` loads it (this project's workarounds applied, the SQL tracker store of
  endpoints.yml in a temporary SQLite file): the NLU graph, the policies, the tracker store's
  read and save, the action call's JSON. The action server is called in this process instead
  of over HTTP, and its time is not Rasa's;
- actions: what the action server does with each call (rasa_sdk's `ActionExecutor.run`, our
  actions, the call's JSON decoded and the answer encoded), the passage index loaded as
  `assistant.action_server` loads it;
- api: `POST /api/chat` through the app's ASGI stack (session check, masking, the forward),
  with Rasa's reply of that turn (recorded in the Rasa part) handed back by a stand-in transport.

The turns are the load benchmark's handläggare (benchmarks.load.Handlaggare, same seed): a
persona's consultation, one with an aside and a correction, guideline questions. Each part is
timed with `time.process_time` around its own work only.

`--against DIR` runs the same turns on another checkout (say `git worktree add /tmp/main main`,
with this checkout's model and index linked in) in a child process, alternating with this
checkout's, `--rounds` times each, and prints both side by side: a before/after in one run.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("actions", "rasa", "api")
CHANNEL_SECRET = secrets.token_urlsafe(32)  # the REST channel's and the app's shared secret


class Clock:
    """CPU seconds per part; `inside` marks a part's time, which its caller's part does not count."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.details: dict[str, float] = defaultdict(float)
        self._nested = 0.0

    def measure(self, part: str):
        clock = self

        class _Span:
            def __enter__(self):
                self.started, self.nested = time.process_time(), clock._nested
                return self

            def __exit__(self, *exc):
                spent = time.process_time() - self.started
                inner = clock._nested - self.nested
                clock.cpu[part] += spent - inner
                clock._nested = self.nested + spent
                return False

        return _Span()

    def detail(self, name: str, function):
        """`function` (sync or async) with its CPU added up under `name`, inside whatever part
        calls it (a detail is not taken out of its part)."""
        import functools
        import inspect

        if inspect.iscoroutinefunction(function):
            @functools.wraps(function)
            async def timed_async(*args, **kwargs):
                started = time.process_time()
                try:
                    return await function(*args, **kwargs)
                finally:
                    # One conversation at a time: nothing else runs while this awaits.
                    self.details[name] += time.process_time() - started
            return timed_async

        @functools.wraps(function)
        def timed(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.details[name] += time.process_time() - started
        return timed


def _environment(tmp: Path) -> None:
    from knowledge.offline import apply_offline_environment

    apply_offline_environment(force=True)
    os.environ["TRACKER_DB"] = str(tmp / "tracker.db")
    os.environ["ACTION_ENDPOINT_URL"] = "http://actions.in-process/webhook"
    from assistant.channels.teams_env import teams_env

    for name, value in teams_env(os.environ).items():
        os.environ.setdefault(name, value)


def _action_server(clock: Clock):
    """rasa_sdk's executor with our actions, loaded as assistant.action_server loads them."""
    from rasa_sdk.executor import ActionExecutor

    from assistant.action_server import ACTIONS_PACKAGE, _one_torch_thread
    from knowledge.corpus import load_passages
    from knowledge.retrieval import load_retriever

    _one_torch_thread()
    load_retriever().search("daglig sysselsättning", k=1)
    load_passages()
    executor = ActionExecutor()
    executor.register_package(ACTIONS_PACKAGE)

    from sanic.request import json_loads
    from sanic.response import json_dumps

    async def call(body: bytes) -> bytes:
        # Sanic decodes the call and encodes the answer (with ujson where it is installed).
        with clock.measure("actions"):
            result = await executor.run(json_loads(body))
            return json_dumps(result).encode()

    return call


async def _rasa(model: Path, call_actions):
    """The agent as `rasa run` loads it, its action calls answered by `call_actions` in process."""
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    from assistant import rasa_workarounds

    rasa_workarounds.apply_all()

    async def in_process(self, method="post", subpath=None, content_type="application/json", compress=False, **kwargs):
        # What aiohttp does with the call in Rasa's process: the body encoded by the session's
        # serialiser (the one workaround 10 gives the kept session), the answer decoded.
        async with self.session() as client:
            body = client.json_serialize(kwargs.get("json"))
        return json.loads(await call_actions(body.encode()))

    EndpointConfig.request = in_process
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    return await load_agent(model_path=str(model), endpoints=endpoints)


def _app(replies: list[list]):
    """The app as tests/assistant/test_chat_api.py builds it; Rasa answers with `replies`, in turn."""
    import httpx

    from assistant.deps import app_settings
    from assistant.http_client import get_client, get_rasa
    from assistant.main import create_app
    from assistant.settings import Settings, get_settings

    waiting = iter(replies)

    def rasa(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=next(waiting))

    # No limits, as benchmarks.load runs the app; the middleware reads them when the app is built.
    os.environ.update(INSATSLOTSEN_RATE_LIMIT_PER_MINUTE="0", INSATSLOTSEN_CHAT_TURNS_PER_MINUTE="0")
    get_settings.cache_clear()
    app = create_app()
    settings = Settings(rasa_url="http://rasa.in-process", session_secret=secrets.token_urlsafe(32),
                        rate_limit_per_minute=0, chat_turns_per_minute=0)
    transport = httpx.MockTransport(rasa)
    app.dependency_overrides[app_settings] = lambda: settings
    app.dependency_overrides[get_client] = lambda: httpx.AsyncClient(transport=transport)
    app.dependency_overrides[get_rasa] = lambda: transport
    return app


async def run(model: Path, turns: int, seed: int, warm: int) -> dict:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from sanic.response import json_dumps

    from assistant.channels.rest import message_text
    from assistant.routes.chat import KNOWLEDGE_UNREACHABLE
    from assistant.session_tokens import masked_text_tag
    from assistant.user_input import incoming, load_masking
    from benchmarks.load import Handlaggare
    from knowledge.retrieval.evaluate import load_questions

    clock = Clock()
    load_masking()
    agent = await _rasa(model, _action_server(clock))
    _time_details(clock, agent)
    questions = [q.text for q in load_questions()]
    rng = random.Random(seed)
    user = Handlaggare(rng, questions)
    replies: list[dict] = []
    said: list[tuple[str, str, list]] = []
    for number in range(warm + turns):
        if number == warm:
            clock.cpu.clear()
            clock.details.clear()
        sender, text = user.next_message(replies)
        output = CollectingOutputChannel()
        # What the app sends (its CPU is the api part's): the masked text and its tag.
        masked = incoming(text).text
        tag = masked_text_tag(masked, CHANNEL_SECRET)
        with clock.measure("rasa"):
            # The REST channel's part (assistant.channels.rest): the app's tag checked, the
            # replies encoded by Sanic; the session check (one SQLite query) is left out.
            message = message_text(masked, tag, CHANNEL_SECRET)
            await agent.processor.handle_message(UserMessage(message, output, sender))
            json_dumps(output.messages)
        replies = output.messages
        said.append((sender, text, replies))
    for session in list(getattr(agent.action_endpoint, "_kept_sessions", {}).values()):
        await session.close()  # workaround 10's kept session, which the server closes when it stops
    cpu = {part: clock.cpu[part] * 1000 / turns for part in ("actions", "rasa")}
    cpu["api"] = await _api_cpu(said[warm:])
    details = {name: clock.details[name] * 1000 / turns for name in DETAILS}
    # The same dialogue on both sides of a comparison: as many results, no failed action call.
    results = sum(any("interventions" in (m.get("custom") or {}) for m in r) for _, _, r in said[warm:])
    failed = sum(any(m.get("text") == KNOWLEDGE_UNREACHABLE for m in r) for _, _, r in said[warm:])
    return {"turns": turns, "ms_per_turn": cpu, "details": details, "results": results, "failed": failed}


# Pieces of the parts, timed where they are called (ms per turn, inside their part's figure).
DETAILS = ("actions: take_turn", "rasa: parse", "rasa: policy prediction", "rasa: tracker read", "rasa: tracker save")


def _time_details(clock: Clock, agent) -> None:
    import actions.consultation
    from rasa.core.processor import MessageProcessor

    actions.consultation.take_turn = clock.detail("actions: take_turn", actions.consultation.take_turn)
    processor = agent.processor
    processor.parse_message = clock.detail("rasa: parse", processor.parse_message)
    processor._predict_next_with_tracker = clock.detail("rasa: policy prediction", processor._predict_next_with_tracker)
    store = processor.tracker_store
    store.retrieve = clock.detail("rasa: tracker read", store.retrieve)
    store.save = clock.detail("rasa: tracker save", store.save)
    assert isinstance(processor, MessageProcessor)


async def _api_cpu(said: list[tuple[str, str, list]]) -> float:
    import httpx

    app = _app([replies for _, _, replies in said])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app") as client:
        sessions: dict[str, dict] = {}
        for sender, _, _ in said:
            if sender not in sessions:
                sessions[sender] = (await client.post("/api/session")).json()
        spent = 0.0
        for sender, text, _ in said:
            session = sessions[sender]
            started = time.process_time()
            response = await client.post("/api/chat", json={"sender": session["session_id"], "message": text},
                                         headers={"Authorization": f"Bearer {session['token']}"})
            spent += time.process_time() - started
            if response.status_code != 200:
                raise RuntimeError(f"/api/chat answered {response.status_code}: {response.text[:200]}")
    return spent * 1000 / len(said)


def _quiet() -> None:
    import logging

    from benchmarks.nlu import quiet_rasa

    quiet_rasa()
    logging.getLogger().setLevel(logging.WARNING)


def _child(checkout: Path, args: argparse.Namespace) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    command = [sys.executable, "-m", "benchmarks.turn_cpu", "--json", "--turns", str(args.turns),
               "--seed", str(args.seed), "--warm", str(args.warm), "--model", str(args.model)]
    done = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{checkout}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def side_by_side(results: dict[str, list[dict]]) -> str:
    names = list(results)
    head = "| del | " + " | ".join(f"{name} ms/tur (median; alla)" for name in names) + " | efter/före (median per omgång) |"
    lines = [head, "|---|" + "---|" * (len(names) + 1)]
    def value(result: dict, part: str) -> float:
        if part == "totalt":
            return sum(result["ms_per_turn"].values())
        return result["ms_per_turn"][part] if part in PARTS else result["details"][part]

    for part in (*PARTS, "totalt", *DETAILS):
        cells, series = [], []
        for name in names:
            series.append([value(r, part) for r in results[name]])
            cells.append(f"{statistics.median(series[-1]):.2f} ({', '.join(f'{v:.2f}' for v in series[-1])})")
        # The median of each round's after/before: the machine's drift between rounds cancels out.
        ratio = f"{statistics.median(a / b for b, a in zip(*series) if b):.2f}" if len(series) == 2 else ""
        lines.append(f"| {part} | " + " | ".join(cells) + f" | {ratio} |")
    for key, label in (("results", "turer med ett resultat"), ("failed", "turer med ett misslyckat anrop")):
        lines.append(f"| {label} | " + " | ".join(", ".join(str(r[key]) for r in results[n]) for n in names) + " | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.turn_cpu")
    parser.add_argument("--turns", type=int, default=120, help="uppmätta turer (efter uppvärmningen)")
    parser.add_argument("--warm", type=int, default=24, help="turer före mätningen")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "insatslotsen.tar.gz")
    parser.add_argument("--against", type=Path, help="en annan utcheckning (före) att mäta omväxlande med denna")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="en mätning, som JSON (för --against)")
    args = parser.parse_args(argv)
    args.model = args.model.resolve()
    if args.against:
        results: dict[str, list[dict]] = {str(args.against): [], str(ROOT): []}
        for _ in range(args.rounds):
            for checkout in results:
                results[checkout].append(_child(Path(checkout), args))
        print(side_by_side(results))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        _environment(Path(tmp))
        _quiet()
        measured = asyncio.run(run(args.model, args.turns, args.seed, args.warm))
    if args.json:
        print(json.dumps(measured))
    else:
        print(side_by_side({str(ROOT): [measured]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
