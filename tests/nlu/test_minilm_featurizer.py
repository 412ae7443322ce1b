"""The MiniLM sentence featurizer (nlu/components/minilm_featurizer.py) gives Rasa one sentence vector per text."""
import numpy as np
import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components.minilm_featurizer import MiniLMFeaturizer


def _featurizer(**config):
    return MiniLMFeaturizer({**MiniLMFeaturizer.get_default_config(), **config}, "minilm")


def test_each_message_gets_one_unit_length_sentence_vector_and_no_sequence_features():
    messages = [Message({TEXT: "vad krävs för 4:2"}), Message({TEXT: "vad kravs for 4:2"})]
    _featurizer().process(messages)
    for message in messages:
        sequence, sentence = message.get_dense_features(TEXT)
        assert sequence is None
        assert sentence.features.shape == (1, 384)
        assert np.linalg.norm(sentence.features) == pytest.approx(1.0, abs=1e-4)
    first, second = (m.get_dense_features(TEXT)[1].features[0] for m in messages)
    assert float(first @ second) > 0.8  # with and without å/ä/ö: near neighbours


def test_a_message_without_text_is_left_alone():
    message = Message({"intent": "greet"})
    _featurizer().process([message])
    assert message.get_dense_features(TEXT) == (None, None)


def test_a_model_path_without_a_model_fails_with_the_path(tmp_path):
    with pytest.raises(Exception, match=str(tmp_path)):
        _featurizer(model=str(tmp_path)).process([Message({TEXT: "hej"})])


def test_batch_size_must_be_positive():
    with pytest.raises(ValueError):
        _featurizer(batch_size=0)
