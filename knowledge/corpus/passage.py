"""A passage: the unit the assistant quotes and cites."""
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Passage:
    id: str  # stable and readable: "<doc number>-<section>-<n>", e.g. "002-4.2.3-1"
    doc: str  # the document's file name, e.g. "002_4c615ea3040924b7.txt"
    section: str  # the citation id: "4.2.3", "Bilaga 1, 2.3" or an unnumbered heading
    heading_path: list[str]  # headings from the chapter down, e.g. ["4. …", "4.2 …", "4.2.3 …"]
    title: str  # the heading of the section
    text: str
    page: int | None  # where the text carries page numbers; the page the passage starts on

    def __hash__(self) -> int:
        return hash(self.id)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Passage":
        return cls(**{**data, "heading_path": list(data["heading_path"])})
