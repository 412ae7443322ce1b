"""The documents' metadata (metadata.yaml beside the texts)."""
from dataclasses import dataclass
from pathlib import Path

import yaml

CORPUS_DIR = Path(__file__).parent
METADATA_FILE = CORPUS_DIR / "metadata.yaml"
STRUCTURES = {"numbered", "capitals", "plain"}


@dataclass(frozen=True)
class DocumentMeta:
    file: str
    sha256: str
    title: str
    issuer: str
    date: str
    diarienummer: str | None
    authority_rank: int
    authority: str
    structure: str
    ocr: bool
    page_starts: str | None = None

    @property
    def path(self) -> Path:
        return CORPUS_DIR / self.file

    def read_text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def read_metadata(path: Path = METADATA_FILE) -> list[DocumentMeta]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["documents"]
    documents = [DocumentMeta(**entry) for entry in entries]
    for document in documents:
        if document.structure not in STRUCTURES:
            raise ValueError(f"{document.file}: structure must be one of {sorted(STRUCTURES)}")
    return documents
