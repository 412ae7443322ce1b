"""Quoting the guidelines: a source reference in the short form handläggare read, and the
sentences of a passage that bear on a criterion."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, Mapping

from knowledge.corpus import passages_for
from knowledge.criteria.schema import Source
from knowledge.ingest.swedish import fold
from knowledge.retrieval.quote import MAX_QUOTE_CHARS, best_excerpt

_WORD = re.compile(r"\w{4,}")


def cite(source: Mapping[str, str]) -> str:
    """`{"doc": "002_4c61….txt", "section": "4.2.3"}` -> "002 §4.2.3", as the checker cites."""
    return Source(source["doc"], source["section"]).short()


# Cached: the texts are the corpus's passages and sentences and the criteria's topics, a bounded
# set read again on every recommendation (folding them was a tenth of the action server's CPU).
@lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    return frozenset(w[:6] for w in _WORD.findall(fold(text)))


def excerpt(text: str, about: str = "", limit: int = MAX_QUOTE_CHARS) -> str:
    """The sentences of `text` sharing most words with `about`, at most `limit` characters.

    Without the index (a criterion's source quoted in a recommendation); an answer to a question
    is quoted by the retriever itself (`Retriever.quote`), which also reads typos and abbreviations."""
    topic = _words(about)
    return best_excerpt(text, lambda sentence: len(_words(sentence) & topic), limit)


def quote_sources(sources: Iterable[tuple[Mapping[str, str], str]], limit: int = 3) -> list[dict[str, Any]]:
    """Quotes for (source, topic) pairs, one per distinct section, in the order given."""
    quotes: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for source, topic in sources:
        key = (source["doc"], source["section"])
        if key in seen:
            continue
        seen.add(key)
        candidates = passages_for(source["doc"], source["section"])
        if not candidates:
            continue
        passage = max(candidates, key=lambda p: len(_words(p.text) & _words(topic)))
        quotes.append({"citation": cite(source), "passage_id": passage.id, "text": excerpt(passage.text, topic)})
        if len(quotes) == limit:
            break
    return quotes


def format_quotes(quotes: list[dict[str, Any]]) -> str:
    return "\n".join(f"» {q['text']} « ({q['citation']})" for q in quotes)
