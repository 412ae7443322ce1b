"""Sentence embeddings with a local sentence-transformers model (no downloads, CPU)."""
import contextlib
import hashlib
import json
import sys
import weakref
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


# model -> its linear layers with their float32 and bfloat16 weights and biases.
_bfloat16_linears: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@contextlib.contextmanager
def _linear_weights_cast_once(model):
    """The linear layers' weights and biases in bfloat16 while the model encodes under autocast.
    Autocast casts each float32 weight again on every forward pass (its cast cache lives only as
    long as the autocast block): 10.6 million values per question for this MiniLM, a third of a
    question's embedding. Cast once here, they are the very values autocast would make, so the
    embeddings are bit for bit the same (tests/knowledge/retrieval/test_dense_precision.py);
    the float32 weights are put back afterwards, for encoding without autocast. The cast is of
    the weights at the model's first encode here: nothing trains a model after encoding with it
    (adapt.py trains a fresh copy, load_model.__wrapped__)."""
    torch = sys.modules["torch"]
    linears = _bfloat16_linears.get(model)
    if linears is None:
        with torch.no_grad():
            linears = [
                (layer, layer.weight, layer.bias,
                 torch.nn.Parameter(layer.weight.detach().to(torch.bfloat16), requires_grad=False),
                 None if layer.bias is None else torch.nn.Parameter(layer.bias.detach().to(torch.bfloat16), requires_grad=False))
                for layer in model.modules()
                if isinstance(layer, torch.nn.Linear)
            ]
        _bfloat16_linears[model] = linears
    for layer, _, _, weight, bias in linears:
        layer.weight, layer.bias = weight, bias
    try:
        yield
    finally:
        for layer, weight, bias, _, _ in linears:
            layer.weight, layer.bias = weight, bias


def encode(model, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    precision = _precision(model)
    torch = sys.modules.get("torch")  # a stand-in model needs no torch
    autocast = torch is not None and isinstance(precision, torch.autocast)
    cast = _linear_weights_cast_once(model) if autocast else contextlib.nullcontext()
    with _inference(model), precision, cast:
        vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float32)


def model_fingerprint(model_dir: Path) -> str:
    """A hash of every file of the model directory, so an index knows which model made it.

    The paths inside the model's JSON files are left out: transformers writes the base
    model's path into config.json ("_name_or_path") and adapt.py into adaptation.json
    ("base_model"), so the same weights built in two checkouts would otherwise get two hashes and
    every index would be rebuilt for nothing. The base model's content hash stays in the manifest."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(model_dir).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(model_dir)).encode())
        if path.suffix == ".json" and path.stat().st_size <= _SMALL_JSON:
            digest.update(_without_paths(path.read_bytes()))
            continue
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:16]


# The keys under which a model's JSON files name a directory on the machine that built it. They
# sit in the small configuration files; tokenizer.json (700 kB, no paths) is hashed as bytes, as
# parsing it took the fingerprint from about 65 to 140 ms at every index load.
_PATH_KEYS = ("_name_or_path", "name_or_path", "base_model")
_SMALL_JSON = 64 * 1024


def _without_paths(raw: bytes) -> bytes:
    try:
        data = json.loads(raw)
    except ValueError:  # not JSON after all: hash it as it is
        return raw
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key not in _PATH_KEYS}
    return json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
