"""Phrases of the question in one sentence of a passage: the word pairs the question and the
sentence share, stop words kept.

BM25 and the sentence feature read content words only, so "hur länge kan man ha sysselsättning"
is "sysselsättning" to them, a word of nearly every passage; the sentence that answers it begins
"Hur länge insatsen sysselsättning ska pågå". A pair of consecutive words ("hur länge", "i
planeringen", "på egen hand") keeps what the stop words say, and a pair is rare enough that two
of them in one sentence point at the sentence that answers. Words are folded, lower-cased and
stemmed as in search (a typo mended to the corpus word one edit away), so inflection and å/ä/ö do
not break a pair. A phrase feature of this kind is the "ordered bigram" of Metzler & Croft 2005
("A Markov Random Field Model for Term Dependencies"), here counted within one sentence.
"""
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from knowledge.ingest.swedish import fold
from knowledge.retrieval.normalize import prepare
from knowledge.retrieval.tokenize import WORD_RE, Tokenizer


def words(tokenizer: Tokenizer, text: str, correct: Callable[[str], str | None] | None = None) -> list[str]:
    """The text's words folded and stemmed, stop words kept; `correct` may mend a word the index lacks."""
    out = []
    for word in WORD_RE.findall(prepare(text)):
        folded = fold(word.lower())
        out.append(tokenizer.stem(fold((correct(folded) if correct else None) or folded)))
    return out


def pairs(words_: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(words_, words_[1:]))


class PhraseIndex:
    """Which sentences hold each word pair; sentences in passage order, `starts` the row where each
    passage's sentences begin (as search's sentence matrix and the index's sentence embeddings)."""

    def __init__(self, tokenizer: Tokenizer, passage_sentences: Sequence[Sequence[str]]):
        self.tokenizer = tokenizer
        self._sentences_of: dict[tuple[str, str], list[int]] = defaultdict(list)
        starts, n = [], 0
        for sentences in passage_sentences:
            starts.append(n)
            for sentence in sentences or [""]:
                for pair in pairs(words(tokenizer, sentence)):
                    self._sentences_of[pair].append(n)
                n += 1
        self.starts = np.array(starts, dtype=np.int64)
        self.n_sentences = n

    def best_sentence_counts(self, query: str, correct: Callable[[str], str | None] | None = None) -> np.ndarray:
        """Per passage, how many of the question's distinct word pairs its best sentence holds."""
        per_sentence = np.zeros(self.n_sentences)
        for pair in pairs(words(self.tokenizer, query, correct)):
            per_sentence[self._sentences_of.get(pair, [])] += 1
        return np.maximum.reduceat(per_sentence, self.starts)
