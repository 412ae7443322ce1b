"""The intent classifier's outreach-role feature (nlu/components/outreach_role_featurizer.py)."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.outreach_role_featurizer import OutreachRoleFeaturizer
from nlu.components.swedish_tokenizer import SwedishTokenizer


def _featurizer() -> OutreachRoleFeaturizer:
    return OutreachRoleFeaturizer.create({}, None, None, ExecutionContext(GraphSchema({}), node_name="roles"))


def _featurized(text: str) -> Message:
    message = Message({TEXT: text})
    SwedishTokenizer(SwedishTokenizer.get_default_config()).process([message])
    _featurizer().process([message])
    return message


def _sentence_value(message: Message) -> float:
    (feature,) = [f for f in message.features if f.type == FEATURE_TYPE_SENTENCE]
    return float(feature.features.toarray()[0, 0])


@pytest.mark.parametrize("text", [
    "Jag är fältare och träffar en 22-åring som sitter hemma. Vart kan han vända sig?",
    "ungdomscoach pa kompetensverkstan, kille 21 sitter hemma",
    "jobbar på kompetensverkstn",  # a typo, mended as the dialogue's role reading mends it
])
def test_a_message_naming_an_outreach_role_gets_the_feature(text):
    assert _sentence_value(_featurized(text)) == 1.0


@pytest.mark.parametrize("text", [
    "jag träffar en tjej på 22 som varken jobbar eller pluggar, var ska hon vända sig?",
    "jag är biståndshandläggare på socialpsykiatrin",
])
def test_a_message_naming_no_outreach_role_does_not(text):
    assert _sentence_value(_featurized(text)) == 0.0


def test_the_sequence_feature_has_one_row_per_token_and_the_origin_is_the_node():
    message = _featurized("fältare här")
    (sequence,) = [f for f in message.features if f.type == FEATURE_TYPE_SEQUENCE]
    assert sequence.features.shape == (2, 1)
    assert sequence.origin == "roles"


def test_training_examples_get_the_feature_too():
    data = TrainingData([Message({TEXT: "jag är uppsökare", INTENT: "inform_role"})])
    SwedishTokenizer(SwedishTokenizer.get_default_config()).process_training_data(data)
    _featurizer().process_training_data(data)
    assert _sentence_value(data.training_examples[0]) == 1.0
