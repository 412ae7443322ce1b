"""Ingestion: the shipped documents in, passages out. Nothing is written; the files stay as shipped."""
from dataclasses import dataclass

from knowledge.corpus.metadata import DocumentMeta
from knowledge.corpus.passage import Passage
from knowledge.ingest.blocks import split_blocks
from knowledge.ingest.chunk import build_passages
from knowledge.ingest.lexicon import Lexicon, build_lexicon
from knowledge.ingest.ocr import repair_text
from knowledge.ingest.pages import paginate
from knowledge.ingest.sections import outline


@dataclass(frozen=True)
class IngestedDocument:
    meta: DocumentMeta
    raw: str
    text: str  # after OCR repair (the raw text for clean documents)
    passages: list[Passage]


def clean_lexicon(documents: list[DocumentMeta]) -> Lexicon:
    return build_lexicon(d.read_text() for d in documents if not d.ocr)


def ingest_document(meta: DocumentMeta, lexicon: Lexicon | None) -> IngestedDocument:
    raw = meta.read_text()
    text = repair_text(lexicon, raw) if meta.ocr and lexicon is not None else raw
    lines = paginate(text, leading_space_page_starts=meta.page_starts == "leading_space", raw=raw)
    events = outline(split_blocks(lines), meta.structure, meta.ocr)
    return IngestedDocument(meta, raw, text, build_passages(meta.file, events))


def ingest(documents: list[DocumentMeta]) -> list[IngestedDocument]:
    lexicon = clean_lexicon(documents) if any(d.ocr for d in documents) else None
    return [ingest_document(meta, lexicon) for meta in documents]
