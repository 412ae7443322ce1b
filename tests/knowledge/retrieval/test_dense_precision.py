"""Embeddings in bfloat16 where the CPU computes it natively: the same meaning at less CPU.

Uses the configured embedding model (the adapted MiniLM when `make index` has run).
"""
import contextlib

import numpy as np
import pytest

from knowledge.corpus import load_passages
from knowledge.retrieval import dense
from knowledge.retrieval.evaluate import load_questions
from knowledge.settings import KnowledgeSettings
from tests.knowledge.retrieval.tiny import BagOfWordsModel

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def model():
    return dense.load_model(str(KnowledgeSettings().model_dir()))


def test_a_stand_in_model_is_encoded_without_torch_precision():
    assert isinstance(dense._precision(BagOfWordsModel()), contextlib.nullcontext)


def test_bfloat16_is_used_only_where_the_cpu_has_it(model, monkeypatch):
    monkeypatch.setattr(dense, "_native_bfloat16", lambda: False)
    assert isinstance(dense._precision(model), contextlib.nullcontext)
    monkeypatch.setattr(dense, "_native_bfloat16", lambda: True)
    assert isinstance(dense._precision(model), torch.autocast)


@pytest.mark.slow
def test_questions_and_passages_keep_their_float32_meaning(model, monkeypatch):
    texts = [q.text for q in load_questions()][:40] + [p.text for p in load_passages()][:20]
    used = dense.encode(model, texts)
    monkeypatch.setattr(dense, "_native_bfloat16", lambda: False)
    float32 = dense.encode(model, texts)
    assert used.dtype == np.float32
    assert np.allclose(np.linalg.norm(used, axis=1), 1.0, atol=1e-5)
    assert float((used * float32).sum(axis=1).min()) >= 0.9995


def test_embeddings_are_computed_in_inference_mode_with_the_vectors_autograd_would_give(model, monkeypatch):
    texts = [q.text for q in load_questions()][:8]
    modes = []
    forward = model.forward

    def recording_forward(features, **kwargs):
        modes.append(torch.is_inference_mode_enabled())
        return forward(features, **kwargs)

    monkeypatch.setattr(model, "forward", recording_forward)
    used = dense.encode(model, texts)
    assert modes and all(modes)
    monkeypatch.setattr(dense, "_inference", lambda m: contextlib.nullcontext())
    modes.clear()
    with_autograd_bookkeeping = dense.encode(model, texts)
    assert modes and not any(modes)
    assert np.allclose(used, with_autograd_bookkeeping, atol=1e-6)


def test_a_stand_in_model_is_encoded_without_torch_inference_mode():
    assert isinstance(dense._inference(BagOfWordsModel()), contextlib.nullcontext)


def test_linear_weights_cast_once_give_the_embeddings_autocast_gives_and_are_put_back(model, monkeypatch):
    if not dense._native_bfloat16():
        pytest.skip("bfloat16 is not native on this CPU: encoded in float32, nothing is cast")
    texts = [q.text for q in load_questions()][:8]
    weights = {name: p.dtype for name, p in model.named_parameters()}
    used = dense.encode(model, texts)
    assert {name: p.dtype for name, p in model.named_parameters()} == weights
    monkeypatch.setattr(dense, "_linear_weights_cast_once", lambda m: contextlib.nullcontext())
    cast_by_autocast = dense.encode(model, texts)
    assert np.array_equal(used, cast_by_autocast)
