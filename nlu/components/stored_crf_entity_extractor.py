"""Rasa's CRFEntityExtractor, with its trained CRFs saved in the model instead of trained again.

Rasa 3.6 saves only the CRF's training dataset and trains every CRF again each time the model is
loaded: 2.5-3 s of CPU on every start of the Rasa server, and each CRF leaves its model file in
/tmp when the process ends (sklearn-crfsuite writes it to a temporary file it deletes only when
the object is collected). Here the model files CRFsuite wrote while training are stored next to
the dataset and loaded from memory; the features, tags and predictions are Rasa's own.
"""
from __future__ import annotations

import collections
import json
from pathlib import Path
from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken

_ORDER_FILE = "crf_order.json"


def _model_file(tag_name: Text) -> Text:
    return f"crf_{tag_name}.crfsuite"


def crf_from_model(data: bytes):
    """A fitted sklearn-crfsuite CRF whose tagger reads `data` (a file CRFsuite's trainer wrote).
    Only the tagger predicts; the training settings live in the model file's weights."""
    import pycrfsuite
    import sklearn_crfsuite

    crf = sklearn_crfsuite.CRF()
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(data)
    # The tagger reads the bytes in place and keeps no reference to them.
    crf._model_data = data
    crf._tagger = tagger
    return crf


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class StoredCRFEntityExtractor(CRFEntityExtractor):
    def persist(self, dataset: list[list[CRFToken]]) -> None:
        super().persist(dataset)
        with self._model_storage.write_to(self._resource) as model_dir:
            for tag_name, tagger in self.entity_taggers.items():
                (model_dir / _model_file(tag_name)).write_bytes(Path(tagger.modelfile.name).read_bytes())

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> StoredCRFEntityExtractor:
        try:
            with model_storage.read_from(resource) as model_dir:
                crf_order = json.loads((model_dir / _ORDER_FILE).read_text(encoding="utf-8"))
                models = {name: (model_dir / _model_file(name)).read_bytes() for name in crf_order}
        except ValueError:
            # No resource: trained without entities, as Rasa's own load returns it.
            return cls(config, model_storage, resource)
        taggers = collections.OrderedDict((name, crf_from_model(data)) for name, data in models.items())
        extractor = cls(config, model_storage, resource, taggers)
        extractor.crf_order = crf_order
        return extractor
