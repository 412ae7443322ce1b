"""Adapting the English MiniLM to this corpus: contrastive fine-tuning on (question, passage)
pairs made from the corpus itself, never from the labelled evaluation questions.

Pairs per passage: its headings (as a handläggare would name the topic); sentences of it
(the inverse cloze task of Lee, Chang & Toutanova 2019, "Latent Retrieval for Weakly Supervised
Open Domain Question Answering"); its most distinctive words as a keyword query; and copies of
these typed the way people type: with one letter dropped, with abbreviations
("Försäkringskassan" -> "FK", "4 kap. 2 §" -> "4:2"), without å/ä/ö. The last is for nothing the
model reads (its tokenizer strips accents), so a copy that differs only by it is dropped.
Loss: MultipleNegativesRankingLoss (Henderson et al. 2017, "Efficient Natural Language Response
Suggestion for Smart Reply"): the other passages of a batch are the negatives.

Deterministic on CPU: fixed seeds, fixed thread count, deterministic torch algorithms.
"""
import hashlib
import json
import math
import random
import re
import time
from collections import Counter
from pathlib import Path

from knowledge.corpus.passage import Passage
from knowledge.ingest.swedish import fold, stop_words
from knowledge.retrieval.dense import load_model, model_fingerprint
from knowledge.retrieval.index import passage_document
from knowledge.settings import REPO_DIR

ADAPTED_MODEL_DIR = REPO_DIR / ".cache" / "models" / "minilm-insatslotsen"
SEED = 20231001
EPOCHS = 1
BATCH_SIZE = 32
LEARNING_RATE = 5e-5
MAX_SEQ_LENGTH = 128  # while training only: halves the time; the index still embeds 256 tokens
FROZEN_LAYERS = 3  # the embeddings and the first transformer layers keep their weights
THREADS = 2
# Written forms handläggare shorten, and the short form they type.
_SHORT_FORMS = {
    "Försäkringskassan": "FK",
    "Arbetsförmedlingen": "AF",
    "socialtjänstlagen": "SoL",
    "samordnad individuell plan": "SIP",
    "4 kap. 2 §": "4:2",
    "4 kap. 1 §": "4:1",
    "ekonomiskt bistånd": "ekb",
    "rehabilitering": "rehab",
}
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_RE.split(" ".join(text.split())) if 6 <= len(s.split()) <= 40]


def _keywords(passage: Passage, document_frequency: Counter, n_passages: int, rng: random.Random) -> str:
    words = [w for w in re.findall(r"[^\W\d_]{4,}", passage.text) if fold(w) not in _STOP]
    counts = Counter(w.lower() for w in words)
    ranked = sorted(counts, key=lambda w: -counts[w] * math.log(n_passages / (1 + document_frequency[w])))
    picked = ranked[:6]
    rng.shuffle(picked)
    return " ".join(picked[: rng.randint(2, 4)])


def _typed(query: str, rng: random.Random) -> str:
    """The query as someone in a hurry types it."""
    for long, short in _SHORT_FORMS.items():
        if long in query and rng.random() < 0.7:
            query = query.replace(long, short)
    if rng.random() < 0.5:
        query = fold(query)
    words = query.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 7]
    if long_words and rng.random() < 0.3:
        i = rng.choice(long_words)
        j = rng.randrange(1, len(words[i]) - 1)
        words[i] = words[i][:j] + words[i][j + 1 :]
    return " ".join(words)


_STOP = frozenset(fold(w) for w in stop_words())


def training_pairs(passages: list[Passage], seed: int = SEED) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    document_frequency = Counter(w for p in passages for w in {x.lower() for x in re.findall(r"[^\W\d_]{4,}", p.text)})
    pairs: list[tuple[str, str]] = []
    for passage in passages:
        target = passage_document(passage)
        queries = [passage.title] + passage.heading_path[-1:]
        sentences = _sentences(passage.text)
        queries += rng.sample(sentences, min(3, len(sentences)))
        queries += [_keywords(passage, document_frequency, len(passages), rng) for _ in range(2)]
        queries += [_typed(q, rng) for q in list(queries)]
        pairs += [(q, target) for q in dict.fromkeys(queries) if q.strip()]
    rng.shuffle(pairs)
    # MiniLM's tokenizer lower-cases and strips accents, so a copy that differs from its original
    # only by å/ä/ö is the same pair to the model: a fifth of the steps taught nothing twice
    # (1 505 -> 1 194 pairs; docs/retrieval.md has the numbers). The first of them is kept.
    read_alike: dict[tuple[str, str], tuple[str, str]] = {}
    for query, target in pairs:
        read_alike.setdefault((fold(query), target), (query, target))
    return list(read_alike.values())


def _freeze_lower_layers(model, n_layers: int) -> None:
    transformer = model[0].auto_model
    for parameter in transformer.embeddings.parameters():
        parameter.requires_grad = False
    for layer in transformer.encoder.layer[:n_layers]:
        for parameter in layer.parameters():
            parameter.requires_grad = False


def pairs_fingerprint(pairs: list[tuple[str, str]]) -> str:
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()[:16]


def is_adapted(base_model_dir: Path, passages: list[Passage], out_dir: Path = ADAPTED_MODEL_DIR) -> bool:
    """Whether out_dir holds the model this base model and corpus would train (same inputs, same settings)."""
    manifest_path = out_dir / "adaptation.json"
    if not manifest_path.exists():
        return False
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    expected = _settings(base_model_dir, training_pairs(passages), EPOCHS)
    return all(manifest.get(key) == value for key, value in expected.items())


def _settings(base_model_dir: Path, pairs: list[tuple[str, str]], epochs: int) -> dict:
    return {
        "base_model_hash": model_fingerprint(base_model_dir),
        "pairs": len(pairs),
        "pairs_hash": pairs_fingerprint(pairs),
        "epochs": epochs,
        "batch_size": BATCH_SIZE,
        "learning_rate": LEARNING_RATE,
        "max_seq_length": MAX_SEQ_LENGTH,
        "frozen_layers": FROZEN_LAYERS,
        "seed": SEED,
    }


def adapt(base_model_dir: Path, passages: list[Passage], out_dir: Path = ADAPTED_MODEL_DIR, epochs: int = EPOCHS) -> dict:
    """Fine-tune a copy of the base model and save it to out_dir; returns the run's manifest."""
    import numpy as np
    import torch
    from sentence_transformers.losses import MultipleNegativesRankingLoss

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    started = time.perf_counter()
    model = load_model.__wrapped__(str(base_model_dir))  # a fresh copy, not the cached one
    base_max_seq_length = model.max_seq_length
    model.max_seq_length = MAX_SEQ_LENGTH
    _freeze_lower_layers(model, FROZEN_LAYERS)
    loss = MultipleNegativesRankingLoss(model)
    pairs = training_pairs(passages)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=LEARNING_RATE)
    batches = [pairs[i : i + BATCH_SIZE] for i in range(0, len(pairs), BATCH_SIZE)]
    model.train()
    for _ in range(epochs):
        for batch in batches:
            # Several questions of one passage in a batch would be false negatives: keep one each.
            batch = list({target: (q, target) for q, target in batch}.values())
            features = [model.tokenize([q for q, _ in batch]), model.tokenize([t for _, t in batch])]
            optimizer.zero_grad()
            loss(features, labels=None).backward()
            optimizer.step()
    model.eval()
    model.max_seq_length = base_max_seq_length
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir))
    manifest = {"base_model": str(base_model_dir), **_settings(base_model_dir, pairs, epochs)}
    (out_dir / "adaptation.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return {**manifest, "model_hash": model_fingerprint(out_dir), "seconds": round(time.perf_counter() - started, 1)}
