"""Sentence embeddings with a local sentence-transformers model (no downloads, CPU)."""
import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from knowledge.offline import apply_offline_environment


@lru_cache(maxsize=4)
def load_model(model_dir: str):
    # Without USE_TF=0, transformers imports TensorFlow; without the offline flags it may try the hub.
    apply_offline_environment()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(model_dir, device="cpu")


def encode(model, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float32)


def model_fingerprint(model_dir: Path) -> str:
    """A hash of every file of the model directory, so an index knows which model made it."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(model_dir).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(model_dir)).encode())
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:16]
