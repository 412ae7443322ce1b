"""Okapi BM25 as small pure functions over a sparse term-by-passage matrix.

Score of passage d for query q (Robertson & Zaragoza 2009, "The Probabilistic Relevance
Framework: BM25 and Beyond", eq. 3.15; idf with +1 inside the log as in Lucene, so it is never
negative):

    score(q, d) = Σ_{t ∈ q} idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))
    idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))

The per-term weights are computed once when the index is built (they do not depend on the
query), so a search is one sparse row sum.
"""
from collections.abc import Sequence

import numpy as np
from scipy import sparse

K1 = 1.2
B = 0.75


def idf(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    return np.log1p((n_documents - document_frequency + 0.5) / (document_frequency + 0.5))


def term_weights(tf: np.ndarray, doc_length: np.ndarray, avgdl: float, term_idf: np.ndarray, k1: float = K1, b: float = B) -> np.ndarray:
    """BM25 weight of each (term, document) pair; arrays aligned element by element."""
    return term_idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_length / avgdl))


def vocabulary_of(documents: Sequence[Sequence[str]]) -> dict[str, int]:
    return {term: i for i, term in enumerate(sorted({t for doc in documents for t in doc}))}


def weight_matrix(documents: Sequence[Sequence[str]], vocabulary: dict[str, int], k1: float = K1, b: float = B) -> sparse.csr_matrix:
    """Terms × documents matrix of BM25 weights (CSR, one row per term)."""
    rows, cols, counts = [], [], []
    for d, doc in enumerate(documents):
        for term, count in zip(*np.unique([vocabulary[t] for t in doc], return_counts=True)) if doc else ():
            rows.append(term)
            cols.append(d)
            counts.append(count)
    tf = sparse.csr_matrix((np.array(counts, dtype=np.float64), (rows, cols)), shape=(len(vocabulary), len(documents)))
    doc_length = np.array([len(doc) for doc in documents], dtype=np.float64)
    avgdl = float(doc_length.mean()) if len(documents) else 1.0
    df = np.diff(tf.indptr).astype(np.float64)
    coo = tf.tocoo()
    data = term_weights(coo.data, doc_length[coo.col], avgdl, idf(df, len(documents))[coo.row], k1, b)
    return sparse.csr_matrix((data.astype(np.float32), (coo.row, coo.col)), shape=tf.shape)


def score(weights: sparse.csr_matrix, query_terms: Sequence[int]) -> np.ndarray:
    """BM25 score of every document; a term repeated in the query counts again."""
    if not query_terms:
        return np.zeros(weights.shape[1], dtype=np.float32)
    return np.asarray(weights[list(query_terms)].sum(axis=0)).ravel()
