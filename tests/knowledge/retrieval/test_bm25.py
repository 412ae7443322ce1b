"""BM25 against numbers worked out by hand (k1 = 1.2, b = 0.75, Lucene's idf)."""
import math

import pytest

from knowledge.retrieval import bm25

DOCS = [["a", "b"], ["a", "a", "c"]]


def test_idf_is_lucenes_never_negative_variant():
    assert bm25.idf(2.0, 2) == pytest.approx(math.log(1.2))
    assert bm25.idf(1.0, 2) == pytest.approx(math.log(2))


def test_weights_match_the_hand_computation():
    vocabulary = bm25.vocabulary_of(DOCS)
    weights = bm25.weight_matrix(DOCS, vocabulary).toarray()
    a, b, c = vocabulary["a"], vocabulary["b"], vocabulary["c"]
    # avgdl 2.5; |d1| = 2 -> norm 0.85, |d2| = 3 -> norm 1.15
    assert weights[a, 0] == pytest.approx(math.log(1.2) * 2.2 / (1 + 1.2 * 0.85), rel=1e-6)
    assert weights[a, 1] == pytest.approx(math.log(1.2) * 2 * 2.2 / (2 + 1.2 * 1.15), rel=1e-6)
    assert weights[b, 0] == pytest.approx(math.log(2) * 2.2 / (1 + 1.2 * 0.85), rel=1e-6)
    assert weights[c, 1] == pytest.approx(math.log(2) * 2.2 / (1 + 1.2 * 1.15), rel=1e-6)
    assert weights[b, 1] == 0 and weights[c, 0] == 0


def test_score_sums_the_query_terms_rows():
    vocabulary = bm25.vocabulary_of(DOCS)
    weights = bm25.weight_matrix(DOCS, vocabulary)
    scores = bm25.score(weights, [vocabulary["a"], vocabulary["b"]])
    assert scores[0] == pytest.approx(0.198566 + 0.754913, abs=1e-5)
    assert scores[1] == pytest.approx(0.237347, abs=1e-5)


def test_a_query_without_known_terms_scores_zero():
    weights = bm25.weight_matrix(DOCS, bm25.vocabulary_of(DOCS))
    assert not bm25.score(weights, []).any()
