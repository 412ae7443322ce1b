"""The search index: built once by `python -m knowledge build-index`, loaded read-only after.

Files (all inspectable, no pickle):
    passages.jsonl   the passages, in index order
    tokenizer.json   the tokenizer's configuration (abbreviations, stop words, vocabulary, lemmas)
    vocabulary.json  the BM25 terms, in row order
    bm25_{data,indices,indptr}.npy           BM25 weights of heading path + text, terms × passages (CSR)
    bm25_heading_{data,indices,indptr}.npy   BM25 weights of the passage's own heading (CSR)
    embeddings.npy   one unit-length embedding per passage (float32)
    sentence_embeddings.npy  one per sentence of every passage (knowledge/retrieval/quote.py's
                     sentences, after the passage title), passages in index order
    sentence_starts.npy      the row of sentence_embeddings where each passage's sentences start
    window_embeddings.npy    one per window of WINDOW_SENTENCES consecutive sentences of a passage
    window_starts.npy        the row of window_embeddings where each passage's windows start
    heading_embeddings.npy   one per passage: its heading path (the learned ranking's features)
    title_embeddings.npy     one per passage: its title
    params.json      version, hashes of corpus, code and model, BM25 parameters, build time

An index is current when params.json names the same corpus hash (documents, metadata and the
ingestion code), the same retrieval code hash and the same model hash as now.
"""
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from knowledge.corpus import load_metadata, load_passages
from knowledge.corpus.passage import Passage
from knowledge.retrieval import bm25
from knowledge.retrieval.dense import encode, load_model, model_fingerprint
from knowledge.retrieval.errors import IndexMissingError
from knowledge.retrieval.quote import sentences
from knowledge.retrieval.tokenize import Tokenizer, build_tokenizer
from knowledge.settings import KnowledgeSettings

INDEX_VERSION = 4
PARAMS_FILE = "params.json"
_ARRAYS = [f"{m}_{part}" for m in ("bm25", "bm25_heading") for part in ("data", "indices", "indptr")] + [
    "embeddings", "sentence_embeddings", "sentence_starts", "window_embeddings", "window_starts", "heading_embeddings", "title_embeddings"]
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Code whose change changes the passages or their tokens.
_CORPUS_CODE = ("corpus", "ingest")
# A dense window: this many consecutive sentences of a passage, embedded together. MiniLM reads only
# the first half of a long passage, and one sentence often lacks the words that say what it is
# about; three sentences are read whole and keep their context (docs/retrieval.md has the numbers).
WINDOW_SENTENCES = 3
# dense.py: how the embeddings are computed (their precision) is part of what the index holds.
_RETRIEVAL_CODE = ("retrieval/tokenize.py", "retrieval/normalize.py", "retrieval/bm25.py", "retrieval/index.py", "retrieval/quote.py", "retrieval/dense.py")


@dataclass(frozen=True)
class Index:
    passages: list[Passage]
    tokenizer: Tokenizer
    vocabulary: dict[str, int]
    weights: sparse.csr_matrix
    heading_weights: sparse.csr_matrix
    embeddings: np.ndarray
    sentence_embeddings: np.ndarray
    sentence_starts: np.ndarray
    window_embeddings: np.ndarray
    window_starts: np.ndarray
    heading_embeddings: np.ndarray
    title_embeddings: np.ndarray
    params: dict


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(_PACKAGE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def corpus_hash() -> str:
    files = [p for name in _CORPUS_CODE for p in (_PACKAGE_DIR / name).rglob("*") if p.is_file() and p.suffix in {".py", ".txt", ".yaml"}]
    return _hash_files([p for p in files if "__pycache__" not in p.parts])


def code_hash() -> str:
    return _hash_files([_PACKAGE_DIR / name for name in _RETRIEVAL_CODE])


def passage_document(passage: Passage) -> str:
    """What is indexed for a passage: its heading path, then its text."""
    return "\n".join(passage.heading_path + [passage.text])


def passage_heading(passage: Passage) -> str:
    """The heading field (BM25F-style, a short field of its own): the passage's own heading(s)."""
    return " ".join(passage.heading_path[-1:] + ([passage.title] if passage.title not in passage.heading_path[-1] else []))


def passage_sentences(passages: list[Passage]) -> tuple[list[str], np.ndarray]:
    """What is embedded per sentence ("title: sentence", so a list item keeps its topic; a passage
    without text gives its title), and where each passage's sentences start."""
    texts: list[str] = []
    starts = []
    for passage in passages:
        starts.append(len(texts))
        texts += [f"{passage.title}: {s}" for s in sentences(passage.text)] or [passage.title]
    return texts, np.array(starts, dtype=np.int64)


def passage_windows(passages: list[Passage], size: int = WINDOW_SENTENCES) -> tuple[list[str], np.ndarray]:
    """What is embedded per window ("title: s1 s2 s3", every run of `size` consecutive sentences;
    a passage of fewer sentences is one window), and where each passage's windows start."""
    texts: list[str] = []
    starts = []
    for passage in passages:
        starts.append(len(texts))
        parts = sentences(passage.text) or [passage.title]
        texts += [f"{passage.title}: " + " ".join(parts[first : first + size]) for first in range(max(1, len(parts) - size + 1))]
    return texts, np.array(starts, dtype=np.int64)


def passage_heading_path(passage: Passage) -> str:
    """The passage's place in its document, read as one phrase ("2 Ansökan – 2.2 Omfattning")."""
    return " – ".join(passage.heading_path) if passage.heading_path else passage.title


def passage_embeddings(model, passages: list[Passage]) -> dict[str, np.ndarray]:
    """An index's dense arrays for `passages`: one embedding per passage, sentence and window, and
    the rows where each passage's sentences and windows start; one per heading path and title
    (named as the Index fields)."""
    sentence_texts, sentence_starts = passage_sentences(passages)
    window_texts, window_starts = passage_windows(passages)
    return {
        "embeddings": encode(model, [passage_document(p) for p in passages]),
        "sentence_embeddings": encode(model, sentence_texts),
        "sentence_starts": sentence_starts,
        "window_embeddings": encode(model, window_texts),
        "window_starts": window_starts,
        "heading_embeddings": encode(model, [passage_heading_path(p) for p in passages]),
        "title_embeddings": encode(model, [p.title for p in passages]),
    }


def _starts_fit(starts: np.ndarray, rows: int, n_passages: int) -> bool:
    """Each passage has at least one row, in order, and the rows exist."""
    if starts.shape != (n_passages,):
        return False
    return not len(starts) or (starts[0] == 0 and not np.any(np.diff(starts) < 1) and starts[-1] < rows)


def expected_fingerprints(settings: KnowledgeSettings) -> dict[str, str]:
    return {"corpus_hash": corpus_hash(), "code_hash": code_hash(), "model_hash": model_fingerprint(settings.model_dir())}


def is_current(settings: KnowledgeSettings) -> bool:
    params_path = settings.index_dir / PARAMS_FILE
    if not params_path.exists():
        return False
    try:
        params = json.loads(params_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    expected = expected_fingerprints(settings)
    return params.get("version") == INDEX_VERSION and all(params.get(k) == v for k, v in expected.items())


def build_index(settings: KnowledgeSettings) -> dict:
    """Build and save the index for the current corpus and model; returns params.json's content."""
    started = time.perf_counter()
    passages = load_passages()
    documents = [passage_document(p) for p in passages]
    tokenizer = build_tokenizer(documents)
    token_lists = [tokenizer.tokens(d) for d in documents]
    heading_lists = [tokenizer.tokens(passage_heading(p)) for p in passages]
    vocabulary = bm25.vocabulary_of(token_lists + heading_lists)
    weights = bm25.weight_matrix(token_lists, vocabulary)
    heading_weights = bm25.weight_matrix(heading_lists, vocabulary)
    model_dir = settings.model_dir()
    arrays = passage_embeddings(load_model(str(model_dir)), passages)
    governing = min(load_metadata(), key=lambda d: d.authority_rank).file
    params = {
        "version": INDEX_VERSION,
        **expected_fingerprints(settings),
        "tokenizer_fingerprint": tokenizer.fingerprint(),
        "model_dir": str(model_dir),
        "passages": len(passages),
        "terms": len(vocabulary),
        "embedding_dim": int(arrays["embeddings"].shape[1]),
        "sentences": len(arrays["sentence_embeddings"]),
        "windows": len(arrays["window_embeddings"]),
        "window_sentences": WINDOW_SENTENCES,
        "bm25": {"k1": bm25.K1, "b": bm25.B},
        "governing_document": governing,
        "build_seconds": round(time.perf_counter() - started, 2),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    _save(settings.index_dir, passages, tokenizer, vocabulary, {"bm25": weights, "bm25_heading": heading_weights}, arrays, params)
    return params


def _save(directory: Path, passages, tokenizer, vocabulary, matrices: dict[str, sparse.csr_matrix], arrays: dict[str, np.ndarray], params) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / PARAMS_FILE).unlink(missing_ok=True)  # an interrupted build leaves no valid index
    with (directory / "passages.jsonl").open("w", encoding="utf-8") as handle:
        for passage in passages:
            handle.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
    _write_json(directory / "tokenizer.json", tokenizer.config())
    _write_json(directory / "vocabulary.json", sorted(vocabulary, key=vocabulary.get))
    for name, matrix in matrices.items():
        for part in ("data", "indices", "indptr"):
            np.save(directory / f"{name}_{part}.npy", getattr(matrix, part))
    for name, array in arrays.items():
        np.save(directory / f"{name}.npy", array)
    _write_json(directory / PARAMS_FILE, params)


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=isinstance(data, dict)), encoding="utf-8")


def load_index(settings: KnowledgeSettings, check_current: bool = True) -> Index:
    """The saved index; IndexMissingError if it is missing, damaged or built from something else."""
    directory = settings.index_dir
    if not (directory / PARAMS_FILE).exists():
        raise IndexMissingError(f"det finns inget index i {directory}")
    try:
        params = json.loads((directory / PARAMS_FILE).read_text(encoding="utf-8"))
        passages = [Passage.from_dict(json.loads(line)) for line in (directory / "passages.jsonl").read_text(encoding="utf-8").splitlines()]
        tokenizer = Tokenizer.from_config(json.loads((directory / "tokenizer.json").read_text(encoding="utf-8")))
        terms = json.loads((directory / "vocabulary.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(directory / f"{name}.npy", allow_pickle=False) for name in _ARRAYS}
        shape = (len(terms), len(passages))
        weights, heading_weights = (
            sparse.csr_matrix((arrays[f"{m}_data"], arrays[f"{m}_indices"], arrays[f"{m}_indptr"]), shape=shape) for m in ("bm25", "bm25_heading")
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexMissingError(f"indexet i {directory} är skadat ({type(error).__name__}: {error})") from error
    if (
        params.get("version") != INDEX_VERSION
        or any(arrays[name].shape[0] != len(passages) for name in ("embeddings", "heading_embeddings", "title_embeddings"))
        or params.get("passages") != len(passages)
        or not _starts_fit(arrays["sentence_starts"], arrays["sentence_embeddings"].shape[0], len(passages))
        or not _starts_fit(arrays["window_starts"], arrays["window_embeddings"].shape[0], len(passages))
    ):
        raise IndexMissingError(f"indexet i {directory} är skadat eller av en annan version")
    if check_current:
        expected = expected_fingerprints(settings)
        stale = [name for name, value in expected.items() if params.get(name) != value]
        if stale:
            what = {"corpus_hash": "andra dokument", "code_hash": "en annan version av sökkoden", "model_hash": "en annan modell"}
            raise IndexMissingError("indexet är byggt för " + " och ".join(what[name] for name in stale))
    return Index(
        passages, tokenizer, {t: i for i, t in enumerate(terms)}, weights, heading_weights,
        arrays["embeddings"], arrays["sentence_embeddings"], arrays["sentence_starts"],
        arrays["window_embeddings"], arrays["window_starts"], arrays["heading_embeddings"], arrays["title_embeddings"], params,
    )
