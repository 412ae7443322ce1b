"""The learned ranking: a linear score over named per-passage features (search.py's
`Retriever.features`), with weights fitted on the tune halves of the labelled guideline question
sets (evaluate.RANKER_TRAINING_FILES) and kept as data in ranker_weights.json (`python -m
knowledge fit-ranker` refits them).

Why fitted: the convex fusion's hand-set weights stood at a plateau (some fifteen variants moved
at most a question or two, docs/retrieval.md), and each tune half wanted other weights. Fitted on
all three tune halves at once, with the components kept apart instead of pre-summed, the ranking
carries to the held-out halves (docs/retrieval.md, 2026-12-03).

The fit: per question, a softmax over every passage's score; the loss is minus the log of the
probability the softmax puts on the question's labelled passages (the top-one listwise loss of Cao
et al. 2007, "Learning to Rank: From Pairwise Approach to Listwise Approach", summed over several
right answers), averaged over the questions, plus L2 · |w|². L-BFGS from zero weights: the same
features give the same weights.
"""
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("ranker_weights.json")
# Chosen by leave-one-set-out over the three tune halves among 0.0001–0.03 (docs/retrieval.md).
L2 = 0.003
# A feature per document ("document:002_….txt", 1 for its passages) may name a document the index
# does not hold: its column is all zeros there, which is what it would be.
DOCUMENT_FEATURE = "document:"


@dataclass(frozen=True)
class Ranker:
    features: tuple[str, ...]
    weights: np.ndarray

    def score(self, columns: dict[str, np.ndarray], n_passages: int) -> np.ndarray:
        return self.matrix(columns, n_passages) @ self.weights

    def matrix(self, columns: dict[str, np.ndarray], n_passages: int) -> np.ndarray:
        return feature_matrix(columns, self.features, n_passages)


def feature_matrix(columns: dict[str, np.ndarray], names: Sequence[str], n_passages: int) -> np.ndarray:
    """Passages × the named features, in that order; a feature the columns lack is zero."""
    zeros = np.zeros(n_passages)
    return np.stack([columns.get(name, zeros) for name in names], axis=1)


def check_features(names: Sequence[str], known: Sequence[str], source: str) -> None:
    unknown = [n for n in names if n not in known and not n.startswith(DOCUMENT_FEATURE)]
    if unknown:
        raise ValueError(f"{source}: unknown ranking features {', '.join(unknown)}; known: {', '.join(known)}")


def load_ranker(known: Sequence[str], path: Path = WEIGHTS_FILE) -> Ranker:
    """The fitted ranker; ValueError if the file names a feature search does not compute."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    names = tuple(data["features"])
    check_features(names, known, Path(path).name)
    weights = np.array([data["weights"][name] for name in names], dtype=np.float64)
    return Ranker(names, weights)


def loss(weights: np.ndarray, questions: list[tuple[np.ndarray, np.ndarray]], l2: float) -> tuple[float, np.ndarray]:
    """The mean listwise loss over (features, labelled) pairs and its gradient."""
    total, gradient = 0.0, np.zeros_like(weights)
    for features, labelled in questions:
        scores = features @ weights
        exp = np.exp(scores - scores.max())
        right = exp * labelled
        total -= np.log(right.sum() / exp.sum())
        gradient += features.T @ (exp / exp.sum() - right / right.sum())
    n = len(questions)
    return total / n + l2 * weights @ weights, gradient / n + 2 * l2 * weights


def fitted_weights(retriever, question_files: Sequence[Path], split: str = "tune", l2: float = L2) -> dict:
    """ranker_weights.json's content: the weights fitted on `split` of each file, and what they were fitted on."""
    from knowledge.retrieval.evaluate import load_questions

    known = {p.id for p in retriever.passages}
    names = retriever.feature_names
    questions, counts = [], {}
    for path in question_files:
        chosen = load_questions(path, split=split)
        counts[Path(path).name] = len(chosen)
        for question in chosen:
            matrix = feature_matrix(retriever.features(question.text), names, len(retriever.passages))
            questions.append((matrix, np.array([question.answered_by(p, known) for p in retriever.passages])))
    weights = fit(questions, l2)
    return {
        "features": list(names),
        "weights": {name: round(float(w), 6) for name, w in zip(names, weights)},
        "fitted_on": {"split": split, "questions": counts},
        "l2": l2,
        "model_hash": retriever.index.params.get("model_hash"),
        "command": "python -m knowledge fit-ranker",
    }


def fit(questions: list[tuple[np.ndarray, np.ndarray]], l2: float = L2) -> np.ndarray:
    """Weights that minimise `loss`; every question needs at least one labelled passage."""
    from scipy.optimize import minimize

    if not questions or any(not labelled.any() for _, labelled in questions):
        raise ValueError("every question needs a labelled passage among the passages")
    result = minimize(loss, np.zeros(questions[0][0].shape[1]), args=(questions, l2), jac=True, method="L-BFGS-B")
    return result.x
