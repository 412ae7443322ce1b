"""Passages from a document's outline: one section at a time, about 60–250 words each.

A section's text is cut only between paragraphs, never inside a list (a list stays whole, with
the sentence that introduces it), preferably where a sub-heading starts. A paragraph longer than
the maximum is cut between sentences. A section whose own text is too short to stand alone
(the lines under "5.2" before "5.2.1") goes with its first sub-section; other short sections
stay as they are, because merging them would cite the wrong section.
"""
import re
from dataclasses import dataclass

from knowledge.corpus.passage import Passage
from knowledge.ingest.blocks import BULLET_RE
from knowledge.ingest.sections import Heading, SubHeading, Unit, clean_markup
from knowledge.ingest.swedish import fold

MIN_WORDS = 60
MAX_WORDS = 250
TOO_SHORT_TO_KEEP = 15  # words; "Attesterat av …" and similar remnants
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
_SUSPENDED_COMPOUND_NEXT = {"och", "eller", "samt"}


@dataclass
class _Piece:
    text: str
    page: int | None
    scope: str | None  # the sub-heading it falls under
    opens_scope: bool  # a sub-heading starts here

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class _Section:
    chain: list[Heading]
    pieces: list[_Piece]

    @property
    def heading(self) -> Heading:
        return self.chain[-1]

    @property
    def words(self) -> int:
        return sum(piece.words for piece in self.pieces)


def join_lines(lines: list[str]) -> str:
    """One paragraph from hard-wrapped lines, undoing end-of-line hyphenation."""
    text = ""
    for line in (line.strip() for line in lines):
        if not text:
            text = line
        elif text.endswith("-") and line[:1].islower():
            last_word = re.findall(r"[\w]+-$", text)
            next_word = line.split()[0]
            if next_word in _SUSPENDED_COMPOUND_NEXT:
                text = f"{text} {line}"  # "arbets- eller studieförberedande"
            elif last_word and last_word[0][:-1].isupper():
                text += line  # "IPS-verksamhet"
            else:
                text = text[:-1] + line
        elif text.endswith("-") and line[:1].isupper():
            text += line  # "Spånga-Tensta"
        else:
            text = f"{text} {line}"
    return clean_markup(re.sub(r"[ \t]+", " ", text))


def _list_text(lines: list[str]) -> str:
    items: list[list[str]] = []
    for line in lines:
        if BULLET_RE.match(line.strip()) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return "\n".join(BULLET_RE.sub(lambda m: "- " if not m.group()[0].isdigit() else m.group(), join_lines(item)) for item in items)


def _split_long(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    for sentence in _SENTENCE_SPLIT_RE.split(text):
        if parts and len((parts[-1] + " " + sentence).split()) <= limit:
            parts[-1] = f"{parts[-1]} {sentence}"
        else:
            parts.append(sentence)
    return parts


def _sections(events: list[Heading | SubHeading | Unit]) -> list[_Section]:
    sections: list[_Section] = []
    chain: list[Heading] = []
    scope: str | None = None
    pending_subheading: str | None = None
    for event in events:
        if isinstance(event, Heading):
            chain = [h for h in chain if h.level < event.level] + [event]
            sections.append(_Section(list(chain), []))
            scope = pending_subheading = None
        elif isinstance(event, SubHeading):
            scope = pending_subheading = event.text
        elif sections:  # text before the first heading is a cover or letterhead
            text = _list_text(event.lines) if event.kind == "list" else join_lines(event.lines)
            opens = pending_subheading is not None
            if opens:
                text = f"{pending_subheading}\n{text}"
                pending_subheading = None
            pieces = sections[-1].pieces
            if event.kind == "list" and pieces and pieces[-1].text.endswith(":") and not opens:
                pieces[-1].text = f"{pieces[-1].text}\n{text}"  # the list stays with its lead-in
            else:
                pieces.append(_Piece(text, event.page, scope, opens))
    return sections


def _fold_intros(sections: list[_Section]) -> list[_Section]:
    """A too-short section text goes with the first sub-section that follows it."""
    folded: list[_Section] = []
    carry: list[_Piece] = []
    for i, section in enumerate(sections):
        section.pieces = carry + section.pieces
        carry = []
        following = sections[i + 1] if i + 1 < len(sections) else None
        is_parent = following is not None and section.heading in following.chain[:-1]
        if is_parent and 0 < section.words < MIN_WORDS:
            carry = section.pieces
            continue
        folded.append(section)
    return folded


def _pack(pieces: list[_Piece]) -> list[list[_Piece]]:
    expanded = [
        _Piece(part, piece.page, piece.scope, piece.opens_scope and j == 0)
        for piece in pieces
        for j, part in enumerate(_split_long(piece.text, MAX_WORDS) if piece.words > MAX_WORDS and "\n- " not in piece.text else [piece.text])
    ]
    groups: list[list[_Piece]] = []
    for piece in expanded:
        size = sum(p.words for p in groups[-1]) if groups else 0
        if groups and size + piece.words <= MAX_WORDS and not (piece.opens_scope and size >= MIN_WORDS):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    for i in (len(groups) - 1, 0):
        if len(groups) > 1 and sum(p.words for p in groups[i]) < MIN_WORDS:
            pair = (groups[i - 1], groups[i]) if i else (groups[0], groups[1])
            rebalanced = _rebalance(pair[0] + pair[1])
            groups[i - 1 if i else 0 : i + 1 if i else 2] = rebalanced
    return groups


def _rebalance(pieces: list[_Piece]) -> list[list[_Piece]]:
    """One group if it fits, else the cut between pieces that makes the larger half smallest."""
    total = sum(p.words for p in pieces)
    if total <= MAX_WORDS or len(pieces) == 1:
        return [pieces]
    best = min(range(1, len(pieces)), key=lambda k: max(sum(p.words for p in pieces[:k]), total - sum(p.words for p in pieces[:k])))
    return [pieces[:best], pieces[best:]]


def _best_page(pieces: list[_Piece], floor: int | None) -> int | None:
    """The page the passage starts on, as far as page headers and the table of contents tell."""
    known = [p for p in (pieces[0].page, floor) if p is not None]
    return max(known) if known else None


def section_slug(section: str) -> str:
    """The section part of a passage id: "4.2.3", "bilaga1-2.3", "kriterier-for-att-enligt-lss"."""
    if re.fullmatch(r"\d+(?:\.\d+)*", section):
        return section
    appendix = re.fullmatch(r"Bilaga (\d+)(?:, ([\d.]+))?", section)
    if appendix:
        return f"bilaga{appendix.group(1)}" + (f"-{appendix.group(2)}" if appendix.group(2) else "")
    words = re.findall(r"[a-z0-9]+", fold(section))
    return "-".join(words if len(words) <= 4 else words[:2] + words[-2:])


def _unique_slug(slugs: dict[str, str], section: str) -> str:
    if section not in slugs:
        slug = section_slug(section)
        taken = set(slugs.values())
        slugs[section] = slug if slug not in taken else f"{slug}-{len(slugs) + 1}"
    return slugs[section]


def build_passages(doc: str, events: list[Heading | SubHeading | Unit]) -> list[Passage]:
    passages: list[Passage] = []
    counters: dict[str, int] = {}
    slugs: dict[str, str] = {}
    floor: int | None = None
    prefix = doc.split("_")[0]
    for section in _fold_intros(_sections(events)):
        for heading in section.chain:
            if heading.page is not None:
                floor = max(floor or 0, heading.page)
        if section.words < TOO_SHORT_TO_KEEP:
            continue
        for group in _pack(section.pieces):
            scopes = {piece.scope for piece in group}
            path = [h.label for h in section.chain] + ([scopes.pop()] if len(scopes) == 1 and None not in scopes else [])
            n = counters[section.heading.section] = counters.get(section.heading.section, 0) + 1
            passages.append(
                Passage(
                    id=f"{prefix}-{_unique_slug(slugs, section.heading.section)}-{n}",
                    doc=doc,
                    section=section.heading.section,
                    heading_path=path,
                    title=section.heading.title,
                    text="\n".join(piece.text for piece in group),
                    page=_best_page(group, floor),
                )
            )
    return passages
