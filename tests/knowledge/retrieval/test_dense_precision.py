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
    forward = type(model).forward

    def recording_forward(self, features, **kwargs):
        modes.append(torch.is_inference_mode_enabled())
        return forward(self, features, **kwargs)

    # On the class: under autocast the bfloat16 twin runs the forward pass, not the model.
    monkeypatch.setattr(type(model), "forward", recording_forward)
    used = dense.encode(model, texts)
    assert modes and all(modes)
    monkeypatch.setattr(dense, "_inference", lambda m: contextlib.nullcontext())
    modes.clear()
    with_autograd_bookkeeping = dense.encode(model, texts)
    assert modes and not any(modes)
    assert np.allclose(used, with_autograd_bookkeeping, atol=1e-6)


def test_a_stand_in_model_is_encoded_without_torch_inference_mode():
    assert isinstance(dense._inference(BagOfWordsModel()), contextlib.nullcontext)


def _sentence_transformers_encode(model, texts, precision):
    """The vectors sentence-transformers' own `encode` gives, autocast casting the weights."""
    with torch.inference_mode(), precision:
        return np.asarray(model.encode(texts, batch_size=16, normalize_embeddings=True, show_progress_bar=False,
                                       convert_to_numpy=True), dtype=np.float32)


def _questions_and_passages() -> list[str]:
    # Long and short texts together: sorted by length and padded in batches as encode does.
    return [q.text for q in load_questions()][:20] + [p.text for p in load_passages()][:20]


def test_the_bfloat16_twin_gives_the_vectors_autocast_gives_and_the_model_stays_float32(model):
    if not dense._native_bfloat16():
        pytest.skip("bfloat16 is not native on this CPU: encoded in float32, nothing is cast")
    texts = _questions_and_passages()
    weights = {name: p.dtype for name, p in model.named_parameters()}
    autocast = torch.autocast("cpu", dtype=torch.bfloat16)
    assert np.array_equal(dense.encode(model, texts), _sentence_transformers_encode(model, texts, autocast))
    for text in texts[:5]:  # one question at a time, as the retriever asks
        assert np.array_equal(dense.encode(model, [text]), _sentence_transformers_encode(model, [text], autocast))
    assert {name: p.dtype for name, p in model.named_parameters()} == weights
    twin = dense._bfloat16_twin(model)
    assert twin is dense._bfloat16_twin(model), "cast once"
    assert all(layer.weight.dtype == torch.bfloat16 for layer in twin.modules() if isinstance(layer, torch.nn.Linear))
    assert twin[0].auto_model.embeddings.word_embeddings.weight is model[0].auto_model.embeddings.word_embeddings.weight


def test_float32_vectors_are_the_ones_sentence_transformers_encode_gives(model, monkeypatch):
    monkeypatch.setattr(dense, "_native_bfloat16", lambda: False)
    texts = _questions_and_passages()
    assert np.array_equal(dense.encode(model, texts), _sentence_transformers_encode(model, texts, contextlib.nullcontext()))


def test_no_texts_give_what_sentence_transformers_gives(model):
    assert dense.encode(model, []).shape == _sentence_transformers_encode(model, [], contextlib.nullcontext()).shape
