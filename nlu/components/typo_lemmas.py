"""Mends a typed word to the training word it is one typo away from, before the word features.

The word count-vector features know only the words of the training data, so a typo such as
"sammanfattnig" leaves a message's word block with nothing but its other words ("tack"), and
the classifier follows those. Here a word the training data lacks, of four letters or more,
gets as lemma the training word one insertion, deletion, substitution or swap away
(nlu.facts.one_edit, the rule the fact lexicon mends its key words with), if exactly one such
word starts with the same letter, or one of them is at least three times as frequent in the
training data as any other: the training data holds typed forms too ("samanfatta" once beside
"sammanfatta", "inet" beside "inte"), and a typo one edit from both the word and its typed form
is that word. Else it stays as typed. A long word (twelve letters or more)
with no such neighbour may be two edits away instead ("socialsekretare" for
"socialsekreterare"): long words have few neighbours even two edits away,
and a long compound typed in a hurry often loses two letters. Only the lemma changes, so entity
spans keep the text as typed. Training messages are left alone: every word in them is known.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, Dict, List, Mapping, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.facts import one_edit

_VOCABULARY_FILE = "vocabulary.json"
# A candidate this many times as frequent in training as the next one is the word meant. Of
# synthetic typos (a letter dropped, doubled, swapped or changed) in the 1627 tuning-half
# messages, three samples, 2026-12-04: 129 wrong intents with one candidate only, 120 with
# 2, 3 or 5 here (103 with the four-letter minimum below); the messages as typed unchanged.
MAJORITY = 3


def within_two_edits(a: str, b: str) -> bool:
    """a and b differ by at most two insertions, deletions, substitutions or swaps of neighbours
    (optimal string alignment distance <= 2)."""
    if abs(len(a) - len(b)) > 2:
        return False
    previous, row = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (a[i - 1] != b[j - 1]))
            if previous is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous[j - 2] + 1)
        previous, row = row, current
        if min(row) > 2:
            return False
    return row[-1] <= 2


def mended(word: str, vocabulary: Dict[tuple, frozenset], min_length: int, two_edit_length: int,
           counts: Optional[Mapping[str, int]] = None) -> Optional[str]:
    """The one known word `word` is a typo of, or None (known already, too short, not letters
    only, or no single candidate). `vocabulary` is indexed by (first letter, length); `counts`,
    the words' training frequencies, picks among several candidates (MAJORITY)."""
    if len(word) < min_length or not word.isalpha() or word in vocabulary.get((word[0], len(word)), ()):
        return None
    near = {
        candidate
        for length in (len(word) - 1, len(word), len(word) + 1)
        for candidate in vocabulary.get((word[0], length), ())
        if one_edit(word, candidate)
    }
    if not near and len(word) >= two_edit_length:
        near = {
            candidate
            for length in range(len(word) - 2, len(word) + 3)
            for candidate in vocabulary.get((word[0], length), ())
            if within_two_edits(word, candidate)
        }
    if len(near) == 1:
        return near.pop()
    counts = counts or {}
    ranked = sorted(near, key=lambda candidate: counts.get(candidate, 0), reverse=True)
    if len(ranked) > 1 and counts.get(ranked[0], 0) >= MAJORITY * max(1, counts.get(ranked[1], 0)):
        return ranked[0]
    return None


def index(words: List[str]) -> Dict[tuple, frozenset]:
    grouped: Dict[tuple, set] = {}
    for word in words:
        grouped.setdefault((word[0], len(word)), set()).add(word)
    return {key: frozenset(value) for key, value in grouped.items()}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class TypoLemmaMapper(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Four letters: shorter words have too many neighbours one edit away ("in", "inet" and
        # "inte" for "ine"); at four the frequency picks among them ("itne", "tcak", "ihpo" ->
        # "inte", "tack", "ihop"); from five before the frequencies were kept (MAJORITY).
        # Two edits from twelve letters: of the tuning halves' words (2026-12-03) it mends seven,
        # six to the word meant or its other form ("socialsekretare", "ungdomscoacher" ->
        # "ungdomscoach"), one to a near word ("timintervall" -> "tidsintervall"); from ten
        # letters also "invandrare" -> "invanare".
        return {"min_length": 4, "two_edit_length": 12}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 counts: Optional[Mapping[str, int]] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._counts = dict(counts or {})
        self._vocabulary = index(sorted(self._counts))

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TypoLemmaMapper:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self._counts = dict(sorted(Counter(
            token.lemma
            for message in training_data.training_examples
            for token in message.get(TOKENS_NAMES[TEXT]) or ()
            if token.lemma and token.lemma.isalpha()
        ).items()))
        self._vocabulary = index(list(self._counts))
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / _VOCABULARY_FILE).write_text(json.dumps(self._counts, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> TypoLemmaMapper:
        try:
            with model_storage.read_from(resource) as model_dir:
                counts = json.loads((model_dir / _VOCABULARY_FILE).read_text(encoding="utf-8"))
        except ValueError:
            counts = {}
        return cls(config, model_storage, resource, counts)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        min_length, two_edit_length = int(self._config["min_length"]), int(self._config["two_edit_length"])
        for message in messages:
            for token in message.get(TOKENS_NAMES[TEXT]) or ():
                known = mended(token.lemma, self._vocabulary, min_length, two_edit_length, self._counts) if token.lemma else None
                if known is not None:
                    token.lemma = known
        return messages
