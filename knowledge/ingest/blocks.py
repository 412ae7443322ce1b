"""Blank-line separated blocks of a document and what each one is.

The kinds: table of contents, footnote, boilerplate (letterheads, signatures, cover lines: short
lines that make no sentence), figure residue (diagram labels that the OCR read as text), list,
and paragraph. Headings are told apart in sections.py, where the numbering is known.
"""
import re
from dataclasses import dataclass

from knowledge.ingest.pages import PagedLine

BULLET_RE = re.compile(r"^(?:[-•*–]|\d{1,2}\.)\s+(?=\S)")
_TOC_LINE_RE = re.compile(r"(?:\t\s*\d+|\.{3,}\s*\d*)\s*$")
# A block opening with a superscript number is a footnote whatever follows ("²³ [Samordning …](#)",
# "²⁷ 30 kap. 9 och 11 §§ SFB", "³ prop. 1979/80:1 s. 528"); a plain number or an OCR-read mark
# must be followed by a capital or a link, as numbered lines of running text are not.
_FOOTNOTE_RE = re.compile(r"^(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*\S|(?:\d{1,2}|[!>&?*’'])\s+(?=[A-ZÅÄÖ*]|http))")
_TABLE_ROW_RE = re.compile(r"^\d+(?:[-–]\d+)?\s+[^\d\s]")
_SENTENCE_END_RE = re.compile(r"[.!?:;”\"]\s*$")
_BOILERPLATE_MAX_WORDS = 7


@dataclass
class Block:
    lines: list[str]
    page: int | None
    raw_first: str  # the first line as the file has it, before OCR repair
    kind: str = "paragraph"

    @property
    def first(self) -> str:
        return self.lines[0].strip()

    @property
    def word_count(self) -> int:
        return sum(len(line.split()) for line in self.lines)


def split_blocks(lines: list[PagedLine]) -> list[Block]:
    blocks: list[Block] = []
    current: list[PagedLine] = []
    for line in lines + [PagedLine("", None)]:
        if current and (not line.text.strip() or line.page_start):
            blocks.append(Block([entry.text for entry in current], current[0].page, current[0].raw))
            current = []
        if line.text.strip():
            current.append(line)
    return blocks


def is_toc(block: Block) -> bool:
    return sum(bool(_TOC_LINE_RE.search(line)) for line in block.lines) >= max(2, len(block.lines) // 2)


def is_footnote(block: Block) -> bool:
    return bool(_FOOTNOTE_RE.match(block.first))


def is_list(block: Block) -> bool:
    return bool(BULLET_RE.match(block.first))


def _is_table(block: Block) -> bool:
    return len(block.lines) >= 2 and all(_TABLE_ROW_RE.match(line.strip()) for line in block.lines)


def is_boilerplate(block: Block) -> bool:
    """Several short lines, none ending a sentence: an address, a signature, a cover, a diagram."""
    if len(block.lines) < 2 or is_list(block) or _is_table(block):
        return False
    short = all(len(line.split()) <= _BOILERPLATE_MAX_WORDS for line in block.lines)
    return short and not any(_is_sentence(line) for line in block.lines[:-1])


def _is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END_RE.search(line)) and len(re.findall(r"[^\W\d_]{2,}", line)) >= 3


def is_figure_residue(block: Block) -> bool:
    """Diagram labels read as text: many words in capitals inside what would be running text."""
    words = [w for w in re.findall(r"[^\W\d_]{2,}", " ".join(block.lines))]
    capitals = [w for w in words if w.isupper()]
    mixed = len(capitals) < len(words)
    return mixed and len(words) >= 6 and len(capitals) / len(words) > 0.25


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END_RE.search(text))
