"""The intent classifier on tf-idf weighted, length-normalised counts (nlu/components/tfidf_intent_classifier.py)."""
from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.swedish_tokenizer import SwedishTokenizer
from nlu.components.tfidf_intent_classifier import TfidfIntentClassifier

EXAMPLES = {
    "affirm": ["ja", "ja det stämmer", "japp", "jo det har hon", "ja absolut"],
    "deny": ["nej", "nej det stämmer inte", "nä", "nej det har hon inte", "inte alls"],
    "ask_guideline": ["krävs läkarintyg", "hur ofta ska uppföljning göras", "vad är en sip", "vad är dur"],
}


def _context(node: str) -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), node_name=node)


def _featurizers(storage: LocalModelStorage, char_ngrams: bool = True) -> list:
    featurizers = [CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage, Resource("words"), _context("words"))]
    if char_ngrams:
        config = {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5}
        featurizers.append(CountVectorsFeaturizer.create(config, storage, Resource("chars"), _context("chars")))
    return featurizers


def _tokenizer() -> SwedishTokenizer:
    return SwedishTokenizer(SwedishTokenizer.get_default_config())


def _training_data(featurizers) -> TrainingData:
    data = TrainingData([Message({TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items() for text in texts])
    _tokenizer().process_training_data(data)
    for featurizer in featurizers:
        featurizer.train(data)
        featurizer.process_training_data(data)
    return data


def _messages(texts, featurizers) -> list[Message]:
    messages = [Message({TEXT: text}) for text in texts]
    _tokenizer().process(messages)
    for featurizer in featurizers:
        featurizer.process(messages)
    return messages


def _classifier(storage, resource=Resource("intents"), **config) -> TfidfIntentClassifier:
    return TfidfIntentClassifier.create({**TfidfIntentClassifier.get_default_config(), **config}, storage, resource, _context("intents"))


@pytest.fixture
def storage(tmp_path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def test_each_featurizer_block_has_unit_length_whatever_the_message_length(storage):
    featurizers = _featurizers(storage)
    classifier = _classifier(storage)
    classifier.train(_training_data(featurizers))
    short, long = _messages(["nej", "nej " * 40 + "det stämmer inte alls, hon har inte det"], featurizers)
    rows = classifier._create_X([short, long]).toarray()
    # Two blocks (words, character n-grams) of length 1 each: sqrt(2) for a short and a long text.
    assert np.linalg.norm(rows, axis=1) == pytest.approx([np.sqrt(2), np.sqrt(2)])


def test_repeating_a_word_does_not_change_the_features_of_a_one_word_message(storage):
    featurizers = _featurizers(storage, char_ngrams=False)
    classifier = _classifier(storage)
    classifier.train(_training_data(featurizers))
    once, thrice = _messages(["ja", "ja ja ja"], featurizers)
    rows = classifier._create_X([once, thrice]).toarray()
    assert rows[0] == pytest.approx(rows[1])


def test_it_classifies_unseen_phrasings_by_their_words(storage):
    featurizers = _featurizers(storage)
    classifier = _classifier(storage)
    classifier.train(_training_data(featurizers))
    messages = classifier.process(_messages(["ja det har han", "nej inte än", "krävs det en sip"], featurizers))
    assert [m.get(INTENT)["name"] for m in messages] == ["affirm", "deny", "ask_guideline"]


def _trained_and_loaded(storage):
    featurizers = _featurizers(storage)
    resource = Resource("intents")
    trained = _classifier(storage, resource)
    trained.train(_training_data(featurizers))
    loaded = TfidfIntentClassifier.load(TfidfIntentClassifier.get_default_config(), storage, resource, _context("intents"))
    return featurizers, trained, loaded


def test_a_saved_and_loaded_classifier_gives_the_same_probabilities(storage):
    featurizers, trained, loaded = _trained_and_loaded(storage)
    texts = ["ja", "nej det har hon inte", "hur ofta följs insatsen upp"]
    before = [m.get("intent_ranking") for m in trained.process(_messages(texts, featurizers))]
    after = [m.get("intent_ranking") for m in loaded.process(_messages(texts, featurizers))]
    assert [[r["name"] for r in ranking] for ranking in after] == [[r["name"] for r in ranking] for ranking in before]
    for ranking_before, ranking_after in zip(before, after):
        assert [r["confidence"] for r in ranking_after] == pytest.approx([r["confidence"] for r in ranking_before])


def test_a_loaded_classifier_multiplies_by_its_weights_without_copying_them_and_to_the_same_numbers(storage):
    # decision_function computes X @ coef_.T; scipy copies a coef_.T that is not row-major
    # before every product (most of a parse's classifier time, docs/benchmarks.md session 9).
    featurizers, trained, loaded = _trained_and_loaded(storage)
    assert loaded.clf.coef_.T.flags["C_CONTIGUOUS"] and not trained.clf.coef_.T.flags["C_CONTIGUOUS"]
    X = trained._create_X(_messages(["ja", "nej det har hon inte", "hur ofta följs insatsen upp"], featurizers))
    assert np.array_equal(loaded.clf.predict_proba(X), trained.clf.predict_proba(X))


def test_saving_and_loading_never_import_skops(storage, monkeypatch):
    # skops' import walks every scikit-learn estimator module: 5.5 s of each Rasa server start.
    import sys

    for name in [m for m in sys.modules if m == "skops" or m.startswith("skops.")] + ["skops", "skops.io"]:
        monkeypatch.setitem(sys.modules, name, None)  # any `import skops...` now raises ImportError
    featurizers = _featurizers(storage)
    resource = Resource("intents")
    _classifier(storage, resource).train(_training_data(featurizers))
    loaded = TfidfIntentClassifier.load(TfidfIntentClassifier.get_default_config(), storage, resource, _context("intents"))
    assert loaded.process(_messages(["nej det har hon inte"], featurizers))[0].get("intent")["name"] == "deny"


def test_an_untrained_classifier_loads_empty_as_rasas_does(storage):
    loaded = TfidfIntentClassifier.load(TfidfIntentClassifier.get_default_config(), storage, Resource("aldrig"), _context("intents"))
    assert loaded.origins == [] and not hasattr(loaded.clf, "coef_")


def test_a_pipeline_without_a_sparse_featurizer_fails_at_training_with_the_reason(storage):
    data = TrainingData([Message({TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items() for text in texts])
    _tokenizer().process_training_data(data)
    with pytest.raises(ValueError, match="CountVectorsFeaturizer"):
        _classifier(storage).train(data)


@pytest.mark.parametrize("config", [{"C": 0}, {"C": -1.0}, {"class_weight": "auto"}])
def test_a_meaningless_setting_is_refused(storage, config):
    with pytest.raises(ValueError):
        _classifier(storage, **config)


@pytest.mark.parametrize("sublinear_tf", [True, False])
def test_the_weighting_is_scikit_learns_tfidf_with_unit_length_rows(sublinear_tf):
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    from nlu.components.tfidf_intent_classifier import weigh

    rng = np.random.default_rng(7)
    counts = csr_matrix(rng.poisson(0.4, size=(30, 50)).astype(float))
    reference = TfidfTransformer(norm="l2", use_idf=True, sublinear_tf=sublinear_tf).fit(counts)
    ours = weigh(counts, reference.idf_, sublinear_tf)
    assert ours.toarray() == pytest.approx(reference.transform(counts).toarray())


def _general_path(classifier, message):
    """`_create_X` as it handles several messages: scipy's stacking of the weighted blocks."""
    from scipy.sparse import hstack

    from nlu.components.tfidf_intent_classifier import weigh

    stacked = classifier._stack([message])
    return hstack([weigh(stacked[o], classifier.idfs[o], True) for o in classifier.origins]).tocsr()


@pytest.mark.parametrize("regex", [False, True])
def test_one_message_gets_the_general_paths_entries_in_its_order_and_the_same_probabilities_to_the_bit(storage, regex):
    from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer

    featurizers = _featurizers(storage)
    if regex:  # its sentence block has no entries for most messages
        patterns = [{"name": "ja", "pattern": r"\bja\b"}, {"name": "sip", "pattern": r"\bsip\b"}]
        featurizers.insert(0, RegexFeaturizer({**RegexFeaturizer.get_default_config()}, storage, Resource("regex"),
                                              _context("regex"), known_patterns=patterns))
    classifier = _classifier(storage)
    classifier.train(_training_data(featurizers))
    texts = ["ja", "nej det har hon inte", "hur ofta följs insatsen upp", "krävs det en sip " * 5, "xyzzy"]
    for message in _messages(texts, featurizers):
        assert classifier._message_row(message) is not None
        row, general = classifier._create_X([message]), _general_path(classifier, message)
        assert row.indices.tolist() == general.indices.tolist() and row.shape == general.shape
        assert row.data.tobytes() == general.data.tobytes()
        assert classifier.clf.predict_proba(row).tobytes() == classifier.clf.predict_proba(general).tobytes()


def test_a_block_in_another_shape_goes_the_general_way(storage):
    featurizers, classifier, _ = _trained_and_loaded(storage)
    message = _messages(["nej det har hon inte"], featurizers)[0]
    assert classifier._message_row(message) is not None
    for feature in message.features:
        if feature.type == "sentence":
            feature.features = feature.features.tocsr()
    assert classifier._message_row(message) is None
    assert classifier._create_X([message]).toarray() == pytest.approx(_general_path(classifier, message).toarray())
