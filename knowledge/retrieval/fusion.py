"""Combining the BM25 and the dense ranking into one, chosen by name.

- rrf: reciprocal rank fusion, Σ 1/(k + rank) (Cormack, Clarke & Büttcher 2009, "Reciprocal Rank
  Fusion outperforms Condorcet and individual Rank Learning Methods"), k = 60 as there;
- convex: a weighted sum of the two score lists after min-max normalisation (Bruch, Gai &
  Ingber 2023, "An Analysis of Fusion Functions for Hybrid Retrieval", §4).
A small bonus for the governing document is added by the caller (search.py). Both are features of
the learned ranking (knowledge/retrieval/ranker.py), which replaces them as search's default.
"""
from collections.abc import Callable

import numpy as np

RRF_K = 60


def rrf(lexical: np.ndarray, dense: np.ndarray, k: int = RRF_K, **_: float) -> np.ndarray:
    """Only passages a ranking actually scored (score > 0) get its 1/(k + rank)."""
    fused = np.zeros(len(lexical), dtype=np.float64)
    for scores in (lexical, dense):
        ranks = np.empty(len(scores), dtype=np.float64)
        ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
        fused += np.where(scores > 0, 1.0 / (k + ranks), 0.0)
    return fused


def min_max(scores: np.ndarray) -> np.ndarray:
    spread = float(scores.max() - scores.min()) if len(scores) else 0.0
    return (scores - scores.min()) / spread if spread > 0 else np.zeros_like(scores, dtype=np.float64)


def convex(lexical: np.ndarray, dense: np.ndarray, alpha: float = 0.5, **_: float) -> np.ndarray:
    """alpha weighs the lexical side."""
    return alpha * min_max(lexical) + (1 - alpha) * min_max(dense)


FUSIONS: dict[str, Callable[..., np.ndarray]] = {"rrf": rrf, "convex": convex}


def fusion(name: str) -> Callable[..., np.ndarray]:
    try:
        return FUSIONS[name]
    except KeyError:
        raise ValueError(f"unknown fusion {name!r}; valid: {', '.join(sorted(FUSIONS))}") from None
