"""OCR repair: scanned Swedish words back to their spelling."""
import pytest

from knowledge.ingest.lexicon import lexicon_from
from knowledge.ingest.ocr import repair_text, repair_word

WORDS = ["sysselsättning", "är", "år", "över", "försörjningsstöd", "stödbehov", "ansökan", "för", "for", "vara", "våra",
         "dialog", "genomföra", "kartläggning", "arbetsmarknaden", "ösa", "insats", "verksamheterna", "sysselsättnings"]
CLEAN = "Det är bra. Det är så. Personer över 65 år och under 35 år. Stöd för den som vill vara med. Det är för sent."


@pytest.fixture(scope="module")
def lexicon():
    return lexicon_from(WORDS, [CLEAN])


@pytest.mark.parametrize(
    ("scanned", "repaired"),
    [
        ("sysselséttning", "sysselsättning"),  # é for ä
        ("&r", "är"),  # & for ä
        ("6ver", "över"),  # 6 for ö
        ("forsorjningsstod", "försörjningsstöd"),  # lost diacritics
        ("stddbehov", "stödbehov"),  # a misread letter (d for ö), tried only when nothing cheaper fits
        ("ansfkan", "ansökan"),
        ("FORSORJNINGSSTOD", "FÖRSÖRJNINGSSTÖD"),  # capitals stay capitals
        ("Sysselsattning", "Sysselsättning"),
    ],
)
def test_scanned_words_get_their_swedish_letters_back(lexicon, scanned, repaired):
    assert repair_word(lexicon, scanned) == repaired


def test_the_word_before_decides_between_spellings(lexicon):
    assert repair_text(lexicon, "mellan 55 och 64 ar") == "mellan 55 och 64 år"
    assert repair_text(lexicon, "det ar bra") == "det är bra"


def test_frequency_in_the_clean_documents_decides_otherwise(lexicon):
    assert repair_text(lexicon, "stod for") == "stöd för"
    assert repair_text(lexicon, "vara med") == "vara med"


def test_compounds_are_repaired_part_by_part(lexicon):
    assert repair_word(lexicon, "sysselsattningsverksamheterna") == "sysselsättningsverksamheterna"


def test_abbreviations_in_running_text_are_left_alone(lexicon):
    assert repair_text(lexicon, "offentligt skyddad anställning (OSA) och SoL") == "offentligt skyddad anställning (OSA) och SoL"


def test_a_lone_bar_is_a_scanned_capital_or_small_i(lexicon):
    assert repair_text(lexicon, "| dialog med") == "I dialog med"
    assert repair_text(lexicon, "bra. | dialog") == "bra. I dialog"
    assert repair_text(lexicon, "INSATSER | REGION") == "INSATSER I REGION"


def test_scanned_bullets_become_list_markers(lexicon):
    assert repair_text(lexicon, "e genomfora en kartlaggning") == "- genomföra en kartläggning"


def test_lines_digits_and_punctuation_stay_where_they_were(lexicon):
    text = "1-12 timmar/vecka\n(2001:453), SoL &r:\n"
    assert repair_text(lexicon, text) == "1-12 timmar/vecka\n(2001:453), SoL är:\n"
