"""The learned ranking: its weights are data fitted on tune halves only, they name what search
computes, a bad weights file fails loudly, and fitting is deterministic."""
import json

import numpy as np
import pytest

from knowledge.retrieval.evaluate import RANKER_TRAINING_FILES, load_questions
from knowledge.retrieval.ranker import WEIGHTS_FILE, Ranker, fit, load_ranker
from knowledge.retrieval.search import FEATURES


def _questions(seed: int = 7, n: int = 30, passages: int = 12) -> list[tuple[np.ndarray, np.ndarray]]:
    """Questions whose labelled passage scores high on feature 0 and at random on feature 1."""
    rng = np.random.default_rng(seed)
    questions = []
    for _ in range(n):
        features = rng.random((passages, 2))
        labelled = np.zeros(passages, dtype=bool)
        labelled[rng.integers(passages)] = True
        features[labelled, 0] += 1.0
        questions.append((features, labelled))
    return questions


def test_the_weights_file_names_every_feature_search_computes():
    ranker = load_ranker(FEATURES)
    assert set(FEATURES) <= set(ranker.features)
    assert ranker.weights.shape == (len(ranker.features),) and np.isfinite(ranker.weights).all()


def test_the_weights_were_fitted_on_the_tune_halves_only():
    fitted_on = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))["fitted_on"]
    assert fitted_on["split"] == "tune"
    assert fitted_on["questions"] == {path.name: len(load_questions(path, split="tune")) for path in RANKER_TRAINING_FILES}


def test_an_unknown_feature_in_the_weights_file_fails_loudly(tmp_path):
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"features": ["bm25", "magic"], "weights": {"bm25": 1.0, "magic": 2.0}}), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown ranking features magic"):
        load_ranker(FEATURES, path)


def test_a_feature_of_a_document_the_index_lacks_scores_nothing():
    ranker = Ranker(("bm25", "document:999_missing.txt"), np.array([1.0, 5.0]))
    assert ranker.score({"bm25": np.array([0.0, 1.0, 0.5])}, 3).tolist() == [0.0, 1.0, 0.5]


def test_fitting_is_deterministic_and_learns_which_feature_marks_the_answer():
    first, second = fit(_questions()), fit(_questions())
    assert np.array_equal(first, second)
    assert first[0] > 0 and abs(first[1]) < first[0] / 4
    held_out = _questions(seed=8)
    assert sum(labelled[np.argmax(features @ first)] for features, labelled in held_out) >= 0.9 * len(held_out)


def test_a_question_without_a_labelled_passage_is_refused():
    features, labelled = _questions(n=1)[0]
    with pytest.raises(ValueError, match="labelled passage"):
        fit([(features, np.zeros_like(labelled))])
