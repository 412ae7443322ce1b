"""Logistic regression on tf-idf weighted, length-normalised n-gram counts: the intent classifier.

Rasa's LogisticRegressionClassifier fits raw counts (C fixed at 1.0). A long case description
then has tens of times the feature mass of "ja", so the length of a message says more to the
model than its words, and the many character n-grams every message shares ("vad", "att", " ha")
weigh as much as the rare ones that tell intents apart ("krav", "förbehåll", "uppsök"). Here each
featurizer's sentence counts get a sublinear tf-idf weighting and unit length (the idf of
scikit-learn's TfidfTransformer, fitted on the training data), so the word and the character block count
equally and every message has the same length. On the tuning half and on fresh messages written
for this (benchmarks/data/nlu_fresh.yaml) this scored higher than the raw counts
(docs/benchmarks.md). The idf weights and the fitted classifier are saved as plain arrays: Rasa
saves its own with skops, whose import walks every scikit-learn estimator module (5.5 s of CPU on
every start of the Rasa server, a third of its start-up).
"""
from __future__ import annotations

import json
import logging
import math
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, isspmatrix_coo, vstack
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

logger = logging.getLogger(__name__)

_WEIGHTS_FILE = "tfidf.npz"
_ORIGINS_FILE = "origins.json"
_CLASSIFIER_FILE = "classifier.npz"
# What LogisticRegression.predict_proba reads of a fitted model.
_FITTED = ("coef_", "intercept_", "classes_", "n_features_in_", "n_iter_")


def weigh(counts: csr_matrix, idf: np.ndarray, sublinear_tf: bool) -> csr_matrix:
    """tf-idf with unit-length rows, as TfidfTransformer(norm="l2").transform computes it.

    Written out because the transformer's input validation costs more than the arithmetic on a
    one-message matrix, once per featurizer and parse (about 0.2 ms each here); the tests
    compare the two.
    """
    weighted = csr_matrix(counts, dtype=np.float64, copy=True)
    weighted.eliminate_zeros()
    if sublinear_tf:
        np.log(weighted.data, out=weighted.data)
        weighted.data += 1.0
    weighted.data *= idf[weighted.indices]
    return normalize(weighted, norm="l2", copy=False)


def _weigh_counts(columns: np.ndarray, counts: np.ndarray, idf: np.ndarray, sublinear_tf: bool) -> np.ndarray:
    """`weigh` for one message's block given as its non-zero counts in column order, on plain
    arrays: the same operations on the same arrays, so the same numbers to the last bit."""
    weighted = counts.astype(np.float64)
    if sublinear_tf:
        np.log(weighted, out=weighted)
        weighted += 1.0
    weighted *= idf[columns]
    # normalize()'s sum of squares, in the same order (scikit-learn adds them one by one).
    squares = 0.0
    for value in weighted.tolist():
        squares += value * value
    if squares != 0.0:
        weighted /= math.sqrt(squares)
    return weighted


def _sparse_sentence_features(message: Message) -> Dict[Text, Any]:
    """The sparse sentence features of a message's text as the featurizers left them, by origin."""
    return {
        feature.origin: feature.features
        for feature in message.features
        if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE and feature.is_sparse()
    }


def sentence_blocks(message: Message) -> Dict[Text, csr_matrix]:
    """The sparse sentence features of a message's text, one (1, n) matrix per featurizer."""
    return {origin: csr_matrix(features) for origin, features in _sparse_sentence_features(message).items()}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # C: inverse regularisation of the logistic regression; 10 (with unit-length inputs)
        # against Rasa's fixed 1.0 on raw counts. class_weight "balanced" as Rasa's, since the
        # intents range from a few dozen examples (why_ask) to hundreds (inform).
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "max_iter": 1000,
            "C": 10.0,
            "class_weight": "balanced",
            "sublinear_tf": True,
        }

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if float(config["C"]) <= 0:
            raise ValueError(f"C must be positive, not {config['C']}")
        if config["class_weight"] not in ("balanced", None):
            raise ValueError(f"class_weight must be 'balanced' or null, not {config['class_weight']!r}")

    def __init__(
        self, config: Dict[Text, Any], name: Text, model_storage: ModelStorage, resource: Resource
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        self.validate_config(self.config)
        self.clf = LogisticRegression(
            C=float(self.config["C"]),
            class_weight=self.config["class_weight"],
            solver=self.config["solver"],
            max_iter=self.config["max_iter"],
            tol=self.config["tol"],
            random_state=self.config["random_state"],
        )
        # One idf vector per featurizer, in a fixed order: training and parsing must stack the
        # blocks identically.
        self.origins: List[Text] = []
        self.idfs: Dict[Text, np.ndarray] = {}

    def _stack(self, messages: List[Message]) -> Dict[Text, csr_matrix]:
        blocks = [sentence_blocks(m) for m in messages]
        stacked = {}
        for origin in self.origins:
            width = next((b[origin].shape[1] for b in blocks if origin in b), None)
            if width is None:
                raise ValueError(f"no message has sparse sentence features from {origin!r}")
            stacked[origin] = vstack([b.get(origin, csr_matrix((1, width))) for b in blocks]).tocsr()
        return stacked

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        if len(messages) == 1:
            row = self._message_row(messages[0])
            if row is not None:
                return row
        stacked = self._stack(messages)
        sublinear = bool(self.config["sublinear_tf"])
        return hstack([weigh(stacked[o], self.idfs[o], sublinear) for o in self.origins]).tocsr()

    def _message_row(self, message: Message) -> Optional[csr_matrix]:
        """`_create_X([message])` without scipy's stacking and checks, which cost more than the
        arithmetic on one message (1.2 of 1.4 ms a parse): the same entries in the same order,
        so the same probabilities. None where a block is not in the shape the count
        vectorizers and the regex featurizer give it (one row, columns rising, as their
        `tocoo` leaves it); the general path handles that."""
        blocks = _sparse_sentence_features(message)
        sublinear = bool(self.config["sublinear_tf"])
        data, indices, offset = [], [], 0
        for origin in self.origins:
            block = blocks.get(origin)
            if block is None or not isspmatrix_coo(block) or block.shape[0] != 1:
                return None
            columns, counts = block.col, block.data
            if len(columns) > 1 and not (np.diff(columns) > 0).all():
                return None
            kept = counts != 0
            if not kept.all():
                columns, counts = columns[kept], counts[kept]
            data.append(_weigh_counts(columns, counts, self.idfs[origin], sublinear))
            indices.append(columns.astype(np.int64) + offset)
            offset += block.shape[1]
        data, indices = np.concatenate(data), np.concatenate(indices)
        return csr_matrix((data, indices, np.array([0, len(data)])), shape=(1, offset))

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug(f"{self.__class__.__name__}: no intent examples, nothing trained.")
            return self._resource
        self.origins = sorted({o for e in examples for o in sentence_blocks(e)})
        if not self.origins:
            raise ValueError(
                f"{self.__class__.__name__} reads sparse sentence features: put a CountVectorsFeaturizer before it"
            )
        stacked = self._stack(examples)
        # scikit-learn's smoothed idf, ln((1 + n) / (1 + df)) + 1.
        self.idfs = {o: TfidfTransformer(norm="l2", use_idf=True).fit(stacked[o]).idf_ for o in self.origins}
        self.clf.fit(self._create_X(examples), [e.get(INTENT) for e in examples])
        self.persist()
        return self._resource

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / _ORIGINS_FILE).write_text(json.dumps(self.origins), encoding="utf-8")
            np.savez(model_dir / _WEIGHTS_FILE, **{f"idf_{i}": self.idfs[o] for i, o in enumerate(self.origins)})
            np.savez(model_dir / _CLASSIFIER_FILE, **{name: np.asarray(getattr(self.clf, name)) for name in _FITTED})

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfIntentClassifier:
        component = cls(config, execution_context.node_name, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                origins = json.loads((model_dir / _ORIGINS_FILE).read_text(encoding="utf-8"))
                with np.load(model_dir / _WEIGHTS_FILE, allow_pickle=False) as weights:
                    idfs = [weights[f"idf_{i}"] for i in range(len(origins))]
                with np.load(model_dir / _CLASSIFIER_FILE, allow_pickle=False) as fitted:
                    for name in _FITTED:
                        value = fitted[name]
                        setattr(component.clf, name, value.item() if value.ndim == 0 else value)
            # Column-major, so the coef_.T that decision_function multiplies a message by is
            # row-major: scipy copies a transposed row-major matrix into row-major order before
            # every sparse product (18 x 17765 floats, 0.3 of 0.35 ms per parse). Same numbers.
            component.clf.coef_ = np.asfortranarray(component.clf.coef_)
        except ValueError:
            # An untrained component (no intents in the data): Rasa's parent returns it empty too.
            return component
        component.origins = origins
        component.idfs = dict(zip(origins, idfs))
        return component
