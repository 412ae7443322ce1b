"""The real index and embedding model on the labelled questions: the targets hold.

Uses the current index (make index) or builds one in a temporary directory (about 40 s).
"""
import pytest

from knowledge.retrieval import load_retriever
from knowledge.retrieval.evaluate import evaluate_modes, load_questions
from knowledge.retrieval.index import build_index, is_current
from knowledge.settings import KnowledgeSettings


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    settings = KnowledgeSettings()
    if not is_current(settings):
        settings = KnowledgeSettings(index_dir=tmp_path_factory.mktemp("index"), embedding_model=settings.embedding_model)
        build_index(settings)
    return load_retriever(settings)


@pytest.mark.slow
def test_hybrid_meets_the_targets_and_beats_bm25_and_dense_alone(retriever):
    results = evaluate_modes(retriever, load_questions())
    bm25, dense, hybrid = (results[name] for name in ("bm25", "dense", "hybrid"))
    assert hybrid["recall@5"] >= 0.95 and hybrid["mrr@10"] >= 0.80
    assert hybrid["mrr@10"] > bm25["mrr@10"] and hybrid["mrr@10"] > dense["mrr@10"]
    assert hybrid["recall@5"] >= bm25["recall@5"] and hybrid["recall@5"] > dense["recall@5"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("handläggning och kriterier 4 kap 2", "4.2.3"),
        ("Younes", "CASEBESKRIVNINGAR"),
        ("hur ansoker man om samordnad rehabilitering hos FK", "5.2.2"),
        ("Kompetensverkstan", "UTVECKLA DET UPPSOKANDE ARBETET MOT UVAS GENOM SAMVERKAN"),
    ],
)
def test_key_questions_find_their_section_in_the_top_three(retriever, query, section):
    assert section in [hit.passage.section for hit in retriever.search(query, k=3)]
