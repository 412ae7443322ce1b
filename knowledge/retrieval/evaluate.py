"""Retrieval quality on the labelled questions: Recall@1, Recall@5 and MRR@10 per search mode,
per subset (clean, folded, typo), and whether the quote shown contains the answering sentence.

A question is answered at rank r when the passage there is one of its labelled passages. Labels
name passage ids and (doc, section): a labelled id that no longer exists (the corpus was
re-chunked) falls back to any passage of its section, so labels survive re-chunking.
Recall@k is the share of questions answered within the top k; MRR@10 the mean of 1/r (0 past 10).

Quotes (labels with `quote`: words of the answering sentence, compared folded, whitespace-blind):
- "citat, träff 1": the first hit answers and its quote (Retriever.quote, what the assistant
  shows) contains the answer's words — retrieval and quoting together;
- "citat ur rätt passage": the quote of the first labelled passage contains its words — the
  sentence choice alone.
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from knowledge.corpus.loader import section_key
from knowledge.corpus.passage import Passage
from knowledge.ingest.swedish import fold
from knowledge.settings import REPO_DIR

EVAL_FILE = REPO_DIR / "tests" / "data" / "guideline_questions.yaml"
# A second guideline set (tune / check halves), written once the first set's tune half was worn out.
FRESH_EVAL_FILE = REPO_DIR / "tests" / "data" / "guideline_questions_fresh.yaml"
# A third (tune / check halves), written before retr7 changed anything, once both earlier tune halves had been tuned on.
FRESH2_EVAL_FILE = REPO_DIR / "tests" / "data" / "guideline_questions_fresh2.yaml"
# A fourth (tune / check halves), written before retr14 ran anything, once the learned ranking had been fitted on the three tune halves above.
FRESH3_EVAL_FILE = REPO_DIR / "tests" / "data" / "guideline_questions_fresh3.yaml"
# A fifth (tune / check halves), written before retr15 ran anything, weighted towards the tune halves' misses:
# everyday words for the documents' terms, and sections of several passages.
FRESH4_EVAL_FILE = REPO_DIR / "tests" / "data" / "guideline_questions_fresh4.yaml"
# A sixth (tune / check halves), written before retr17 ran anything: half folded or with typos,
# abbreviations, case narratives and outreach (uppsökande arbete, UVAS).
FRESH5_EVAL_FILE = REPO_DIR / "tests" / "data" / "guideline_questions_fresh5.yaml"
# A seventh (tune / check halves), written before retr18 ran anything: everyday words for the
# documents' terms, a third folded, a quarter with typos.
FRESH6_EVAL_FILE = REPO_DIR / "tests" / "data" / "guideline_questions_fresh6.yaml"
# The fresh sets in the order they were written, each with tune / check halves; with the first set,
# every set labelled with passages and quotes. Tests and `make eval` read these, so a new set is
# added here once.
FRESH_EVAL_FILES = (FRESH_EVAL_FILE, FRESH2_EVAL_FILE, FRESH3_EVAL_FILE, FRESH4_EVAL_FILE, FRESH5_EVAL_FILE, FRESH6_EVAL_FILE)
LABELLED_EVAL_FILES = (EVAL_FILE, *FRESH_EVAL_FILES)
# The learned ranking (knowledge/retrieval/ranker.py) is fitted on the tune halves of these: every
# labelled set's (since retr18; the three first sets' before, 240 questions).
RANKER_TRAINING_FILES = LABELLED_EVAL_FILES
# The set earlier work tuned on (dev/test halves, no quotes); kept to compare with.
LEGACY_EVAL_FILE = REPO_DIR / "tests" / "data" / "retrieval_eval.yaml"
MODES = ("bm25", "dense", "convex", "hybrid")


def set_name(path: Path) -> str:
    """A question file's short name: "guideline", "fresh", "fresh2", … ("legacy" for the older set)."""
    if path == LEGACY_EVAL_FILE:
        return "legacy"
    return path.stem.removeprefix("guideline_questions").lstrip("_") or "guideline"
SUBSETS = ("clean", "folded", "typo")
_LEGACY_STYLE_SUBSET = {"utan åäö": "folded", "stavfel": "typo"}


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    split: str
    passages: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]
    subset: str = "clean"
    quotes: tuple[str | None, ...] = ()

    def answered_by(self, passage: Passage, known_ids: set[str]) -> bool:
        live = [pid for pid in self.passages if pid in known_ids]
        if live:
            return passage.id in live
        return any(passage.doc == doc and section_key(passage.section) == section_key(sec) for doc, sec in self.sections)


def load_questions(path: Path | str = EVAL_FILE, split: str = "all") -> list[Question]:
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["questions"]
    questions = [
        Question(
            id=e["id"],
            text=e["q"],
            split=e["split"],
            passages=tuple(a["passage"] for a in e["answers"]),
            sections=tuple((a["doc"], str(a["section"])) for a in e["answers"]),
            subset=e.get("subset") or _LEGACY_STYLE_SUBSET.get(e.get("style", ""), "clean"),
            quotes=tuple(a.get("quote") for a in e["answers"]),
        )
        for e in entries
    ]
    return [q for q in questions if split == "all" or q.split == split]


def first_answer_rank(question: Question, ranking: list[Passage], known_ids: set[str]) -> int | None:
    for rank, passage in enumerate(ranking, start=1):
        if question.answered_by(passage, known_ids):
            return rank
    return None


def comparable(text: str) -> str:
    """Folded, lower-cased, whitespace-blind: how quote words are compared with a text."""
    return " ".join(fold(text).lower().split())


def quote_contains(shown: str, words: str) -> bool:
    """Whether a shown quote contains the labelled words of the answering sentence."""
    return comparable(words) in comparable(shown)


def quote_for(question: Question, passage: Passage, known_ids: set[str]) -> str | None:
    """The labelled words for this answering passage (its own label, else its section's)."""
    for (pid, (doc, section), words) in zip(question.passages, question.sections, question.quotes):
        if words and (passage.id == pid or (pid not in known_ids and passage.doc == doc and section_key(passage.section) == section_key(section))):
            return words
    return None


def quote_metrics(retriever, questions: list[Question]) -> dict[str, float]:
    """Share of quoted questions whose first hit shows the answer, and whose labelled passage does."""
    passages = retriever.passages
    known = {p.id for p in passages}
    by_id = {p.id: p for p in passages}
    quoted = [q for q in questions if any(q.quotes)]
    top_hits = right_passage = 0
    for question in quoted:
        top = passages[int(np.argmax(retriever.scores(question.text, "hybrid")))]
        words = quote_for(question, top, known) if question.answered_by(top, known) else None
        top_hits += bool(words and quote_contains(retriever.quote(question.text, top), words))
        labelled = next((by_id[pid] for pid, words in zip(question.passages, question.quotes) if words and pid in by_id), None)
        if labelled is not None:
            right_passage += quote_contains(retriever.quote(question.text, labelled), quote_for(question, labelled, known))
    n = len(quoted) or 1
    return {"quote@1": round(top_hits / n, 4), "quote_given_passage": round(right_passage / n, 4), "quoted": len(quoted)}


def by_subset(retriever, questions: list[Question], mode: str = "hybrid") -> dict[str, dict[str, float]]:
    """Metrics and quote accuracy of one mode for each subset that has questions."""
    results = {}
    for subset in SUBSETS:
        chosen = [q for q in questions if q.subset == subset]
        if chosen:
            results[subset] = {**metrics(ranks_for(retriever, chosen, mode)), **quote_metrics(retriever, chosen), "n": len(chosen)}
    return results


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "recall@1": round(sum(r == 1 for r in ranks) / n, 4),
        "recall@5": round(sum(r is not None and r <= 5 for r in ranks) / n, 4),
        "mrr@10": round(sum(1 / r for r in ranks if r is not None and r <= 10) / n, 4),
    }


def ranks_for(retriever, questions: list[Question], mode: str) -> list[int | None]:
    passages = retriever.passages
    known = {p.id for p in passages}
    ranks = []
    for question in questions:
        order = np.argsort(-retriever.scores(question.text, mode), kind="stable")[:10]
        ranks.append(first_answer_rank(question, [passages[i] for i in order], known))
    return ranks


def model_label(model_dir: Path) -> str:
    from knowledge.retrieval.adapt import ADAPTED_MODEL_DIR

    return "anpassad" if Path(model_dir).resolve() == ADAPTED_MODEL_DIR.resolve() else "MiniLM" if _is_bundled(model_dir) else Path(model_dir).name


def _is_bundled(model_dir: Path) -> bool:
    from knowledge.settings import bundled_model_dir

    return Path(model_dir).resolve() == bundled_model_dir().resolve()


def default_comparison(model_dir: Path) -> Path | None:
    """The bundled MiniLM when the index uses another model; else the adapted model if it was built."""
    from knowledge.retrieval.adapt import ADAPTED_MODEL_DIR
    from knowledge.settings import bundled_model_dir

    if not _is_bundled(model_dir):
        return bundled_model_dir()
    return ADAPTED_MODEL_DIR if (ADAPTED_MODEL_DIR / "adaptation.json").exists() else None


def evaluate_modes(retriever, questions: list[Question], modes: tuple[str, ...] = MODES, label: str = "") -> dict[str, dict[str, float]]:
    """Metrics per mode; the dense and hybrid rows are named after the embedding model."""
    return {(f"{mode} ({label})" if label and mode != "bm25" else mode): metrics(ranks_for(retriever, questions, mode)) for mode in modes}


def evaluate_with_model(retriever, questions: list[Question], model_dir: Path) -> dict[str, dict[str, float]]:
    """Dense and hybrid rows for another embedding model, its passage, sentence and window embeddings computed here."""
    from dataclasses import replace

    from knowledge.retrieval.dense import load_model
    from knowledge.retrieval.index import passage_embeddings
    from knowledge.retrieval.search import Retriever

    model = load_model(str(model_dir))
    index = replace(retriever.index, **passage_embeddings(model, retriever.passages))
    other = Retriever(index, model, retriever.max_query_chars)
    return evaluate_modes(other, questions, modes=("dense", "hybrid"), label=model_label(model_dir))


def format_table(results: dict[str, dict[str, float]], n: int, split: str) -> str:
    width = max(len(name) for name in results) + 2
    lines = [f"{n} frågor ({split})", f"{'metod':<{width}}{'Recall@1':>10}{'Recall@5':>10}{'MRR@10':>10}"]
    for mode, m in results.items():
        lines.append(f"{mode:<{width}}{m['recall@1']:>10.3f}{m['recall@5']:>10.3f}{m['mrr@10']:>10.3f}")
    return "\n".join(lines)


def format_subsets(results: dict[str, dict[str, float]], overall: dict[str, float]) -> str:
    """Hybrid search per subset, with quote accuracy (blank where a set has no quote labels)."""
    header = f"{'hybrid, delmängd':<20}{'n':>5}{'Recall@1':>10}{'Recall@5':>10}{'MRR@10':>10}{'citat, träff 1':>16}{'citat ur rätt passage':>23}"
    lines = [header]
    for name, m in [*results.items(), ("alla", overall)]:
        quotes = f"{m['quote@1']:>16.3f}{m['quote_given_passage']:>23.3f}" if m.get("quoted") else ""
        lines.append(f"{name:<20}{m['n']:>5}{m['recall@1']:>10.3f}{m['recall@5']:>10.3f}{m['mrr@10']:>10.3f}{quotes}")
    return "\n".join(lines)
