"""The CRF entity extractor that keeps its trained CRFs in the model (nlu/components/stored_crf_entity_extractor.py)."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.stored_crf_entity_extractor import StoredCRFEntityExtractor
from nlu.components.swedish_tokenizer import SwedishTokenizer

EXAMPLES = [
    ("hon vill ha sysselsättning", "sysselsättning"),
    ("gäller insteg för honom", "insteg"),
    ("kan han få sysselsättning nu", "sysselsättning"),
    ("vad kräver insteg", "insteg"),
    ("passar sysselsättning henne", "sysselsättning"),
    ("hur söker man insteg", "insteg"),
]
TEXTS = ["vill hon ha insteg", "sysselsättning passar", "hon är 34 år"]


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), node_name="entities")


def _message(text: str, value: str | None = None) -> Message:
    data = {TEXT: text, INTENT: "inform"}
    if value is not None:
        start = text.index(value)
        data[ENTITIES] = [{"start": start, "end": start + len(value), "value": value, "entity": "insats"}]
    return Message(data)


def _tokenized(messages: list[Message]) -> list[Message]:
    tokenizer = SwedishTokenizer(SwedishTokenizer.get_default_config())
    for message in messages:
        tokenizer.process([message])
    return messages


def _prepared(featurizer, texts) -> list[Message]:
    # Rasa's extractor trains and predicts only on messages some featurizer has featurized.
    return featurizer.process(_tokenized([Message({TEXT: t}) for t in texts]))


def _entities(extractor, featurizer, texts) -> list[list[tuple]]:
    messages = extractor.process(_prepared(featurizer, texts))
    return [[(e["entity"], e["value"], round(e["confidence_entity"], 6)) for e in m.get(ENTITIES, [])] for m in messages]


@pytest.fixture
def trained(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("entities")
    data = TrainingData(_tokenized([_message(text, value) for text, value in EXAMPLES]))
    featurizer = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage, Resource("words"), _context())
    featurizer.train(data)
    featurizer.process_training_data(data)
    config = StoredCRFEntityExtractor.get_default_config()
    extractor = StoredCRFEntityExtractor.create(config, storage, resource, _context())
    extractor.train(data)
    return extractor, featurizer, storage, resource, config


def test_a_loaded_extractor_finds_what_the_trained_one_finds_with_the_same_confidence(trained):
    extractor, featurizer, storage, resource, config = trained
    loaded = StoredCRFEntityExtractor.load(config, storage, resource, _context())
    before = _entities(extractor, featurizer, TEXTS)
    assert before[0] and before[1], "the CRF learned nothing to compare"
    assert _entities(loaded, featurizer, TEXTS) == before


def test_loading_trains_nothing(trained, monkeypatch):
    _, _, storage, resource, config = trained
    monkeypatch.setattr(CRFEntityExtractor, "train_model", classmethod(lambda *args: pytest.fail("trained at load")))
    StoredCRFEntityExtractor.load(config, storage, resource, _context())


def test_rasas_own_extractor_trains_its_crfs_again_at_every_load(trained, monkeypatch):
    _, _, storage, resource, config = trained
    trainings = []
    stock = CRFEntityExtractor.train_model.__func__
    monkeypatch.setattr(CRFEntityExtractor, "train_model",
                        classmethod(lambda cls, *args: trainings.append(1) or stock(cls, *args)))
    CRFEntityExtractor.load(config, storage, resource, _context())
    CRFEntityExtractor.load(config, storage, resource, _context())
    assert len(trainings) == 2


def test_without_entity_examples_it_loads_empty_as_rasas_does(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("ingen")
    config = StoredCRFEntityExtractor.get_default_config()
    loaded = StoredCRFEntityExtractor.load(config, storage, resource, _context())
    assert loaded.entity_taggers is None
