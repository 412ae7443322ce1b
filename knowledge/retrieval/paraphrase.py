"""Query-side paraphrase expansion: everyday words a handläggare types, bridged to the words the
guidelines use ("hur länge" -> "tidsbegränsning", "kombinera" -> "parallellt").

BM25 and the sentence feature only meet words a passage holds; a question that shares no content
word with its answer ("hur länge kan man få stödinsatsen" vs "Tidsbegränsning ... två år") is
missed however the rest is weighed. The lexicon is data (paraphrases.yaml, each entry quoting the
document wording it bridges to); phrases are matched word by word on lower-cased, å/ä/ö-folded
text, so "hur lange" and "hur länge" both match. It is applied to questions only, never to
passages, so the index does not depend on it.
"""
import re
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.ingest.swedish import fold

LEXICON_FILE = Path(__file__).with_name("paraphrases.yaml")
_WORD_RE = re.compile(r"[^\W_]+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(w.lower()) for w in _WORD_RE.findall(text))


@lru_cache(maxsize=1)
def lexicon(path: Path = LEXICON_FILE) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(asked phrase as folded words, document words) pairs, longest phrase first."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["paraphrases"]
    pairs = []
    for entry in entries:
        if not entry.get("asked") or not str(entry.get("documents", "")).strip():
            raise ValueError(f"{path.name}: an entry needs `asked` phrases and `documents` words: {entry}")
        pairs += [(_words(phrase), entry["documents"]) for phrase in entry["asked"]]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def _holds(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def paraphrase_words(query: str) -> str:
    """The document words for every lexicon phrase the question holds (each entry once), or ""."""
    words = _words(query)
    found: list[str] = []
    for phrase, documents in lexicon():
        if documents not in found and _holds(words, phrase):
            found.append(documents)
    return " ".join(found)
