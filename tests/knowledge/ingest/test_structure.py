"""Pages, headings and passages: the outline follows the document, lists stay whole."""
from knowledge.ingest.blocks import split_blocks
from knowledge.ingest.chunk import MAX_WORDS, build_passages, join_lines, section_slug
from knowledge.ingest.pages import paginate
from knowledge.ingest.sections import Heading, SubHeading, Unit, outline


def _outline(text: str, structure: str = "numbered", ocr: bool = False):
    return outline(split_blocks(paginate(text, leading_space_page_starts=ocr)), structure, ocr)


def test_page_headers_are_removed_and_number_the_text_after_them():
    lines = paginate("Text på sida sju.\n\nRubrik för dokumentet\n8 (30)\n\nText på sida åtta.", False)
    assert [(line.text, line.page) for line in lines if line.text] == [("Text på sida sju.", None), ("Text på sida åtta.", 8)]


def test_leading_space_page_starts_are_counted_from_a_printed_number():
    text = " Första sidan.\n Andra sidan.\n\nRapport\n12 (13)\n\nTolfte sidan.\n Trettonde sidan."
    pages = {line.text: line.page for line in paginate(text, True) if line.text}
    assert pages == {"Första sidan.": 10, "Andra sidan.": 11, "Tolfte sidan.": 12, "Trettonde sidan.": 13}


def test_without_a_printed_number_pages_stay_unknown():
    assert {line.page for line in paginate(" Sida.\n Sida.", True)} == {None}


def test_numbered_headings_must_follow_in_order_so_footnotes_and_lists_are_text():
    text = (
        "1. Inledning\n\nText om insatsen som är lång nog att vara en mening.\n\n"
        "2 Nationella riktlinjer för vård och stöd, Socialstyrelsen, 2018\n\n"
        "1.1 Vad är sysselsättning?\n\nMer text om sysselsättning här.\n\n"
        "1. det framgår av beslutet att det får återkallas,\n\n"
        "Bilaga 1. Processen i korthet\n\n1. Ansökan\n\n- Ansökan inkommer.\n\n"
        "2. Fatta beslut\n\n- Beslutet ska motiveras.\n\n2.1 Vid bifall – planera\n\n- Skicka beställning."
    )
    headings = [e.section for e in _outline(text) if isinstance(e, Heading)]
    assert headings == ["1", "1.1", "Bilaga 1", "Bilaga 1, 1", "Bilaga 1, 2", "Bilaga 1, 2.1"]


def test_a_heading_broken_over_two_lines_is_one_heading():
    text = "1. Inledning\n\nText.\n\n1.1 Socialpsykiatrins målgrupp och\nsysselsättning\n\nText om målgruppen."
    titles = [e.title for e in _outline(text) if isinstance(e, Heading)]
    assert titles[-1] == "Socialpsykiatrins målgrupp och sysselsättning"


def test_lines_in_capitals_head_the_scanned_report_and_short_lines_are_sub_headings():
    text = (
        "CASEBESKRIVNINGAR\n\nProjektgruppen skapade fyra olika casebeskrivningar som användes i arbetet.\n\n"
        'Johan 23 år, "Den apatiske”\n\nHar en diagnostiserad psykisk funktionsnedsättning och behöver struktur.'
    )
    events = _outline(text, "capitals", ocr=True)
    assert isinstance(events[0], Heading) and events[0].section == "CASEBESKRIVNINGAR"
    assert SubHeading('Johan 23 år, "Den apatiske”') in events


def test_a_paragraph_broken_by_a_page_is_joined_again():
    text = "1. Inledning\n\nDet finns inga krav på att den enskilde ska uppbära\n\nvaraktig sjukersättning för att beviljas insatsen."
    units = [e for e in _outline(text) if isinstance(e, Unit)]
    assert len(units) == 1 and join_lines(units[0].lines).endswith("uppbära varaktig sjukersättning för att beviljas insatsen.")


def test_hyphenated_line_ends_are_joined_but_compounds_and_names_keep_their_hyphen():
    assert join_lines(["sysselsätt-", "ning"]) == "sysselsättning"
    assert join_lines(["arbets-", "eller studieförberedande"]) == "arbets- eller studieförberedande"
    assert join_lines(["i Spånga-", "Tensta"]) == "i Spånga-Tensta"
    assert join_lines(["en IPS-", "verksamhet"]) == "en IPS-verksamhet"


def test_a_list_stays_whole_with_the_sentence_that_introduces_it():
    items = "\n".join(f"- Den enskilde uppfyller krav nummer {i} som beskrivs utförligt här i texten." for i in range(12))
    filler = " ".join(["Inledande text om handläggningen av ansökan."] * 20)
    text = f"1. Kriterier\n\n{filler}\n\nFöljande krav behöver uppfyllas:\n\n{items}"
    passages = build_passages("002_x.txt", _outline(text))
    with_list = [p for p in passages if "- Den enskilde" in p.text]
    assert len(with_list) == 1
    assert with_list[0].text.startswith("Följande krav behöver uppfyllas:") and with_list[0].text.count("\n- ") == 12


def test_long_sections_are_cut_between_paragraphs_within_the_size_bounds():
    paragraph = " ".join(["Handläggaren utreder ansökan enligt DUR och gör en bedömning."] * 8)
    text = "1. Utredning\n\n" + "\n\n".join([paragraph] * 6)
    passages = build_passages("002_x.txt", _outline(text))
    assert len(passages) > 1 and all(60 <= len(p.text.split()) <= MAX_WORDS for p in passages)
    assert [p.id for p in passages] == [f"002-1-{i}" for i in range(1, len(passages) + 1)]


def test_passage_ids_are_readable():
    assert section_slug("4.2.3") == "4.2.3"
    assert section_slug("Bilaga 1, 2.3") == "bilaga1-2.3"
    assert section_slug("LOKAL NÄRVARO PÅ JÄRVA") == "lokal-narvaro-pa-jarva"
    assert section_slug("Kriterier för att beviljas stöd enligt LSS") == "kriterier-for-enligt-lss"


def test_footnotes_opening_with_a_superscript_number_are_not_text_whatever_follows():
    # 002 §5.2.2: a link footnote cut "En ansökan om samordnad … rehabilitering" in two, and the
    # assistant quoted "samordnad Samordning av rehabiliteringsinsatser … Kunskapsguiden".
    text = (
        "5.2 Samordnad rehabilitering\n\nDen enskilde kan ansöka om samordnad rehabilitering. En ansökan om samordnad\n\n"
        "²³ [Samordning av rehabiliteringsinsatser hos Försäkringskassan - Kunskapsguiden](#)\n\n"
        "²⁷ 30 kap. 9 och 11 §§ SFB, Socialförsäkringsbalken.\n\n³ prop. 1979/80:1 s. 528\n\n"
        "rehabilitering ska vara skriftlig."
    )
    units = " ".join(line for e in _outline(text) if isinstance(e, Unit) for line in e.lines)
    assert "Kunskapsguiden" not in units and "SFB" not in units and "prop." not in units
    assert "samordnad" in units and "rehabilitering ska vara skriftlig." in units
