"""Speed and memory of passage search: `python -m benchmarks.retrieval [--rounds N] [--no-build]`.

Builds the index into a temporary directory (timing the build), loads the retriever from it
(model included), then times hybrid searches (k = 5) of every labelled question, one at a time,
after a warm-up, and a guideline answer as the assistant gives it (search k = 2 and the quote of
each hit); prints p50/p95/max in milliseconds and the process's resident memory.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from knowledge.settings import KnowledgeSettings


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.retrieval")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the question set")
    parser.add_argument("--no-build", action="store_true", help="use the existing index instead of building one")
    args = parser.parse_args(argv)

    from knowledge.retrieval import load_retriever
    from knowledge.retrieval.evaluate import load_questions
    from knowledge.retrieval.index import build_index

    settings = KnowledgeSettings()
    rss_start = _rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        build_seconds = None
        if not args.no_build:
            settings = KnowledgeSettings(index_dir=Path(tmp), embedding_model=settings.embedding_model)
            started = time.perf_counter()
            build_index(settings)
            build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        retriever = load_retriever(settings)
        load_seconds = time.perf_counter() - started
        questions = [q.text for q in load_questions()]
        for text in questions[:10]:
            retriever.search(text, k=5)
        samples = []
        for _ in range(args.rounds):
            for text in questions:
                started = time.perf_counter_ns()
                retriever.search(text, k=5)
                samples.append((time.perf_counter_ns() - started) / 1e6)
        answers = []
        for _ in range(args.rounds):
            for text in questions:
                started = time.perf_counter_ns()
                for hit in retriever.search(text, k=2):
                    retriever.quote(text, hit.passage)
                answers.append((time.perf_counter_ns() - started) / 1e6)
        rows = [
            ("modell", str(settings.model_dir())),
            ("passager", str(len(retriever.passages))),
            ("bygga index", f"{build_seconds:.1f} s" if build_seconds is not None else "–"),
            ("ladda index + modell", f"{load_seconds:.1f} s"),
            ("sökningar", f"{len(samples)} ({len(questions)} frågor × {args.rounds})"),
            ("latens p50", f"{statistics.median(samples):.1f} ms"),
            ("latens p95", f"{percentile(samples, 95):.1f} ms"),
            ("latens max", f"{max(samples):.1f} ms"),
            ("svar (sök k=2 + citat) p50 / p95", f"{statistics.median(answers):.1f} ms / {percentile(answers, 95):.1f} ms"),
            ("minne (RSS) före / efter", f"{rss_start:.0f} MB / {_rss_mb():.0f} MB"),
        ]
    width = max(len(name) for name, _ in rows)
    print("\n".join(f"{name:<{width}}  {value}" for name, value in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
