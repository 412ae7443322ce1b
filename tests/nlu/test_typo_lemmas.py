"""Typed words mended to the training word one typo away (nlu/components/typo_lemmas.py)."""
from __future__ import annotations

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.swedish_tokenizer import SwedishTokenizer
from nlu.components.typo_lemmas import TypoLemmaMapper, index, mended

TRAINING = ["sammanfattning tack", "tack så mycket", "vad kräver insatsen", "jobbar jobbet"]


def _tokenized(texts, training: bool = False):
    messages = [Message({TEXT: text, INTENT: "x"} if training else {TEXT: text}) for text in texts]
    SwedishTokenizer(SwedishTokenizer.get_default_config()).process(messages)
    return messages


def _trained(tmp_path) -> tuple[TypoLemmaMapper, LocalModelStorage, Resource]:
    storage, resource = LocalModelStorage(tmp_path), Resource("typos")
    mapper = TypoLemmaMapper.create({}, storage, resource, ExecutionContext(GraphSchema({}), node_name="typos"))
    mapper.train(TrainingData(_tokenized(TRAINING, training=True)))
    return mapper, storage, resource


def _lemmas(mapper: TypoLemmaMapper, text: str) -> list[str]:
    message = _tokenized([text])[0]
    mapper.process([message])
    return [token.lemma for token in message.get(TOKENS_NAMES[TEXT])]


def test_a_misspelt_training_word_gets_the_training_words_lemma(tmp_path):
    mapper, _, _ = _trained(tmp_path)
    assert _lemmas(mapper, "sammanfattnig tack") == ["sammanfattning", "tack"]


def test_the_typed_text_is_kept_so_entity_spans_stay_as_typed(tmp_path):
    mapper, _, _ = _trained(tmp_path)
    message = _tokenized(["sammanfattnig"])[0]
    mapper.process([message])
    assert message.get(TOKENS_NAMES[TEXT])[0].text == "sammanfattnig"


def test_short_words_unknown_words_and_ambiguous_typos_stay_as_typed():
    vocabulary = index(["jobbar", "jobbet", "tack", "kraver"])
    assert mended("tck", vocabulary, 5, 12) is None  # too short to mend safely
    assert mended("jobbat", vocabulary, 5, 12) is None  # one edit from both "jobbar" and "jobbet"
    assert mended("psykiatrin", vocabulary, 5, 12) is None  # nothing near
    assert mended("kraver", vocabulary, 5, 12) is None  # already known
    assert mended("krvaer", vocabulary, 5, 12) == "kraver"  # neighbours swapped


def test_only_words_with_the_same_first_letter_are_candidates():
    assert mended("fraver", index(["kraver"]), 5, 12) is None


def test_the_vocabulary_survives_saving_and_loading(tmp_path):
    _, storage, resource = _trained(tmp_path)
    loaded = TypoLemmaMapper.load({}, storage, resource, ExecutionContext(GraphSchema({}), node_name="typos"))
    assert _lemmas(loaded, "sammanfatning") == ["sammanfattning"]


def test_training_messages_are_left_as_they_are(tmp_path):
    mapper, _, _ = _trained(tmp_path)
    data = TrainingData(_tokenized(["sammanfattnig"], training=True))
    mapper.process_training_data(data)
    assert data.training_examples[0].get(TOKENS_NAMES[TEXT])[0].lemma == "sammanfattnig"


def test_a_long_word_with_no_neighbour_one_edit_away_may_be_two_edits_away():
    vocabulary = index(["socialsekreterare", "sysselsattning", "sysselsattningen", "jobbar"])
    assert mended("socialsekretare", vocabulary, 5, 12) == "socialsekreterare"  # two letters dropped
    assert mended("sysselsatnign", vocabulary, 5, 12) == "sysselsattning"  # one dropped, two swapped
    assert mended("sysselsatning", vocabulary, 5, 12) == "sysselsattning"  # one edit wins over two
    assert mended("socialsekretare", vocabulary, 5, 16) is None  # shorter than the two-edit length
    assert mended("jobbsrna", vocabulary, 5, 5) is None  # three edits from "jobbar"


def test_a_typo_near_a_word_and_its_rare_typed_form_is_that_word():
    # The training data holds typed forms too: "samanfatta" once beside "sammanfatta" 12 times.
    counts = {"sammanfatta": 12, "samanfatta": 1, "inte": 300, "inet": 2, "in": 40, "jobbar": 5, "jobbet": 4}
    vocabulary = index(list(counts))
    assert mended("smmanfatta", vocabulary, 4, 12, counts) == "sammanfatta"
    assert mended("itne", vocabulary, 4, 12, counts) == "inte"
    assert mended("ine", vocabulary, 4, 12, counts) is None  # three letters: too short
    assert mended("jobbat", vocabulary, 4, 12, counts) is None  # neither is three times the other
    assert mended("smmanfatta", vocabulary, 4, 12) is None  # without frequencies: two candidates

