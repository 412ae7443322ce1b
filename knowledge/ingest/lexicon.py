"""The Swedish word list OCR repair chooses from.

Which spellings exist: the Swedish lemma lookup table of spacy-lookups-data (about 740 000
inflected forms and their lemmas) plus spaCy's Swedish stop words (the uninflected little words
the lemma table lacks: "på", "varken", "också"). Which of several spellings these texts use:
the documents that were not scanned (001, 002, 004), by the word before ("65 år", "det är"),
by frequency, and by a letter-trigram model of their spelling.
"""
import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from knowledge.ingest.swedish import fold, stop_words

NUMBER = "<num>"
_CONTEXT_TOKEN_RE = re.compile(r"\d+|[^\W\d_]+")


@dataclass(frozen=True)
class Lexicon:
    forms: Mapping[str, str | tuple[str, ...]]  # folded spelling -> its lower-case spelling(s)
    counts: Counter  # lower-case word -> occurrences in the clean documents
    bigrams: Counter  # (context class of the previous word, lower-case word) -> occurrences
    trigrams: Counter  # letter trigrams of the clean documents' words, with "^"/"$" at the ends
    bigram_letters: Counter  # their two-letter prefixes, for the conditional probability

    def spellings(self, folded: str) -> tuple[str, ...]:
        found = self.forms.get(folded, ())
        return (found,) if isinstance(found, str) else found

    def letter_score(self, word: str) -> float:
        """Log-probability of the word's letters under an add-one trigram model of the clean texts."""
        padded = f"^^{word}$"
        return sum(
            math.log((self.trigrams[padded[i : i + 3]] + 1) / (self.bigram_letters[padded[i : i + 2]] + 30))
            for i in range(len(padded) - 2)
        )


def context_class(previous: str | None) -> str | None:
    """Numbers share one class, so "23 ar" learns from "65 år" in the clean documents."""
    if previous is None:
        return None
    return NUMBER if previous.isdigit() else previous.lower()


def count_usage(clean_texts: Iterable[str]) -> tuple[Counter, Counter]:
    counts: Counter = Counter()
    bigrams: Counter = Counter()
    for text in clean_texts:
        previous = None
        for token in _CONTEXT_TOKEN_RE.findall(text):
            if not token.isdigit():
                word = token.lower()
                counts[word] += 1
                bigrams[(context_class(previous), word)] += 1
            previous = token
    return counts, bigrams


def _letter_counts(counts: Counter) -> tuple[Counter, Counter]:
    trigrams: Counter = Counter()
    prefixes: Counter = Counter()
    for word, n in counts.items():
        padded = f"^^{word}$"
        for i in range(len(padded) - 2):
            trigrams[padded[i : i + 3]] += n
            prefixes[padded[i : i + 2]] += n
    return trigrams, prefixes


def lemma_table() -> dict[str, str]:
    """spacy-lookups-data's Swedish table: inflected form -> lemma."""
    table = resources.files("spacy_lookups_data") / "data" / "sv_lemma_lookup.json.gz"
    with table.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _lemma_table_words() -> set[str]:
    lookup = lemma_table()
    words = set(lookup)
    words.update(lookup.values())
    return {w.lower() for w in words if w.isalpha()}


def lexicon_from(words: Iterable[str], clean_texts: Iterable[str]) -> Lexicon:
    """A lexicon of these spellings (plus the clean texts' own words), ranked by the clean texts."""
    counts, bigrams = count_usage(clean_texts)
    trigrams, prefixes = _letter_counts(counts)
    # Most folded spellings have one word; a bare string for those keeps 740 000 entries quick to build.
    forms: dict[str, str | tuple[str, ...]] = {}
    for word in set(words) | set(counts):
        key = fold(word)
        known = forms.get(key)
        forms[key] = word if known is None else (known, word) if isinstance(known, str) else known + (word,)
    return Lexicon(forms=forms, counts=counts, bigrams=bigrams, trigrams=trigrams, bigram_letters=prefixes)


def build_lexicon(clean_texts: Iterable[str]) -> Lexicon:
    return lexicon_from(_lemma_table_words() | stop_words(), clean_texts)
