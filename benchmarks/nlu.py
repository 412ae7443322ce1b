"""NLU pipelines side by side: `make bench-nlu` (= `python -m benchmarks.nlu`).

For config.yml's pipeline and every alternative in benchmarks/nlu_pipelines/, in one run: the
wall time of `rasa train` (a fresh process with an empty Rasa cache, as CI and a fresh clone
pay it), the model's size, parse latency in-process (p50/p95 over the held-out messages, after
a warm-up), intent macro-F1 per subset (clean / folded = without å/ä/ö / typo) and entity F1.
The stock `rasa init` starter is trained in the same run, so training times are also given as
a ratio to it. On a shared machine wall-clock times depend on the other load, so CPU time (of
the training process; of this process per parse) is reported beside them, and ratios are taken
of CPU time. Prints a Markdown table (docs/benchmarks.md).

Held-out messages: issue 14's evaluation set, a YAML list of {text, intent, subset, ...}
(`--eval`). Entities: the annotated Rasa-format set tests/nlu/heldout.yml (`--entities`); it is
also the intent set when `--eval` does not exist yet, with its messages as "clean" and their
å/ä/ö-folded copies as "folded".
"""
from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PIPELINES_DIR = ROOT / "benchmarks" / "nlu_pipelines"
DEFAULT_EVAL = ROOT / "tests" / "data" / "nlu_eval" / "heldout.yaml"
DEFAULT_ENTITIES = ROOT / "tests" / "nlu" / "heldout.yml"
SUBSETS = ("clean", "folded", "typo")
# The entities the actions read (actions/guideline_answers.py, actions/consultation.py); the
# numbers they take from nlu/facts.py's patterns first.
ACTION_ENTITIES = ("insats", "roll")
WARM_UP = 10


@dataclass(frozen=True)
class EvalMessage:
    text: str
    intent: str
    subset: str


@dataclass(frozen=True)
class EntityMessage:
    text: str
    entities: tuple[tuple[str, str], ...]  # (entity, value after synonyms), sorted


@dataclass(frozen=True)
class Training:
    wall: float  # what a user waits for
    cpu: float  # user + system time of the training process: what it costs on any machine


@dataclass
class Result:
    name: str
    train: Training
    model_mb: float
    parse_ms: list[float] = field(default_factory=list)  # wall clock
    parse_cpu_ms: list[float] = field(default_factory=list)  # this process's CPU: robust to a busy machine
    intent_f1: dict[str, float | None] = field(default_factory=dict)
    entity_f1_actions: float | None = None
    entity_f1_all: float | None = None


def load_eval_messages(path: Path) -> tuple[list[EvalMessage], str]:
    """Issue 14's list format, or (fallback) a Rasa NLU YAML file; second value says which."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(document, list):
        messages = [EvalMessage(str(m["text"]), m["intent"], m.get("subset", "clean")) for m in document]
        unknown = sorted({m.subset for m in messages} - set(SUBSETS))
        if unknown:
            raise ValueError(f"{path}: unknown subset(s) {unknown}; expected {list(SUBSETS)}")
        return messages, "issue-14 list"
    from knowledge.ingest.swedish import fold

    messages = []
    for example in _rasa_examples(path):
        messages.append(EvalMessage(example.get("text"), example.get("intent"), "clean"))
        folded = fold(example.get("text"))
        if folded != example.get("text").lower():
            messages.append(EvalMessage(folded, example.get("intent"), "folded"))
    return messages, "Rasa NLU YAML (folded copies derived)"


def _rasa_examples(path: Path):
    from rasa.shared.nlu.training_data.loading import load_data

    return [m for m in load_data(str(path)).intent_examples if m.get("text")]


def load_entity_messages(path: Path, training_data: Path = ROOT / "nlu" / "data") -> list[EntityMessage]:
    """Gold (entity, value) pairs, values mapped through the training data's synonyms as Rasa maps them."""
    from rasa.shared.data import get_data_files, is_nlu_file
    from rasa.shared.nlu.training_data.loading import load_data

    synonyms: dict[str, str] = {}
    for nlu_file in sorted(get_data_files([str(training_data)], is_nlu_file)):
        synonyms.update(load_data(nlu_file).entity_synonyms)
    return [
        EntityMessage(m.get("text"), _entity_pairs(m.get("entities") or [], synonyms))
        for m in _rasa_examples(path)
    ]


def _entity_pairs(entities, synonyms: dict[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    synonyms = synonyms or {}
    pairs = []
    for entity in entities:
        value = str(entity.get("value", "")).lower()
        pairs.append((entity["entity"], synonyms.get(value, value).lower()))
    return tuple(sorted(pairs))


def macro_f1(gold: list[str], predicted: list[str]) -> float | None:
    """F1 averaged over every intent in the gold or the predicted labels, as `make eval` averages
    it (benchmarks/nlu_eval.py); a predicted nlu_fallback counts as a wrong intent."""
    if not gold:
        return None
    scores = []
    for label in sorted(set(gold) | set(predicted)):
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def entity_f1(gold: list[tuple], predicted: list[tuple], names: tuple[str, ...] | None) -> float | None:
    """Micro F1 over (entity, value) pairs per message: what the actions read, not the spans."""
    tp = fp = fn = 0
    for gold_pairs, predicted_pairs in zip(gold, predicted):
        keep = (lambda pair: names is None or pair[0] in names)
        g = Counter(p for p in gold_pairs if keep(p))
        p = Counter(p for p in predicted_pairs if keep(p))
        tp += sum((g & p).values())
        fp += sum((p - g).values())
        fn += sum((g - p).values())
    if tp + fn == 0:
        return None
    return 2 * tp / (2 * tp + fp + fn)


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def _rasa_env(cache_dir: Path) -> dict[str, str]:
    # An empty cache per training: Rasa would otherwise reuse the featurizers of an earlier run.
    return {**os.environ, "RASA_CACHE_DIRECTORY": str(cache_dir), "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _train(cwd: Path, config: Path, domain: Path, data: Path, out: Path, name: str, work: Path) -> Training:
    cache = work / f"cache-{name}"
    command = [
        str(Path(sys.executable).with_name("rasa")), "train", "--config", str(config), "--domain", str(domain),
        "--data", str(data), "--out", str(out), "--fixed-model-name", name, "--quiet",
    ]
    started, started_cpu = time.perf_counter(), _children_cpu()
    completed = subprocess.run(command, cwd=cwd, env=_rasa_env(cache), capture_output=True, text=True)
    training = Training(time.perf_counter() - started, _children_cpu() - started_cpu)
    if completed.returncode != 0:
        raise RuntimeError(f"rasa train {name} failed:\n{completed.stderr[-3000:]}")
    shutil.rmtree(cache, ignore_errors=True)
    return training


def pipeline_config(pipeline_file: Path, work: Path) -> Path:
    """config.yml with its pipeline replaced by the candidate's (policies and language unchanged)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["pipeline"] = yaml.safe_load(pipeline_file.read_text(encoding="utf-8"))["pipeline"]
    path = work / f"config-{pipeline_file.stem}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def train_starter(work: Path) -> Training:
    """The stock `rasa init` project (its own default pipeline and policies), trained the same way."""
    import rasa.cli

    project = work / "starter"
    shutil.copytree(Path(rasa.cli.__file__).parent / "initial_project", project)
    return _train(project, project / "config.yml", project / "domain.yml", project / "data", project / "models", "starter", work)


async def _parse_all(agent, texts: list[str], rounds: int = 1) -> tuple[list[dict], list[float], list[float]]:
    for text in texts[:WARM_UP]:
        await agent.parse_message(text)
    parsed, wall, cpu = [], [], []
    for _ in range(rounds):
        parsed = []
        for text in texts:
            started, started_cpu = time.perf_counter_ns(), time.process_time_ns()
            parsed.append(await agent.parse_message(text))
            cpu.append((time.process_time_ns() - started_cpu) / 1e6)
            wall.append((time.perf_counter_ns() - started) / 1e6)
    return parsed, wall, cpu


def quiet_rasa() -> None:
    """Rasa's structlog defaults to DEBUG and would print (and time) every parse."""
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


def evaluate(model: Path, result: Result, messages: list[EvalMessage], entity_messages: list[EntityMessage], rounds: int) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    parsed, result.parse_ms, result.parse_cpu_ms = asyncio.run(_parse_all(agent, [m.text for m in messages], rounds))
    for subset in SUBSETS:
        pairs = [(m.intent, p["intent"]["name"]) for m, p in zip(messages, parsed) if m.subset == subset]
        result.intent_f1[subset] = macro_f1([g for g, _ in pairs], [p for _, p in pairs])
    parsed_entities, _, _ = asyncio.run(_parse_all(agent, [m.text for m in entity_messages]))
    gold = [m.entities for m in entity_messages]
    predicted = [_entity_pairs(p.get("entities") or []) for p in parsed_entities]
    result.entity_f1_actions = entity_f1(gold, predicted, ACTION_ENTITIES)
    result.entity_f1_all = entity_f1(gold, predicted, None)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def table(results: list[Result], starter: Training | None, reference: str) -> str:
    ref = next(r for r in results if r.name == reference)
    ref_p95 = percentile(ref.parse_cpu_ms, 95)
    header = (
        f"| pipeline | träning s | träning CPU s | CPU × starter | CPU × {reference} | parse p50 ms | parse p95 ms "
        f"| parse CPU p95 ms | CPU p95 × {reference} | F1 clean | F1 folded | F1 typo "
        "| entitet-F1 insats+roll | entitet-F1 alla | modell MB |"
    )
    columns = header.count("|") - 1
    lines = [header, "|" + "---|" * columns]
    for r in results:
        cpu_p95 = percentile(r.parse_cpu_ms, 95)
        lines.append(
            f"| {r.name} | {r.train.wall:.1f} | {r.train.cpu:.1f} | "
            f"{_fmt(r.train.cpu / starter.cpu if starter else None, 2)} | {r.train.cpu / ref.train.cpu:.2f} | "
            f"{percentile(r.parse_ms, 50):.1f} | {percentile(r.parse_ms, 95):.1f} | {cpu_p95:.1f} | "
            f"{cpu_p95 / ref_p95:.2f} | {_fmt(r.intent_f1.get('clean'))} | {_fmt(r.intent_f1.get('folded'))} | "
            f"{_fmt(r.intent_f1.get('typo'))} | {_fmt(r.entity_f1_actions)} | {_fmt(r.entity_f1_all)} | {r.model_mb:.1f} |"
        )
    if starter is not None:
        cells = ["rasa init (starter)", f"{starter.wall:.1f}", f"{starter.cpu:.1f}", "1.00", f"{starter.cpu / ref.train.cpu:.2f}"]
        lines.append("| " + " | ".join(cells) + " |" + " |" * (columns - len(cells)))
    return "\n".join(lines)


def row_name(pipeline: Path) -> str:
    """config.yml keeps its file name in the table; an alternative is named by its file's stem."""
    return pipeline.name if pipeline.name == "config.yml" else pipeline.stem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.nlu")
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="held-out messages (issue 14's list format)")
    parser.add_argument("--entities", type=Path, default=DEFAULT_ENTITIES, help="entity-annotated Rasa NLU YAML")
    parser.add_argument("--data", type=Path, default=ROOT / "nlu" / "data", help="Rasa training data")
    parser.add_argument("--domain", type=Path, default=ROOT / "domain.yml")
    parser.add_argument("--pipelines", nargs="*", type=Path, help="pipeline files (default: config.yml and benchmarks/nlu_pipelines/*.yml)")
    parser.add_argument("--reference", default="diet_100", help="the row the time ratios compare with")
    parser.add_argument("--rounds", type=int, default=2, help="timed passes over the held-out messages")
    parser.add_argument("--no-starter", action="store_true", help="skip training the rasa init starter")
    parser.add_argument("--keep", type=Path, help="keep the trained models in this directory")
    args = parser.parse_args(argv)

    quiet_rasa()
    eval_path = args.eval if args.eval.exists() else DEFAULT_ENTITIES
    messages, eval_format = load_eval_messages(eval_path)
    entity_messages = load_entity_messages(args.entities, args.data)
    pipelines = args.pipelines or [ROOT / "config.yml", *sorted(PIPELINES_DIR.glob("*.yml"))]
    if args.reference not in {row_name(p) for p in pipelines}:
        args.reference = row_name(pipelines[0])
    print(f"Utvärderingsmeningar: {eval_path} ({eval_format}): "
          + ", ".join(f"{s} {sum(m.subset == s for m in messages)}" for s in SUBSETS))
    print(f"Entiteter: {args.entities} ({len(entity_messages)} meningar); träningsdata: {args.data}")
    print(f"Belastning före: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} kärnor\n", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        work = Path(tmp)
        out = args.keep or work / "models"
        results = []
        for pipeline in pipelines:
            config = ROOT / "config.yml" if pipeline.name == "config.yml" else pipeline_config(pipeline, work)
            name = pipeline.stem
            training = _train(ROOT, config, args.domain, args.data, out, name, work)
            model = out / f"{name}.tar.gz"
            result = Result(row_name(pipeline), training, model.stat().st_size / 1e6)
            evaluate(model, result, messages, entity_messages, args.rounds)
            results.append(result)
            print(f"{name}: tränad på {training.wall:.1f} s ({training.cpu:.1f} s CPU), parse CPU p95 "
                  f"{percentile(result.parse_cpu_ms, 95):.1f} ms, belastning {os.getloadavg()[0]:.1f}", flush=True)
        starter = None if args.no_starter else train_starter(work)
        if starter is not None:
            print(f"rasa init (starter): tränad på {starter.wall:.1f} s ({starter.cpu:.1f} s CPU)", flush=True)
        print()
        print(table(results, starter, args.reference))
    print(f"\nBelastning efter: {os.getloadavg()[0]:.1f} (1 min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
