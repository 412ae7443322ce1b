"""Sentence embeddings from the local MiniLM as dense sentence features for Rasa's classifiers.

One of the NLU pipelines compared by `make bench-nlu` (benchmarks/nlu.py): a classifier over the
embeddings of the sentence-transformers model the knowledge base already uses. Which model is
read from the knowledge settings (INSATSLOTSEN_EMBEDDING_MODEL, otherwise the bundled MiniLM),
so NLU and retrieval never point at two different copies, and nothing is downloaded. Only
sentence features are written: Rasa's LogisticRegressionClassifier reads nothing else.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class MiniLMFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # model: a sentence-transformers directory; None means the knowledge settings' model.
        # torch_threads: one message is encoded at a time, and on two shared cores torch's
        # default of one thread per core spins against the other processes (one sentence took
        # 100-1300 ms with 2 threads on the loaded machine, 17-95 ms with 1).
        return {**DenseFeaturizer.get_default_config(), "model": None, "batch_size": 32, "torch_threads": 1}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sentence_transformers"]

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if int(config["batch_size"]) < 1 or int(config["torch_threads"]) < 1:
            raise ValueError("batch_size and torch_threads must be positive")

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self._model = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MiniLMFeaturizer:
        return cls(config, execution_context.node_name)

    def _model_dir(self) -> str:
        if self._config["model"]:
            return str(self._config["model"])
        from knowledge.settings import KnowledgeSettings

        return str(KnowledgeSettings().model_dir())

    def _encode(self, texts: List[Text]):
        from knowledge.retrieval.dense import encode, load_model

        if self._model is None:
            import torch

            torch.set_num_threads(int(self._config["torch_threads"]))
            self._model = load_model(self._model_dir())
        return encode(self._model, texts, batch_size=int(self._config["batch_size"]))

    def _featurize(self, messages: List[Message]) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return
        vectors = self._encode([m.get(TEXT) for m in with_text])
        for message, vector in zip(with_text, vectors):
            self.add_features_to_message(
                sequence=None, sentence=vector.reshape(1, -1), attribute=TEXT, message=message
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return None
