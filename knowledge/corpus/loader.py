"""The passages of the corpus, ingested once per process."""
from functools import lru_cache

from knowledge.corpus.metadata import DocumentMeta, read_metadata
from knowledge.corpus.passage import Passage
from knowledge.ingest.swedish import fold


@lru_cache(maxsize=1)
def load_metadata() -> tuple[DocumentMeta, ...]:
    return tuple(read_metadata())


@lru_cache(maxsize=1)
def _ingested() -> tuple[Passage, ...]:
    from knowledge.ingest.pipeline import ingest  # the lexicon and OCR repair load only when needed

    return tuple(p for document in ingest(list(load_metadata())) for p in document.passages)


def load_passages() -> list[Passage]:
    """All passages, document by document in authority order (ingested once, about 2 s)."""
    return list(_ingested())


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Passage]:
    return {p.id: p for p in _ingested()}


def get_passage(passage_id: str) -> Passage:
    """The passage with this id; KeyError if there is none."""
    return _by_id()[passage_id]


def section_key(section: str) -> str:
    """Sections compare without case, å/ä/ö, markup or spacing ("LOKAL NARVARO PA JARVA")."""
    return " ".join(fold(section).replace("*", "").split())


def passages_for(doc: str, section: str) -> list[Passage]:
    """The passages of one section, e.g. passages_for("002_4c615ea3040924b7.txt", "4.2.3")."""
    key = section_key(section)
    return [p for p in _ingested() if p.doc == doc and section_key(p.section) == key]
