"""A message that opens with a yes, as the fact reader hears it: an intent feature of its own.

The word features are a bag: "ja" in "ja af har en lämplig åtgärd" is one word of six, and the
content words pull the message to inform, though it answers yes. Whether the text opens with
one of the fact reader's yes cues (nlu/fact_patterns.yaml `answers.positive`, via
nlu.facts.opens_with_yes) is here a sentence feature block of its own. Only a yes: the no and
doubt cues also open note-style statements ("ingen lss, ingen fsd", "det har inte bedömts"),
and with them (tried on the tuning halves) such statements went to deny.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import coo_matrix

from nlu.facts import opens_with_yes


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class AnswerCueFeaturizer(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> AnswerCueFeaturizer:
        return cls(execution_context.node_name)

    def __init__(self, name: Text) -> None:
        self._name = name

    def _add(self, message: Message) -> None:
        text = message.get(TEXT)
        if text:
            row = coo_matrix([[1.0 if opens_with_yes(text) else 0.0]])
            message.add_features(Features(row, FEATURE_TYPE_SENTENCE, TEXT, self._name))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._add(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._add(message)
        return messages
