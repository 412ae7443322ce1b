"""The corpus API the dialogue calls: passages by id and by (doc, section), and the metadata."""
import hashlib
import re

import pytest

from knowledge.corpus import get_passage, load_metadata, load_passages, passages_for

DOC_002 = "002_4c615ea3040924b7.txt"
DOC_003 = "003_047af5b9a476fcfe.txt"
DOC_004 = "004_ca182c97e8b47f88.txt"


def test_the_five_documents_are_shipped_unchanged():
    for document in load_metadata():
        assert hashlib.sha256(document.path.read_bytes()).hexdigest() == document.sha256, document.file


def test_metadata_ranks_the_governing_document_first():
    documents = sorted(load_metadata(), key=lambda d: d.authority_rank)
    assert [d.file[:3] for d in documents] == ["002", "004", "001", "000", "003"]
    assert documents[0].diarienummer == "SOF 2023/434" and documents[0].date == "2023-10"


def test_passage_ids_are_unique_stable_and_readable():
    passages = load_passages()
    assert len({p.id for p in passages}) == len(passages) > 100
    assert all(re.fullmatch(r"\d{3}-[a-z0-9.\-]+-\d+", p.id) for p in passages)
    assert {p.doc for p in passages} == {d.file for d in load_metadata()}


def test_get_passage_returns_the_criteria_with_their_context():
    passage = get_passage("002-4.2.3-1")
    assert (passage.doc, passage.section, passage.title, passage.page) == (DOC_002, "4.2.3", "Handläggning och kriterier", 18)
    assert passage.heading_path[-1] == "4.2.3 Handläggning och kriterier"
    assert "samtycker till att insatsen samordnas med specialistpsykiatri" in passage.text


def test_an_unknown_passage_is_a_key_error():
    with pytest.raises(KeyError):
        get_passage("002-9.9.9-1")


@pytest.mark.parametrize(
    ("doc", "section"),
    [
        (DOC_002, "4.2.3"),
        (DOC_002, "Bilaga 1, 2.3"),
        (DOC_002, "Bilaga 2"),
        (DOC_004, "Kriterier för att beviljas särskilt individanpassad stödinsats för att underlätta arbete eller studier för personer som tillhör personkrets 1 eller 2 enligt LSS"),
        (DOC_004, "Tidsbegränsning av beslutet"),
        (DOC_003, "LOKAL NARVARO PA JARVA"),
        (DOC_003, "Lokal närvaro på Järva"),
    ],
)
def test_passages_for_finds_sections_as_cited(doc, section):
    assert passages_for(doc, section)


def test_the_four_personas_and_kompetensverkstan_are_in_the_passages():
    text = " ".join(p.text for p in load_passages() if p.doc == DOC_003)
    for name in ("Johan 23 år", "Josef 30 år", "Johanna 25 år", "Younes 25 år", "Kompetensverkstan"):
        assert name in text


def test_the_scanned_text_reads_as_swedish():
    text = " ".join(p.text for p in passages_for("000_b48a09d5901ac1c0.txt", "2.4"))
    assert "1-12 timmar/vecka" in text and "ersättningsmodell" in text and "sysselsättning" in text
