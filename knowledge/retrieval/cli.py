"""Commands: build-index, search, eval-retrieval, fit-ranker, audit-labels, adapt-model, corpus-report (`python -m knowledge -h`)."""
import argparse
import json
import os
import sys
from pathlib import Path

from knowledge.retrieval.errors import IndexMissingError, QueryError
from knowledge.settings import KnowledgeSettings


def register(subparsers: argparse._SubParsersAction) -> None:
    build = subparsers.add_parser("build-index", help="bygg sökindexet (bara om dokument, kod eller modell ändrats)")
    build.add_argument("--force", action="store_true", help="bygg om även om indexet är aktuellt")
    build.set_defaults(run=run_build_index)

    search = subparsers.add_parser("search", help="sök i riktlinjerna")
    search.add_argument("query", help="frågan, t.ex. \"kriterier 4:2 socialpsykiatri\"")
    search.add_argument("-k", type=int, default=5, help="antal träffar (1–50)")
    search.add_argument("--json", action="store_true", help="skriv träffarna som JSON")
    search.add_argument("--mode", choices=("hybrid", "bm25", "dense", "convex"), default="hybrid")
    search.set_defaults(run=run_search)

    evaluate = subparsers.add_parser("eval-retrieval", help="Recall@1/5, MRR@10 och citatens träffsäkerhet på frågesetet, per sökmetod och delmängd")
    evaluate.add_argument("--split", choices=("all", "tune", "heldout", "check", "dev", "test"), default="heldout",
                          help="frågesetets halva (standard: heldout; det andra guideline-setet har tune/check, det äldre dev/test)")
    evaluate.add_argument("--questions", default=None, help="frågesetets YAML (standard: tests/data/guideline_questions.yaml)")
    evaluate.add_argument("--compare-model", default=None, help="en modellkatalog att jämföra med (standard: den andra av MiniLM och den anpassade, om den finns)")
    evaluate.add_argument("--no-compare", action="store_true", help="bara indexets egen modell")
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(run=run_eval)

    ranker = subparsers.add_parser("fit-ranker", help="anpassa rankningens vikter till frågesetens tune-halvor (skriver knowledge/retrieval/ranker_weights.json)")
    ranker.set_defaults(run=run_fit_ranker)

    labels = subparsers.add_parser("audit-labels", help="passager som upprepar en frågas citatord men saknas bland dess svar")
    labels.add_argument("--questions", default=None, help="frågesetets YAML (standard: tests/data/guideline_questions.yaml)")
    labels.set_defaults(run=run_audit_labels)

    adapt = subparsers.add_parser("adapt-model", help="anpassa MiniLM till korpusen (ca 3 min på två kärnor)")
    adapt.add_argument("--force", action="store_true", help="träna om även om modellen är aktuell")
    adapt.set_defaults(run=run_adapt_model)

    report = subparsers.add_parser("corpus-report", help="OCR-reparationens mått och passagernas storlek")
    report.add_argument("--json", action="store_true")
    report.set_defaults(run=run_corpus_report)


def run_build_index(args: argparse.Namespace) -> int:
    from knowledge.retrieval.index import PARAMS_FILE, build_index, is_current

    settings = KnowledgeSettings()
    try:
        settings.model_dir()
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    if not args.force and is_current(settings):
        os.utime(settings.index_dir / PARAMS_FILE)  # make sees the index as up to date
        print(f"Sökindexet i {settings.index_dir} är aktuellt.")
        return 0
    params = build_index(settings)
    print(f"Byggde sökindexet i {settings.index_dir}: {params['passages']} passager, {params['terms']} termer, {params['build_seconds']} s.")
    return 0


def run_search(args: argparse.Namespace) -> int:
    from knowledge.retrieval import load_retriever

    try:
        retriever = load_retriever()
        hits = retriever.search(args.query, k=args.k, mode=args.mode)
    except (IndexMissingError, QueryError) as error:
        print(error, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([hit.to_dict() for hit in hits], ensure_ascii=False, indent=2))
        return 0
    for rank, hit in enumerate(hits, start=1):
        p = hit.passage
        page = f", s. {p.page}" if p.page else ""
        print(f"{rank}. {p.doc[:3]} {p.section} – {p.title}{page}  [{hit.score:.4f}]  ({p.id})")
        print("   » " + retriever.quote(args.query, p) + " «")  # the sentences that answer, as the assistant quotes them
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from knowledge.retrieval import load_retriever
    from knowledge.retrieval.evaluate import (
        EVAL_FILE,
        default_comparison,
        evaluate_modes,
        evaluate_with_model,
        by_subset,
        format_subsets,
        format_table,
        load_questions,
        metrics,
        model_label,
        quote_metrics,
        ranks_for,
    )

    try:
        retriever = load_retriever()
    except IndexMissingError as error:
        print(error, file=sys.stderr)
        return 2
    questions = load_questions(args.questions or EVAL_FILE, split=args.split)
    if not questions:
        print(f"Inga frågor i halvan {args.split!r} av frågesetet.", file=sys.stderr)
        return 2
    results = evaluate_modes(retriever, questions, label=model_label(KnowledgeSettings().model_dir()))
    other = Path(args.compare_model) if args.compare_model else default_comparison(KnowledgeSettings().model_dir())
    if other is not None and not args.no_compare:
        results |= evaluate_with_model(retriever, questions, other)
    subsets = by_subset(retriever, questions)
    overall = {**metrics(ranks_for(retriever, questions, "hybrid")), **quote_metrics(retriever, questions), "n": len(questions)}
    if args.json:
        print(json.dumps({"modes": results, "hybrid_by_subset": subsets | {"all": overall}}, indent=2))
    else:
        print(format_table(results, len(questions), args.split) + "\n\n" + format_subsets(subsets, overall))
    return 0


def run_fit_ranker(args: argparse.Namespace) -> int:
    from knowledge.retrieval import load_retriever
    from knowledge.retrieval.evaluate import RANKER_TRAINING_FILES
    from knowledge.retrieval.ranker import WEIGHTS_FILE, fitted_weights

    try:
        retriever = load_retriever()
    except IndexMissingError as error:
        print(error, file=sys.stderr)
        return 2
    fitted = fitted_weights(retriever, RANKER_TRAINING_FILES)
    WEIGHTS_FILE.write_text(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"Skrev {WEIGHTS_FILE}: {len(fitted['features'])} särdrag, anpassade på {sum(fitted['fitted_on']['questions'].values())} frågor.")
    return 0


def run_adapt_model(args: argparse.Namespace) -> int:
    from knowledge.corpus import load_passages
    from knowledge.retrieval.adapt import ADAPTED_MODEL_DIR, adapt, is_adapted
    from knowledge.settings import bundled_model_dir

    passages = load_passages()
    if not args.force and is_adapted(bundled_model_dir(), passages):
        os.utime(ADAPTED_MODEL_DIR / "adaptation.json")  # make sees the model as up to date
        print(f"Den anpassade modellen i {ADAPTED_MODEL_DIR} är aktuell.")
        return 0
    manifest = adapt(bundled_model_dir(), passages)
    print(f"Tränade {ADAPTED_MODEL_DIR} på {manifest['pairs']} par på {manifest['seconds']} s (modellhash {manifest['model_hash']}).")
    print(f"Använd den med INSATSLOTSEN_EMBEDDING_MODEL={ADAPTED_MODEL_DIR} och bygg indexet: python -m knowledge build-index")
    return 0


def run_audit_labels(args: argparse.Namespace) -> int:
    """Lists the extra answering passages; exit 1 when there are some (the set is not closed)."""
    from knowledge.retrieval.evaluate import EVAL_FILE, load_questions
    from knowledge.retrieval.labels import corpus_audit

    questions = load_questions(args.questions or EVAL_FILE)
    extras = corpus_audit().run(questions)
    split = {q.id: q.split for q in questions}
    for extra in extras:
        p = extra.passage
        print(f"{extra.question} ({split[extra.question]}): {p.id} ({p.doc} {p.section}) upprepar ”{extra.quote}” ur {extra.repeats}")
    print(f"{len(extras)} svarande passager saknas i {len({e.question for e in extras})} frågor av {len(questions)}.")
    return 1 if extras else 0


def run_corpus_report(args: argparse.Namespace) -> int:
    from knowledge.ingest.report import corpus_report, format_report

    report = corpus_report()
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_report(report))
    return 0
