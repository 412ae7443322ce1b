"""Page numbers from the text layer: "12 (17)" page headers and, in some scans, a leading space on
the first line of every page.

A page header is the marker line and the running title above it (back to the previous blank
line); both are removed. Where a document prints markers only on some pages, text after a
marker is known to be on that page or later; the table of contents adds the same kind of lower
bound at each heading (see sections.py).
"""
import re
from dataclasses import dataclass

_MARKER_RE = re.compile(r"^\s*(\d{1,3}) \((\d{1,3})\)\s*$")


@dataclass(frozen=True)
class PagedLine:
    text: str
    page: int | None
    page_start: bool = False  # the first line of a page, where a block may break without a blank line
    raw: str = ""  # the line as the file has it, before OCR repair (unnumbered section ids use it)


def _header_start(lines: list[str], marker: int) -> int:
    start = marker
    while start > 0 and lines[start - 1].strip():
        start -= 1
    return start


def paginate(text: str, leading_space_page_starts: bool, raw: str | None = None) -> list[PagedLine]:
    """The document's lines without page headers, each with the page it is on (None if unknown).

    With `leading_space_page_starts`, a line starting with one space begins a page; the pages are
    numbered only if a printed page header anchors the count. `raw` is the text before OCR
    repair, line for line.
    """
    lines = text.split("\n")
    raw_lines = (raw if raw is not None else text).split("\n")
    markers = {i: int(m.group(1)) for i, line in enumerate(lines) if (m := _MARKER_RE.match(line))}
    headers = {i: _header_start(lines, i) for i in markers}
    removed = {j for marker, start in headers.items() for j in range(start, marker + 1)}
    known_starts = {start: markers[marker] for marker, start in headers.items()}

    starts = dict(known_starts)
    unnumbered: list[int] = []
    if leading_space_page_starts:
        unnumbered = [i for i, line in enumerate(lines) if re.match(r"^ \S", line) and i not in removed]
        starts.update(_number_page_starts(sorted(set(unnumbered) | set(known_starts)), known_starts))

    paged: list[PagedLine] = []
    page = None
    for i, line in enumerate(lines):
        page = starts.get(i, page)
        if i not in removed:
            paged.append(PagedLine(line.strip(), page, page_start=i in unnumbered, raw=raw_lines[i].strip()))
    return paged


def _number_page_starts(starts: list[int], known: dict[int, int]) -> dict[int, int | None]:
    """Count pages from the printed numbers; unknown (None) unless every printed number agrees."""
    offsets = {known[line] - position for position, line in enumerate(starts) if line in known}
    if len(offsets) != 1:
        return {line: None for line in starts}
    offset = offsets.pop()
    return {line: position + offset for position, line in enumerate(starts)}
