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


# model -> its twin with bfloat16 linear layers (see _bfloat16_twin).
_bfloat16_twins: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _bfloat16_twin(model):
    """The model with its linear layers' weights and biases in bfloat16, for encoding under
    autocast. Autocast casts each float32 weight again on every forward pass (its cast cache lives
    only as long as the autocast block): 10.6 million values per question for this MiniLM, a third
    of a question's embedding. Cast once here, they are the very values autocast would make, so the
    embeddings are bit for bit the same (tests/knowledge/retrieval/test_dense_precision.py). The
    twin shares every other parameter, buffer and the tokenizer with the model, which itself stays
    float32 for encoding without autocast; swapping the weights into the model and out again on
    each encode cost about 0.2 ms a question. The cast is of the weights at the model's first
    encode here: nothing trains a model after encoding with it (adapt.py trains a fresh copy,
    load_model.__wrapped__)."""
    import copy

    torch = sys.modules["torch"]
    twin = _bfloat16_twins.get(model)
    if twin is None:
        with torch.no_grad():
            shared = {id(tensor): tensor for tensor in (*model.parameters(), *model.buffers())}
            for layer in model.modules():
                if isinstance(layer, torch.nn.Linear):
                    for tensor in (layer.weight, layer.bias):
                        if tensor is not None:
                            shared[id(tensor)] = torch.nn.Parameter(tensor.detach().to(torch.bfloat16), requires_grad=False)
            shared.update({id(module.tokenizer): module.tokenizer for module in model.modules() if hasattr(module, "tokenizer")})
            twin = _bfloat16_twins[model] = copy.deepcopy(model, shared).eval()
    return twin


def _embed(model, runner, texts: list[str], batch_size: int) -> np.ndarray:
    """What `SentenceTransformer.encode(texts, batch_size, normalize_embeddings=True)` computes for
    a model on the CPU without prompts or truncation, the forward passes run by `runner` (the model
    or its bfloat16 twin): the texts sorted longest first and batched as there, so each text is
    padded as there and gets the same vector. Left out is what encode does on every call besides:
    `eval()`, `to(device)` and reading `device` walk every module and parameter (0.8 ms of a
    question's 7.4 ms of CPU here)."""
    torch = sys.modules["torch"]
    if runner.training:
        runner.eval()
    order = np.argsort([-model._text_length(text) for text in texts])
    in_order = [texts[position] for position in order]
    rows: list = []
    for start in range(0, len(in_order), batch_size):
        features = model.tokenize(in_order[start:start + batch_size])
        with torch.no_grad():  # as encode, for a caller outside inference mode
            embeddings = runner.forward(features)["sentence_embedding"].detach()
            rows.extend(torch.nn.functional.normalize(embeddings, p=2, dim=1))
    rows = [rows[position] for position in np.argsort(order)]
    return np.asarray([row.float().numpy() for row in rows], dtype=np.float32)


def _plain_sentence_transformer(model) -> bool:
    """A sentence-transformers model that `_embed` encodes as its own `encode` does."""
    sentence_transformers = sys.modules.get("sentence_transformers")
    return (sentence_transformers is not None and isinstance(model, sentence_transformers.SentenceTransformer)
            and model.device.type == "cpu" and model.default_prompt_name is None and model.truncate_dim is None)


def encode(model, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    texts = list(texts)
    precision = _precision(model)
    with _inference(model), precision:
        if not _plain_sentence_transformer(model):  # a stand-in model
            vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True)
        else:
            torch = sys.modules["torch"]
            runner = _bfloat16_twin(model) if isinstance(precision, torch.autocast) else model
            vectors = _embed(model, runner, texts, batch_size)
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
