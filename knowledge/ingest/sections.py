"""The outline of a document: its headings, the text under each, and the section ids citations use.

Section ids (shared convention): numbered sections use their number as printed ("4.2.3"); the
appendices of 002 are "Bilaga 1" and, for numbered parts inside one, "Bilaga 1, 2.3"; unnumbered
headings use the heading line as the file has it, markup removed (in the scanned documents
before OCR repair: "LOKAL NARVARO PA JARVA"; the title shows the repaired heading).

Three heading styles, one per document (metadata.yaml, `structure`):
- numbered: "4.2.3 Title" lines, accepted only where the number can follow the previous one,
  so footnotes ("2 Nationella riktlinjer …") and numbered lists are not taken for headings;
- capitals: a line in capitals followed by running text (the scanned report 003);
- plain: a short line standing alone, followed by running text (the tjänsteutlåtanden 001, 004).
In numbered and capitals documents a short standalone line is a sub-heading inside its section
("Närvaro" in 002 §3.1, the personas in 003).
"""
import re
from dataclasses import dataclass, field

from knowledge.ingest.blocks import (
    BULLET_RE,
    Block,
    ends_sentence,
    is_boilerplate,
    is_figure_residue,
    is_footnote,
    is_list,
    is_toc,
)

_NUMBERED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s*([A-ZÅÄÖ].*)$")
_APPENDIX_RE = re.compile(r"^Bilaga (\d+)\.?\s+(\S.*)$")
_TOC_ENTRY_RE = re.compile(r"^(Bilaga \d+|\d{1,2}(?:\.\d{1,2})*)\.?\s*(.*?)[\s.]*\t\s*(\d+)\s*$")
_MARKUP_RE = re.compile(r"\*\*|\*|</?i>")
_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_SUPERSCRIPT_RE = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_MAX_HEADING_WORDS = 24
_LABEL_WORDS = 7  # a lone line this short that heads nothing is a label, not text
# Hard-wrapped lines end on these; headings do not.
_FUNCTION_WORDS = {"och", "i", "för", "att", "som", "av", "med", "till", "på", "en", "ett", "eller", "om", "de", "den", "det"}


@dataclass(frozen=True)
class Heading:
    section: str  # the citation id
    title: str  # the heading text without its number
    label: str  # the heading as it appears in a heading path ("4.2.3 Handläggning och kriterier")
    level: int
    page: int | None  # from the table of contents, where it lists the heading


@dataclass(frozen=True)
class SubHeading:
    text: str


@dataclass
class Unit:
    kind: str  # "paragraph" or "list"
    lines: list[str]
    page: int | None


@dataclass
class _State:
    structure: str
    numbers: tuple[int, ...] = ()
    appendix: str | None = None
    toc_pages: dict[str, int] = field(default_factory=dict)
    seen_heading: bool = False


def clean_markup(text: str) -> str:
    text = _LINK_RE.sub(r"\1", text)
    return _SUPERSCRIPT_RE.sub("", _MARKUP_RE.sub("", text)).strip()


def _follows(previous: tuple[int, ...], number: tuple[int, ...]) -> bool:
    """Whether `number` can be the next heading after `previous` (child, or next at some level)."""
    if not previous:
        return number == (1,)
    if number == previous + (1,):
        return True
    return any(number == previous[:i] + (previous[i] + 1,) for i in range(len(previous)))


def _heading_like(line: str, may_wrap: bool = False) -> bool:
    """Short, capitalised, no sentence end; `may_wrap`: the title may go on on the next line."""
    words = line.split()
    return (
        0 < len(words) <= _MAX_HEADING_WORDS
        and line[:1].isupper()
        and not re.search(r"[.!:;,]$", line.rstrip("”\"’ "))
        and (may_wrap or words[-1].lower() not in _FUNCTION_WORDS)
        and not re.search(r"www\.|https?:|@|\t", line)
    )


def _running_text(block: Block | None) -> bool:
    """Text a heading can stand over: a list, or a paragraph that is not a label or boilerplate."""
    if block is None:
        return False
    if block.kind == "list":
        return True
    letters = [c for c in " ".join(block.lines) if c.isalpha()]
    mostly_capitals = sum(c.isupper() for c in letters) > len(letters) / 2
    one_line_fragment = len(block.lines) == 1 and not ends_sentence(block.first) and block.word_count <= 20
    return not (mostly_capitals or one_line_fragment or is_boilerplate(block))


def _caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and ":" not in line


def _numbered_heading(state: _State, block: Block) -> tuple[Heading, list[str]] | None:
    match = _NUMBERED_RE.match(block.first)
    if not match:
        return None
    number = tuple(int(part) for part in match.group(1).split("."))
    if not _follows(state.numbers, number) or not _heading_like(match.group(2), may_wrap=True):
        return None
    title_lines = [match.group(2)]
    rest = block.lines[1:]
    while rest and rest[0][:1].islower() and len(" ".join(title_lines + [rest[0]]).split()) <= _MAX_HEADING_WORDS:
        title_lines.append(rest.pop(0).strip())
    state.numbers = number
    section = ".".join(map(str, number))
    if state.appendix:
        section = f"{state.appendix}, {section}"
    dotted = match.group(1) + ("." if len(number) == 1 else "")
    title = clean_markup(" ".join(title_lines))
    level = len(number) + (1 if state.appendix else 0)
    return Heading(section, title, f"{dotted} {title}", level, state.toc_pages.get(section)), rest


def _appendix_heading(state: _State, block: Block) -> tuple[Heading, list[str]] | None:
    match = _APPENDIX_RE.match(block.first)
    if not match or state.structure != "numbered" or not state.seen_heading:
        return None
    state.appendix, state.numbers = f"Bilaga {match.group(1)}", ()
    title = clean_markup(match.group(2))
    heading = Heading(state.appendix, title, f"{state.appendix}. {title}", 1, state.toc_pages.get(state.appendix))
    return heading, block.lines[1:]


def _caps_heading_block(block: Block) -> tuple[Heading, list[str]] | None:
    if not _caps_heading(block.first):
        return None
    title_lines = [block.first]
    rest = block.lines[1:]
    while rest and _caps_heading(rest[0].lstrip("~—- ")):
        title_lines.append(rest.pop(0).strip().lstrip("~—- "))
    title = clean_markup(" – ".join(title_lines))
    return Heading(clean_markup(block.raw_first), title, title, 1, None), rest


def _heads_text(candidate: tuple[Heading, list[str]], next_block: Block | None, previous: Block | None) -> bool:
    """A line in capitals is a heading if text follows it, or if it is a title of several words
    after running text (a figure's title: the figure's labels come between it and its text)."""
    heading, rest = candidate
    if rest or _running_text(next_block):
        return True
    return len(heading.title.split()) > 1 and _running_text(previous)


def _read_toc(block: Block) -> dict[str, int]:
    pages: dict[str, int] = {}
    appendix = None
    for line in block.lines:
        match = _TOC_ENTRY_RE.match(line.strip())
        if not match:
            continue
        number, page = match.group(1), int(match.group(3))
        if number.startswith("Bilaga"):
            appendix = number
            pages[number] = page
        else:
            pages[f"{appendix}, {number}" if appendix else number] = page
    return pages


def _plain_heading(block: Block, next_block: Block | None, structure: str) -> tuple[str, list[str]] | None:
    """A short line standing alone (or heading an unwrapped paragraph), with running text after it."""
    if not _heading_like(block.first):
        return None
    rest = block.lines[1:]
    if rest:
        # Only where paragraphs are single lines can the line above a paragraph be its heading.
        if structure != "plain" or not rest[0][:1].isupper() or len(rest[0].split()) < 12:
            return None
        return clean_markup(block.first), rest
    if not _running_text(next_block) or next_block.first[:1].islower():
        return None  # a lower-case start means a paragraph broken by a page, not a heading
    return clean_markup(block.first), []



def _prepare(blocks: list[Block], ocr: bool) -> list[Block]:
    kept = []
    for block in blocks:
        if is_toc(block):
            block.kind = "toc"
        elif is_footnote(block):
            block.kind = "footnote"
        elif is_list(block):
            block.kind = "list"
        elif ocr and is_figure_residue(block):
            block.kind = "figure"
        kept.append(block)
    return kept


def outline(blocks: list[Block], structure: str, ocr: bool) -> list[Heading | SubHeading | Unit]:
    """Headings, sub-headings and text units of one document, in reading order."""
    state = _State(structure)
    events: list[Heading | SubHeading | Unit] = []
    blocks = _prepare(blocks, ocr)
    content = [b for b in blocks if b.kind in {"paragraph", "list"}]
    following = {id(b): content[i + 1] if i + 1 < len(content) else None for i, b in enumerate(content)}
    preceding = {id(b): content[i - 1] if i > 0 else None for i, b in enumerate(content)}
    before: Block | None = None
    for block, before in zip(blocks, [None] + blocks[:-1]):
        if block.kind == "toc":
            state.toc_pages.update(_read_toc(block))
            continue
        if block.kind not in {"paragraph", "list"}:
            continue
        found = None
        if structure == "numbered":
            found = _numbered_heading(state, block) or _appendix_heading(state, block)
        elif structure == "capitals":
            candidate = _caps_heading_block(block)
            if candidate and _heads_text(candidate, following[id(block)], preceding[id(block)]):
                found = candidate
        if found:
            heading, rest = found
            state.seen_heading = True
            events.append(heading)
            if rest:
                events.append(_continuation(rest, block.page))
            continue
        plain = _plain_heading(block, following[id(block)], structure) if block.kind == "paragraph" else None
        if plain and structure == "plain" or plain and structure == "numbered" and not state.seen_heading:
            title, rest = plain
            events.append(Heading(clean_markup(block.raw_first), title, title, 1, None))
            state.seen_heading = True
        elif plain and state.seen_heading:
            title, rest = plain
            events.append(SubHeading(title))
        elif block.kind == "paragraph" and (is_boilerplate(block) or _stray_label(block)) and not _continues(block, before):
            continue
        else:
            events.append(Unit(block.kind, list(block.lines), block.page))
            continue
        if rest:
            events.append(Unit("paragraph", rest, block.page))
    return _merge_broken_paragraphs(events)


def _continues(block: Block, before: Block | None) -> bool:
    """Short lines starting in lower case, right after text that did not end: text broken by a page."""
    return (
        block.first[:1].islower()
        and before is not None
        and before.kind in {"paragraph", "list"}
        and not is_boilerplate(before)
        and not ends_sentence(before.lines[-1])
    )


def _stray_label(block: Block) -> bool:
    """A lone short line that heads nothing: a figure label or a cover line."""
    return len(block.lines) == 1 and len(block.first.split()) <= _LABEL_WORDS and not ends_sentence(block.first)


def _continuation(rest: list[str], page: int | None) -> Unit:
    kind = "list" if BULLET_RE.match(rest[0].strip()) else "paragraph"
    return Unit(kind, rest, page)


def _merge_broken_paragraphs(events: list[Heading | SubHeading | Unit]) -> list[Heading | SubHeading | Unit]:
    """Rejoin text split by a page break: no sentence end before, a small letter after.

    A heading whose title broke onto the next block ("… till nationella" / "och lokala mål …")
    takes that block's first line back.
    """
    merged: list[Heading | SubHeading | Unit] = []
    for event in events:
        previous = merged[-1] if merged else None
        if isinstance(event, Unit) and isinstance(previous, Heading) and _continues_title(previous, event):
            merged[-1] = _extend_title(previous, event.lines[0].strip())
            event = Unit(event.kind, event.lines[1:], event.page)
            if not event.lines:
                continue
        if (
            isinstance(event, Unit)
            and isinstance(previous, Unit)
            and event.lines[0][:1].islower()
            and not ends_sentence(previous.lines[-1])
        ):
            previous.lines.extend(event.lines)
            continue
        merged.append(event)
    return merged


def _continues_title(heading: Heading, unit: Unit) -> bool:
    first = unit.lines[0].strip()
    return (
        (heading.section[:1].isdigit() or heading.section.startswith("Bilaga"))  # numbered headings only
        and unit.kind == "paragraph"
        and first[:1].islower()
        and len(first.split()) <= 8
        and len(unit.lines) > 1
        and len((heading.title + " " + first).split()) <= _MAX_HEADING_WORDS
        and not ends_sentence(first)
    )


def _extend_title(heading: Heading, more: str) -> Heading:
    title = f"{heading.title} {clean_markup(more)}"
    label = f"{heading.label} {clean_markup(more)}"
    return Heading(heading.section, title, label, heading.level, heading.page)
