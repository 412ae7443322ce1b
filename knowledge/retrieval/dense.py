"""Sentence embeddings with a local sentence-transformers model (no downloads, CPU)."""
import contextlib
import hashlib
import sys
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


@lru_cache(maxsize=1)
def _native_bfloat16() -> bool:
    return bool(sys.modules["torch"].ops.mkldnn._is_mkldnn_bf16_supported())


def _precision(model):
    """bfloat16 matrix products where the CPU has them (AVX512-BF16, AMX): a question's embedding
    then costs about a third less CPU - most of a guideline answer's - and lies within cosine
    0.9995 of the float32 one (tests/knowledge/retrieval/test_dense_precision.py). Elsewhere
    bfloat16 is emulated and slower, so float32 stays."""
    torch = sys.modules.get("torch")  # a stand-in model needs no torch
    if torch is None or not isinstance(model, torch.nn.Module) or not _native_bfloat16():
        return contextlib.nullcontext()
    return torch.autocast("cpu", dtype=torch.bfloat16)


def _inference(model):
    """No autograd bookkeeping at all: sentence-transformers encodes under `no_grad`, which still
    counts tensor versions and views; a question's embedding costs about 30 % less CPU in
    inference mode (same vectors, tests/knowledge/retrieval/test_dense_precision.py)."""
    torch = sys.modules.get("torch")
    if torch is None or not isinstance(model, torch.nn.Module):
        return contextlib.nullcontext()
    return torch.inference_mode()


def encode(model, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    with _inference(model), _precision(model):
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
