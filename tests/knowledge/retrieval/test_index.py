"""Saving and loading the index: round trip, and clear errors naming the rebuild command."""
import json

import numpy as np
import pytest

from knowledge.retrieval import IndexMissingError
from knowledge.retrieval.index import PARAMS_FILE, _save, load_index
from knowledge.retrieval.search import Retriever
from knowledge.settings import KnowledgeSettings
from tests.knowledge.retrieval.tiny import BagOfWordsModel, tiny_index


@pytest.fixture()
def saved(tmp_path):
    index = tiny_index()
    params = {**index.params, "corpus_hash": "c", "code_hash": "k", "model_hash": "m"}
    matrices = {"bm25": index.weights, "bm25_heading": index.heading_weights}
    arrays = {
        "embeddings": index.embeddings, "sentence_embeddings": index.sentence_embeddings, "sentence_starts": index.sentence_starts,
        "window_embeddings": index.window_embeddings, "window_starts": index.window_starts,
        "heading_embeddings": index.heading_embeddings, "title_embeddings": index.title_embeddings,
    }
    _save(tmp_path, index.passages, index.tokenizer, index.vocabulary, matrices, arrays, params)
    (tmp_path / "config.json").write_text("{}")  # stands in for a model directory
    return KnowledgeSettings(index_dir=tmp_path, embedding_model=tmp_path), index


def test_an_index_loads_back_the_same(saved):
    settings, original = saved
    loaded = load_index(settings, check_current=False)
    assert loaded.passages == original.passages
    assert loaded.vocabulary == original.vocabulary
    assert (loaded.weights != original.weights).nnz == 0
    assert np.array_equal(loaded.embeddings, original.embeddings)
    assert np.array_equal(loaded.sentence_embeddings, original.sentence_embeddings)
    assert np.array_equal(loaded.sentence_starts, original.sentence_starts)
    assert np.array_equal(loaded.window_embeddings, original.window_embeddings)
    assert np.array_equal(loaded.window_starts, original.window_starts)
    assert np.array_equal(loaded.heading_embeddings, original.heading_embeddings)
    assert np.array_equal(loaded.title_embeddings, original.title_embeddings)
    query = "FK samordnad rehab 4:2"
    before = Retriever(original, BagOfWordsModel(), 200).search(query, k=4)
    after = Retriever(loaded, BagOfWordsModel(), 200).search(query, k=4)
    assert [h.passage.id for h in before] == [h.passage.id for h in after]


def test_the_saved_files_are_inspectable_without_pickle(saved):
    settings, _ = saved
    names = {p.name for p in settings.index_dir.iterdir()}
    assert {"passages.jsonl", "vocabulary.json", "tokenizer.json", PARAMS_FILE, "embeddings.npy"} <= names
    assert not any(name.endswith((".pkl", ".pickle")) for name in names)
    assert json.loads((settings.index_dir / "passages.jsonl").read_text().splitlines()[0])["id"] == "002-4.2.3-1"


def test_a_missing_index_names_the_rebuild_command(tmp_path):
    with pytest.raises(IndexMissingError, match="python -m knowledge build-index"):
        load_index(KnowledgeSettings(index_dir=tmp_path / "none"))


def test_a_corrupt_index_names_the_rebuild_command(saved):
    settings, _ = saved
    (settings.index_dir / "embeddings.npy").write_bytes(b"not an array")
    with pytest.raises(IndexMissingError, match="skadat.*python -m knowledge build-index"):
        load_index(settings, check_current=False)


def test_sentence_starts_that_do_not_fit_the_sentences_are_refused(saved):
    settings, original = saved
    np.save(settings.index_dir / "sentence_starts.npy", original.sentence_starts[:-1])
    with pytest.raises(IndexMissingError, match="skadat"):
        load_index(settings, check_current=False)


def test_window_starts_that_do_not_fit_the_windows_are_refused(saved):
    settings, original = saved
    np.save(settings.index_dir / "window_starts.npy", original.window_starts + len(original.window_embeddings))
    with pytest.raises(IndexMissingError, match="skadat"):
        load_index(settings, check_current=False)


def test_an_index_of_an_older_version_is_refused(saved):
    settings, _ = saved
    params = json.loads((settings.index_dir / PARAMS_FILE).read_text())
    (settings.index_dir / PARAMS_FILE).write_text(json.dumps({**params, "version": params["version"] - 1}))
    with pytest.raises(IndexMissingError, match="annan version"):
        load_index(settings, check_current=False)


def test_an_index_of_other_documents_or_model_is_refused(saved):
    settings, _ = saved
    with pytest.raises(IndexMissingError, match="andra dokument.*en annan modell"):
        load_index(settings)


def test_a_configured_model_that_is_not_there_is_reported_with_the_command_that_builds_it(tmp_path):
    from knowledge.retrieval import load_retriever

    settings = KnowledgeSettings(index_dir=tmp_path, embedding_model=tmp_path / "no-model")
    with pytest.raises(IndexMissingError, match="python -m knowledge adapt-model"):
        load_retriever(settings)
