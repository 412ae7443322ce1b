"""One sentence feature for the intent classifier: the message names an outreach role.

"Jag är fältare och träffar en 22-åring … Vart kan han vända sig?" shares nearly all its words
with a handläggare's request for a recommendation ("jag träffar en tjej på 22 …, var ska hon
vända sig?"); only the role word tells them apart, and among the many word and character
n-grams of a case description it weighs little. The role decides the answer (the ways in, not
the consultation's questions; docs/dialogue.md), so the classifier gets it as a feature of its
own: 1 when nlu.facts.named_role finds an outreach role in the text (the role words of
nlu/fact_patterns.yaml, typos mended, the one list the dialogue also reads), else 0. The
intent classifier weighs each featurizer's block to unit length, so this block counts as much as
the words' whenever it fires; the classifier learns how much to trust it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import coo_matrix

from nlu.facts import named_role


def role_feature(text: str) -> float:
    """1.0 when `text` names an outreach role, else 0.0."""
    return 1.0 if text and named_role(text) == "uppsokare" else 0.0


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class OutreachRoleFeaturizer(SparseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**SparseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> OutreachRoleFeaturizer:
        return cls(execution_context.node_name, {**cls.get_default_config(), **config})

    def _featurize(self, message: Message) -> None:
        text = message.get(TEXT)
        if not text:
            return
        tokens = message.get(TOKENS_NAMES[TEXT]) or ()
        value = role_feature(text)
        sentence = coo_matrix(np.array([[value]]))
        # Sequence features are required beside sentence ones; the role belongs to the message.
        sequence = coo_matrix((max(len(tokens), 1), 1))
        self.add_features_to_message(sequence, sentence, TEXT, message)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._featurize(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._featurize(message)
        return training_data
