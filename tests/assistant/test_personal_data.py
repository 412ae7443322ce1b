"""Identifiers never get past the masking; the domain's own words and numbers (ages, hours,
years, paragraphs, decision dates, Jobbtorg, Parkinson) do. Figures on the whole labelled set are
in benchmarks/masking.py; the held-out targets are asserted at the end of this file."""
import re

import pytest
from hypothesis import given, strategies as st

from assistant.personal_data import PLACEHOLDERS, luhn_valid, mask
from assistant.personal_data.names import corpus_words, lexicon
from assistant.personal_data.structured import public_references
from benchmarks.masking import STRUCTURED, TARGETS, evaluate, load
from nlu.facts import extract_facts


def with_check_digit(nine: str) -> str:
    return next(nine + str(d) for d in range(10) if luhn_valid(nine + str(d)))


PNR = with_check_digit("900101123")        # 900101-1239-style, a valid personnummer
SAMORDNING = with_check_digit("900161123")  # day 61 = the 1st + 60


def masked_as(text: str) -> str:
    return mask(text).text


@pytest.mark.parametrize("written", [
    f"{PNR[:6]}-{PNR[6:]}", PNR, f"19{PNR[:6]}-{PNR[6:]}", f"19{PNR}", f"{PNR[:6]}+{PNR[6:]}", f"{PNR[:6]} - {PNR[6:]}",
    f"{PNR[:6]}\u2013{PNR[6:]}", f"{PNR[:6]}\u2011{PNR[6:]}", f"{PNR[:6]}\u2212{PNR[6:]}", f"{PNR[:3]}\u200b{PNR[3:6]}-{PNR[6:]}",
    f"{PNR[:6]}-\u200d{PNR[6:]}", f"{PNR[:6]} {PNR[6:]}",
])
def test_personnummer_in_every_written_form_is_masked(written):
    masked = mask(f"hon har pnr {written} och vill jobba")
    assert masked.text == "hon har pnr [personnummer] och vill jobba"
    assert masked.kinds == {"personnummer"}


def test_pnr_glued_to_the_number_is_masked_and_the_word_kept():
    assert masked_as(f"pnr-{PNR}") == "pnr-[personnummer]"
    assert masked_as(f"pnr{PNR[:6]}-{PNR[6:]}") == "pnr[personnummer]"


def test_samordningsnummer_is_masked_as_such():
    assert masked_as(f"samordningsnr {SAMORDNING[:6]}-{SAMORDNING[6:]}") == "samordningsnr [samordningsnummer]"


def test_a_number_with_a_wrong_check_digit_is_still_someones_personnummer():
    typo = PNR[:-1] + str((int(PNR[-1]) + 1) % 10)
    assert not luhn_valid(typo)
    assert masked_as(f"pnr {typo[:6]}-{typo[6:]}") == "pnr [personnummer]"


@pytest.mark.parametrize("written", [f"{PNR[:2]}-{PNR[2:4]}-{PNR[4:6]}-{PNR[6:]}", f"19{PNR[:2]}.{PNR[2:4]}.{PNR[4:6]}-{PNR[6:]}",
                                     f"19{PNR[:2]}-{PNR[2:4]}-{PNR[4:6]}+{PNR[6:]}"])
def test_a_personnummer_whose_date_is_written_as_a_date_is_masked(written):
    assert masked_as(f"Klienten, {written}, vill byta handläggare") == "Klienten, [personnummer], vill byta handläggare"


def test_a_date_and_a_clock_time_are_no_personnummer():
    assert masked_as("möte 2025-03-14 1400 på Jobbtorg") == "möte 2025-03-14 1400 på Jobbtorg"


def test_after_the_word_personnummer_a_number_too_short_for_a_date_is_masked_anyway():
    assert masked_as("personnummer 85031-2387") == "personnummer [personnummer]"


@pytest.mark.parametrize("phone", [
    "070-123 45 67", "0701234567", "+46 70 123 45 67", "08-508 000 00", "+46701234567", "070.123.45.67",
    "070/123 45 67", "(08) 508 000 00", "070 - 123 45 67", "+46-70-123 45 67", "0046 70 123 45 67",
    "+46 (0)70 123 45 67", "08/123 45 67",
])
def test_phone_numbers_are_masked(phone):
    assert masked_as(f"ring henne på {phone} imorgon") == "ring henne på [telefon] imorgon"


def test_a_phone_number_glued_to_letters_is_masked():
    assert masked_as("tel0701234567 eller mob:073-111 22 33") == "tel[telefon] eller mob:[telefon]"


@pytest.mark.parametrize("email", [
    "anna.andersson@stockholm.se", "anna.andersson[at]gmail.com", "a.berg (at) hotmail (dot) com",
    "anna.berg [at] live.se", "anna_berg@edu.stockholm.se",
])
def test_email_addresses_are_masked_however_the_at_is_written(email):
    assert masked_as(f"mejla {email} idag") == "mejla [e-post] idag"


@pytest.mark.parametrize("text, expected", [
    ("LMA-nummer 12-345678", "LMA-nummer [lma]"),
    ("han har LMA-kort 123 456 789", "han har LMA-kort [lma]"),
    ("dossiernummer 1234567", "dossiernummer [lma]"),
    ("Dnr SN 2024/01234", "Dnr [dnr]"),
    ("ärendenummer 2024-5567", "ärendenummer [dnr]"),
    ("diarienr: 3.2.1-456/2024", "diarienr: [dnr]"),
    ("tidigare beslut SDF 2023:889", "tidigare beslut [dnr]"),
    ("ärende 2023/7781 gäller", "ärende [dnr] gäller"),
])
def test_lma_dossier_dnr_and_arendenummer_are_masked(text, expected):
    assert masked_as(text) == expected


def test_the_public_documents_own_diarienummer_stay_readable():
    assert masked_as("Dnr SOF 2023/434") == "Dnr SOF 2023/434"
    assert masked_as("enligt dnr 3.1.1-70/2022") == "enligt dnr 3.1.1-70/2022"


def test_every_diarienummer_in_the_corpus_is_listed_as_public():
    from assistant.personal_data.names import CORPUS
    from assistant.personal_data.structured import _reference_key

    found = set()
    for path in CORPUS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"(?:Dnr\.?|dnr|diarienummer:)\s*([A-Z]{2,4} \d{4}/\d+|\d+\.\d+\.\d+-\d+/\d{4})", text))
    assert found, "the corpus names its Dnr"
    assert {_reference_key(f) for f in found} <= public_references()


@pytest.mark.parametrize("text, expected", [
    ("född 1998-03-12", "född [födelsedatum]"),
    ("f. 12/3 98", "f. [födelsedatum]"),
    ("född 12 mars 1998", "född [födelsedatum]"),
    ("födelsedatum: 980312", "födelsedatum: [födelsedatum]"),
    ("fodd 4 feb 1999 i Mogadishu", "fodd [födelsedatum] i Mogadishu"),
    ("F. 05/11-89, arbetslös", "F. [födelsedatum], arbetslös"),
    ("Anna Svensson 1998-03-12 har adhd", "[namn] [födelsedatum] har adhd"),
    ("han föddes 12 maj 1990", "han föddes [födelsedatum]"),
    ("född den 3 maj -87 i Kabul", "född den [födelsedatum] i Kabul"),
    ("f. 12 mars '92", "f. [födelsedatum]"),
])
def test_dates_of_birth_are_masked_in_the_usual_formats(text, expected):
    assert masked_as(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Klienten heter Mohammed Ali och är 28 år", "Klienten heter [namn] och är 28 år"),
    ("klienten heter mohammed ali och är 28", "klienten heter [namn] och är 28"),
    ("hennes mamma Fatima vill vara med", "hennes mamma [namn] vill vara med"),
    ("Josef Lindqvist har fbs", "[namn] har fbs"),
    ("Träffade Abdi Warsame i dag", "Träffade [namn] i dag"),
    ("Klienten Piotr Kowalski, 41 år", "Klienten [namn], 41 år"),
    ("Jag pratade med Hodžićs kurator", "Jag pratade med [namn] kurator"),
    ("Aminas bror Yusuf följer med", "[namn] bror [namn] följer med"),
    ("mvh Karin", "mvh [namn]"),
    ("Hon heter Berg i efternamn", "Hon heter [namn] i efternamn"),
    ("vi har en tjej, Tuuli Kärkkäinen, som vill jobba", "vi har en tjej, [namn], som vill jobba"),
    ("Gezim är 24 och bor hemma", "[namn] är 24 och bor hemma"),
    ("Enligt Teodora Bekele på psykiatrin", "Enligt [namn] på psykiatrin"),
    ("c/o Andersson", "c/o [namn]"),
    ("Klient: A.M., 33 år", "Klient: [namn], 33 år"),
    ("Saido Tenstagången 12 lgh 1305", "[namn] [adress]"),
    ("Marwa 980368-2245", "[namn] [samordningsnummer]"),
    ("Fartun Cali vill plugga", "[namn] vill plugga"),
    ("pratade med zakariye i telefon", "pratade med [namn] i telefon"),
    ("sms:a ayan om tiden", "sms:a [namn] om tiden"),
    ("Wiidos situation är svår", "[namn] situation är svår"),
    ("Pnr 850312-2387", "Pnr [personnummer]"),  # a label before a number is no name
    ("Tel 070-123 45 67", "Tel [telefon]"),
    # a sentence's unknown first word before what a person does
    ("Sahro skriver till mig på mejlen", "[namn] skriver till mig på mejlen"),
    ("Hibaaq flyttade från Husby i maj", "[namn] flyttade från Husby i maj"),
    # a genitive before a kin word whose stem is a word only typed without å/ä/ö ("hålla")
    ("Hallas mamma ringde i dag", "[namn] mamma ringde i dag"),
    # a surname's shape and no word as written
    ("Vi träffade Virtanen och Petterssen", "Vi träffade [namn] och [namn]"),
    # names made of names are no compound of Swedish words; a surname's shape first, before a verb
    ("Vi träffade Stenmark och Sjöstrand", "Vi träffade [namn] och [namn]"),
    ("Stålhammar har varit sjukskriven", "[namn] har varit sjukskriven"),
    ("Lindgren har adhd", "[namn] har adhd"),
    # a message from someone, a call back
    ("fick mejl från Baraka om tiden", "fick mejl från [namn] om tiden"),
    ("ringde upp idris på eftermiddagen", "ringde upp [namn] på eftermiddagen"),
    ("specialistläkare dr. Abdirashid", "specialistläkare dr. [namn]"),
])
def test_names_are_masked_first_last_full_with_or_without_context(text, expected):
    assert masked_as(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Pelle, 45, bor hemma", "[namn], 45, bor hemma"),
    ("Janne Ek vill träffa folk", "[namn] vill träffa folk"),
    ("Lotta Sjö har god man", "[namn] har god man"),
    ("klienten robban har adhd", "klienten [namn] har adhd"),
])
def test_swedish_short_forms_of_first_names_are_names(text, expected):
    assert masked_as(text) == expected


@pytest.mark.parametrize("ordinary", [
    "Familjen kom från Bagdad 2015", "Mötet blir på Stadsdelsförvaltningen", "Han har F-skatt",
    "Motet blev installt", "Hon har Lönebidrag 2 år", "Han växte upp i Mogadishu och Nairobi",
    "Bor i Gubbängen, Hökarängen eller Stureby", "Möte på Jobbtorg Bandhagen och sedan Sköndal",
    "Pengarna går till Handelsbanken eller Nordea", "pratade med soc och bup", "ring växeln eller ring fk",
    "Pnr saknas", "Tel saknas", "Steg 4 och Kap 2", "saldo på kontot 2 000 kr",
    "Nämndens beslut kom i går", "Stadsmissionens café har plats", "Handläggarens bedömning är klar",
    "Klientens mamma ringde", "Grannens son hjälper till", "Processen har tagit tid", "Medicinen har hjälpt",
    "fick brev från Försäkringskassan",
])
def test_swedish_words_places_and_banks_are_no_names(ordinary):
    assert masked_as(ordinary) == ordinary


@pytest.mark.parametrize("text, expected", [
    ("clearing 8327-9, konto 914 123 456-7", "clearing [kontonummer], konto [kontonummer]"),
    ("Bankkonto 3300 850312 2387 (Nordea personkonto)", "Bankkonto [kontonummer] (Nordea personkonto)"),
    ("Lön sätts in på Swedbank 8327-9, 123 456 789-1", "Lön sätts in på Swedbank [kontonummer]"),
    ("IBAN SE45 5000 0000 0583 9825 7466", "IBAN [kontonummer]"),
    ("bankgiro 123-4567", "bankgiro [kontonummer]"),
])
def test_bank_account_numbers_are_masked(text, expected):
    assert masked_as(text) == expected


def test_hans_before_a_surname_is_a_first_name_but_before_a_first_name_or_a_word_it_is_his():
    assert masked_as("Hans Berg har försörjningsstöd") == "[namn] har försörjningsstöd"
    assert masked_as("Hans mamma Ulla har ringt") == "Hans mamma [namn] har ringt"
    assert masked_as("Hans Ahmed är 30") == "Hans [namn] är 30"


@pytest.mark.parametrize("text, expected", [
    ("bor på Rinkebysvängen 12, 163 71 Spånga", "bor på [adress]"),
    ("Hagalundsgatan 4, lgh 1102 i Solna", "[adress] i Solna"),
    ("adress: Tensta allé 19", "adress: [adress]"),
    ("hon bor på Taxingegränd sedan i våras", "hon bor på [adress] sedan i våras"),
    ("flyttat till Sveavägen 44B", "flyttat till [adress]"),
    ("skicka till 16371 Spånga", "skicka till [adress]"),
    ("Hon bor på Tensta allé 23 nb, hissen är trasig", "Hon bor på [adress], hissen är trasig"),
    ("bor Bredängsvägen 200 1tr sedan i somras", "bor [adress] sedan i somras"),
    ("Hjulstavägen 15 i Hjulsta", "[adress] i Hjulsta"),
    ("adressen är Sveav 44", "adressen är [adress]"),
    ("bor på Hornsg. 5", "bor på [adress]"),
    ("postnr 163 71", "postnr [adress]"),
])
def test_addresses_are_masked_street_and_number_floor_postcode_and_ort_lgh(text, expected):
    assert masked_as(text) == expected


@pytest.mark.parametrize("ordinary", [
    "hon är 28 år", "20 timmar i veckan", "4 kap. 2 § SoL", "Dnr SOF 2023/434", "född 1998", "personkrets 1",
    "22-40 tim/v", "kontakt sedan 2021-06-15", "Beslut 2024-03-12 om 10-24 timmar",
    "Han har Parkinsons sjukdom och Aspergers syndrom", "Jobbtorg, Alfa, Iwork, Komvux och Kompetensverkstan",
    "Försäkringskassan och Arbetsförmedlingen i Spånga-Tensta och Rinkeby", "kl 08.30-16.00 på Jobbtorget",
    "Per vecka träffar han kuratorn. Hans mamma bor i Rinkeby.", "Max 20 timmar, uppföljning 2025-06-30",
    "han har LMA-kort men inget jobb", "ärende 2 i dag", "vill låna pengar", "praktik på Coop i Vällingby",
    "Insteg i fyra månader via Iwork", "FINSAM och SIP med psykiatrin", "S:t Görans sjukhus",
])
def test_ordinary_words_and_numbers_are_left_alone(ordinary):
    assert masked_as(ordinary) == ordinary


@pytest.mark.parametrize("ordinary", [
    # compounds the dictionary lacks, of two of its words
    "Vi diskuterade Introduktionsjobb och Nystartsjobb", "Hon vill ha Lönebidragsjobb eller Extratjänst",
    "Han trivs på Återbruksverkstaden", "Han har Kontaktperson och Boendestödjare",
    # a first word that does nothing a person does
    "Bankid fungerar inte", "Ekbistånd räcker inte till hyran", "Netflix tittar han på hela dagarna",
    # organisations: after an acronym, a word that is a word as written, compass words
    "Praktik på ICA Maxi i Haninge", "Praktik på Kafé Kompassen", "Psykiatri Södra och Mottagningen Norra",
    # languages, diagnoses, medicines and apps the dictionary lacks
    "Hon pratar Tigrinja och Amhariska, han Oromo", "Han har Fibromyalgi och Diabetes, står på Concerta",
    "Hon har inget BankID och skriver på WhatsApp",
])
def test_compounds_organisations_languages_and_diagnoses_are_no_names(ordinary):
    assert masked_as(ordinary) == ordinary


@pytest.mark.parametrize("opening", [
    "Kvinna 25 år med psykisk funktionsnedsättning", "Tjej 19 år sitter hemma", "Kille, 22 år, vill plugga",
    "Flicka 17 år", "Klienten 30 år", "Mamman 45 år ringde", "Sökande 52 år med fsd",
])
def test_the_words_a_case_description_opens_with_are_not_names(opening):
    assert masked_as(opening) == opening


@pytest.mark.parametrize("text", ["Okej, nu ett nytt ärende. Man 34 år i personkrets 2", "Nästa ärende: kille 26 i målgruppen"])
def test_a_new_person_after_the_word_arende_keeps_the_age(text):
    assert masked_as(text) == text


def test_facts_the_checker_needs_survive_masking():
    text = ("Klienten heter Abdi Warsame, pnr 850312-2387, tel 070-123 45 67, bor på Rinkebysvängen 12. "
            "Han är 28 år, har kontakt med psykiatrin, personkrets 1, vill jobba 20 timmar i veckan.")
    before = extract_facts(text)
    assert before.get("alder") == 28
    assert extract_facts(masked_as(text)) == before


def test_the_kinds_found_name_their_placeholders():
    masked = mask("Anna Berg, 070-123 45 67, anna@example.se")
    assert masked.kinds == {"namn", "telefon", "epost"}
    assert all(PLACEHOLDERS[kind] in masked.text for kind in masked.kinds)


def test_invisible_characters_are_dropped_from_the_masked_text():
    assert "\u200b" not in masked_as("hon\u200b heter\u200b Anna")


def test_a_superscript_digit_is_read_alike_whether_or_not_the_message_has_a_dash_to_undo():
    # Found by the property below: "²" became "2" only beside a soft hyphen, so masking twice differed.
    assert mask("0A\u00ad²").text == mask("0A²").text == mask(mask("0A\u00ad²").text).text


def test_a_name_placeholder_is_no_identifier_that_makes_the_word_before_it_a_name():
    # Hypothesis found it: "Ø" is a name, "À" at the start is not; masking again must not make
    # "À" one because "[namn]" follows it the way an address follows a name in a note.
    assert masked_as("À,Ø") == "À,[namn]" == masked_as("À,[namn]")
    assert masked_as("Saido Tenstagången 12") == "[namn] [adress]"


@given(st.text())
def test_masking_is_idempotent(text):
    once = mask(text).text
    assert mask(once).text == once


def test_no_listed_name_is_a_word_the_corpus_uses():
    """A name that is also a Swedish word would be masked wherever the word is written; such
    names belong in name_words.txt, which masks them only where the context says name."""
    assert not {w for w in lexicon().names.exact if w in corpus_words(lower_case_only=True)}


def test_the_held_out_split_meets_the_targets():
    report = evaluate(load("heldout"))
    assert report.with_identifiers >= 200 and report.sentences - report.with_identifiers >= 200
    assert report.recall(STRUCTURED) >= TARGETS["structured"]
    assert report.recall({"namn", "adress"}) >= TARGETS["names_addresses"]
    assert report.over_masking <= TARGETS["over_masking"]
    assert report.facts_lost == 0


@pytest.mark.parametrize("unit", ["a", "A", "0", "1.", "0-", "a@", "a-", "A.M. ", "Sveav 1 "])
def test_masking_time_grows_linearly_with_a_long_run_of_one_pattern(unit):
    """A run of word characters without "@" once cost quadratic time in the e-mail pattern
    (20 000 letters: 56 s, longer than any request may take). Measured as a ratio in one run, so
    the machine's load cancels out: eight times the text must not take twenty times as long."""
    import time

    def seconds(length: int) -> float:
        text = unit * (length // len(unit))
        best = float("inf")
        for _ in range(3):
            started = time.process_time()  # this process's CPU: other helpers' load does not count
            mask(text)
            best = min(best, time.process_time() - started)
        return best

    short, long = seconds(2_500), seconds(20_000)
    assert long < 20 * max(short, 0.001), (short, long)


@given(st.text(alphabet="ab1.+-@ [](){}atpunkse", max_size=80))
def test_the_linear_email_search_finds_what_a_plain_search_finds(text):
    from assistant.personal_data.structured import _EMAIL_HERE, _email_matches

    assert [m.span() for m in _email_matches(text)] == [m.span() for m in _EMAIL_HERE.finditer(text)]


def test_the_dictionary_knows_inflected_swedish_forms_and_no_names():
    from assistant.personal_data.dictionary import is_swedish_form

    assert is_swedish_form("familjen") and is_swedish_form("skulderna") and is_swedish_form("motet")  # typed without ö
    assert not any(is_swedish_form(name) for name in ("warsame", "fadumo", "hagos", "ahmed"))


def test_the_dictionary_cache_is_read_back_as_written(tmp_path, monkeypatch):
    import array

    from assistant.personal_data import dictionary

    exact, folded = array.array("I", [3, 7, 9]), array.array("I", [5])
    monkeypatch.setattr(dictionary, "_build", lambda: (exact, folded))
    monkeypatch.setattr(dictionary, "CACHE", tmp_path)
    dictionary._forms.cache_clear()
    try:
        assert dictionary._forms() == (exact, folded)  # built, then written
        monkeypatch.setattr(dictionary, "_build", lambda: (_ for _ in ()).throw(AssertionError("built twice")))
        dictionary._forms.cache_clear()
        assert dictionary._forms() == (exact, folded)  # read from the file
    finally:
        dictionary._forms.cache_clear()


def test_the_app_reads_the_masking_dictionary_at_start_so_no_message_waits_for_it():
    from fastapi.testclient import TestClient

    from assistant.main import create_app
    from assistant.personal_data import dictionary

    dictionary._forms.cache_clear()
    with TestClient(create_app()):
        assert dictionary._forms.cache_info().currsize == 1
