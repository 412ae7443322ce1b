"""Identifiers with a shape: personnummer, samordningsnummer, phone, e-mail, LMA, Dnr, bank account,
date of birth and address. Each recogniser reads the normalised text (assistant.personal_data.text) and
yields spans; assistant.personal_data.find decides overlaps by the order in RECOGNISERS.

What counts, and why, in plain words:
- personnummer/samordningsnummer: any plausible date (YYMMDD or YYYYMMDD, month 01-12, day 01-31,
  or 61-91 for a samordningsnummer) followed by four digits, whatever the check digit – a typo is
  still someone's number; the date may be written as one ("85-04-17-2219"). After "pnr",
  "personnummer" ... any 9-12 digit group, date or not.
- phone: 0 or +46/0046 and 8-10 digits in groups separated by spaces, dots, slashes or dashes,
  "(08)" area codes, glued to letters ("tel0701234567"); after "tel", "mobil", "ring" ... any group
  of 7 or more digits. Clock times ("08.30-16.00") and dates are not phone numbers.
- e-mail: with "@" or written "[at]", "(at)", " at " ... and "[dot]"/"punkt".
- LMA and dossier numbers, Dnr and ärendenummer: the number after the word that names it; a
  Dnr's shape "SN 2024/01234" on its own too. The public documents' own Dnr stay (lexicon).
- date of birth: a full date after "född", "f.", "födelsedatum" ...; a year alone ("född 1998")
  stays, the age is the checker's.
- bank account: the number after "clearing", "kontonr", "bankkonto" ..., an IBAN.
- address: a street name (…gatan, …vägen, "Tensta allé") with a number and floor ("4 tr", "nb"),
  "lgh 1102", a postcode with its ort ("163 71 Spånga") or after "postnr", "Box 123", a street
  written short after "bor på" ("Sveav 44").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from assistant.personal_data.dictionary import is_swedish_form
from assistant.personal_data.text import fold

LEXICON = Path(__file__).with_name("lexicon")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


Recogniser = Callable[[str], Iterator[Span]]

_I = re.IGNORECASE

# ---------------------------------------------------------------- personnummer, samordningsnummer
_ID_NUMBER = re.compile(r"(?<![\d])((?:19|20)?\d{6})(?: ?[-+] ?| - | )?(\d{4})(?!\d)")
# "85-04-17-2219", "1985.04.17-2219": the date written as a date, then "-" or "+" and the four
# (a space there is a date and a clock time: "2025-03-14 1400").
_ID_NUMBER_DATED = re.compile(r"(?<![\d.-])((?:19|20)?\d{2}([-.])\d{2}\2\d{2}) ?[-+] ?(\d{4})(?![\d.-])")
_ID_CUE = re.compile(
    r"\b(?:pnr|p-?nr|pers\.?\s?nr|personnr|personnumm?er|personnumret|samordningsnumm?er|samordningsnr|snr)"
    r"[\s.:=-]*((?:19|20)?\d[\d -]{7,13}\d)(?!\d)", _I)


def id_kind(date_part: str) -> str | None:
    """"personnummer", "samordningsnummer" or None for the 6 or 8 date digits of a 10/12 digit group."""
    date_part = date_part[-6:]
    month, day = int(date_part[2:4]), int(date_part[4:6])
    if not 1 <= month <= 12:
        return None
    if 1 <= day <= 31:
        return "personnummer"
    if 61 <= day <= 91:  # samordningsnummer: the day of birth plus 60
        return "samordningsnummer"
    return None


def _looks_like_mobile(match: re.Match) -> bool:
    # "0701234567" is also a plausible date (2007-01-23) and four digits; written without a
    # separator after the date part and starting 07, it is read as the mobile number it looks like.
    return match.group(0).isdigit() and len(match.group(0)) == 10 and match.group(0).startswith("07")


def personal_numbers(text: str) -> Iterator[Span]:
    for match in _ID_NUMBER.finditer(text):
        kind = id_kind(match.group(1))
        if kind is not None and not _looks_like_mobile(match):
            yield Span(match.start(), match.end(), kind)
    for match in _ID_NUMBER_DATED.finditer(text):
        kind = id_kind(re.sub(r"\D", "", match.group(1)))
        if kind is not None:
            yield Span(match.start(), match.end(), kind)
    for match in _ID_CUE.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 9 <= len(digits) <= 12:
            kind = "samordningsnummer" if fold(match.group(0)).startswith(("samordning", "snr")) else "personnummer"
            yield Span(match.start(1), match.end(1), kind)


# ------------------------------------------------------------------------------------------ phone
_SEP = r"(?:[ ./-]| - | / |\) ?| ?\()"
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00) ?46 ?(?:\(0\) ?)?-?|\(0\d{1,3}\) ?|0)\d(?:" + _SEP + r"?\d){5,11}(?!\d)"
)
_PHONE_CUE = re.compile(
    r"\b(?:tel|tfn|telefon|telefonnr|telefonnummer|telnr|mobil|mobilnr|mobilnummer|mob|nummer|nr|"
    r"ring|ringa|sms|sms:a|nås på|nås)[.:]?\s*((?:\+ ?)?\d(?:" + _SEP + r"?\d){6,13})(?!\d)", _I)
_CLOCK_OR_DATE = re.compile(r"^\d{1,2}[.:]\d{2}(?: ?- ?\d{1,2}[.:]\d{2})?$|^\d{1,2}[./-]\d{1,2}(?:[./ -]\d{2,4})?$")


def _phone_digits(candidate: str) -> int:
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("0046"):
        digits = digits[2:]
    if digits.startswith("46") and candidate.lstrip("( ").startswith(("+", "00")):
        return len(digits) - 2 + 1  # +46 70 ... counts as 070 ...
    return len(digits)


def phones(text: str) -> Iterator[Span]:
    for match in _PHONE.finditer(text):
        candidate = match.group(0)
        if _CLOCK_OR_DATE.match(candidate) or not 8 <= _phone_digits(candidate) <= 11:
            continue
        yield Span(match.start(), match.end(), "telefon")
    for match in _PHONE_CUE.finditer(text):
        candidate = match.group(1)
        if not _CLOCK_OR_DATE.match(candidate) and 7 <= len(re.sub(r"\D", "", candidate)) <= 13:
            yield Span(match.start(1), match.end(1), "telefon")


# ----------------------------------------------------------------------------------------- e-mail
_AT = r"(?: ?@ ?| ?[\[({] ?(?:at|snabel-?a) ?[\])}] ?| at | snabel-?a )"
_DOT = r"(?:\.| ?[\[({] ?(?:dot|punkt) ?[\])}] ?| dot | punkt )"
_EMAIL_HERE = re.compile(r"[\w.+-]+" + _AT + r"[\w-]+(?:" + _DOT + r"[\w-]+)+", _I)
# Searching starts a match only where a run of address characters starts: finditer over
# _EMAIL_HERE alone tries every position inside a long run again to its end (quadratic: 3 s of
# CPU for 12 000 digits). Where a run starts no match, no later start in it does either.
_EMAIL = re.compile(r"(?<![\w.+-])" + _EMAIL_HERE.pattern, _I)
_ADDRESS_CHAR = re.compile(r"[\w.+-]", _I)
_TLD = re.compile(r"(?:se|com|nu|net|org|info|eu|io|fi|no|dk|de|uk|edu|gov|me)$", _I)


def _email_matches(text: str) -> Iterator[re.Match]:
    """The matches finditer(_EMAIL_HERE) finds, in linear time."""
    position = 0
    while True:
        # Right after a match the next may start inside the same run ("a@b.se.+c@d.se").
        match = _EMAIL_HERE.match(text, position) if position and _ADDRESS_CHAR.match(text, position) else None
        match = match or _EMAIL.search(text, position)
        if match is None:
            return
        yield match
        position = match.end()


def emails(text: str) -> Iterator[Span]:
    for match in _email_matches(text):
        written = match.group(0)
        plain_at = "@" not in written and not re.search(r"[\[({]", written)
        if plain_at and not _TLD.search(written):
            continue  # "... at ..." in running text is a mail address only with a real domain ending
        yield Span(match.start(), match.end(), "epost")


# -------------------------------------------------------------------------------- LMA and dossier
_LMA = re.compile(
    r"\b(?:lma|dossier|dossiernr|dossiernumm?er|ut-?kort|uppehållstillståndskort|migrationsverkets)"
    r"(?:[- ]?(?:kort|kortet|nr|numm?er|numret|id))*[\s.:#-]*(?:nr\.?\s*)?"
    r"([A-Z]{0,3}[- ]?\d[\d /-]{2,14}\d)(?!\d)", _I)


def lma_numbers(text: str) -> Iterator[Span]:
    for match in _LMA.finditer(text):
        if len(re.sub(r"\D", "", match.group(1))) >= 4:
            yield Span(match.start(1), match.end(1), "lma")


# ------------------------------------------------------------------------- Dnr and ärendenummer
_DNR_CUE = re.compile(
    r"\b(?:dnr|d-?nr|diarienr|diarienumm?er|diarienumret|diarie nr|ärendenr|ärendenumm?er|ärendenumret|"
    r"ärende nr|ärende-?id|aktnr|aktnumm?er|journalnr|journalnumm?er|referensnr|ref\.? ?nr|beslutsnr|"
    r"ärendet|ärende)[\s.:#-]*(?:nr\.?\s*)?"
    r"((?:[A-ZÅÄÖ]{1,6}[- ]?)?\d[\w./:-]*\d|[A-ZÅÄÖ]{1,6}[- ]?\d)", _I)
_DNR_SHAPE = re.compile(r"\b[A-ZÅÄÖ]{2,6}[ -]?(?:19|20)\d{2}[/:-]\d{1,6}\b")


@lru_cache(maxsize=1)
def public_references() -> frozenset[str]:
    lines = (LEXICON / "public_references.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(_reference_key(line) for line in lines if line.strip() and not line.startswith("#"))


def _reference_key(reference: str) -> str:
    return re.sub(r"[\s.-]", "", reference).upper()


def case_numbers(text: str) -> Iterator[Span]:
    for match in _DNR_CUE.finditer(text):
        number = match.group(1)
        # The cue word alone, its separators stripped: "Nytt ärende. Man 34 år" and "nästa ärende:
        # kille 26" are the plain word before a new person's description, not an ärendenummer.
        cue = fold(text[match.start():match.start(1)]).lower().strip(" .:#-")
        is_plain_word = cue in ("arende", "arendet")
        digits = len(re.sub(r"\D", "", number))
        if is_plain_word and not ("/" in number or digits >= 4):
            continue  # "ärende 2" in running text is not a number; "ärende 2024/123" is
        if digits >= 2 and _reference_key(number) not in public_references():
            yield Span(match.start(1), match.end(1), "dnr")
    for match in _DNR_SHAPE.finditer(text):
        if _reference_key(match.group(0)) not in public_references():
            yield Span(match.start(), match.end(), "dnr")


# -------------------------------------------------------------------------------- date of birth
_MONTHS = (r"(?:jan(?:uari)?|feb(?:ruari)?|mar(?:s)?|apr(?:il)?|maj|jun(?:i)?|jul(?:i)?|aug(?:usti)?|"
           r"sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE = (
    r"(?:(?:19|20)?\d{2}-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])"
    r"|\d{1,2} ?[/.-] ?\d{1,2}(?: ?[/.\s-] ?(?:19|20)?\d{2})?"
    r"|\d{1,2}(?::?e|:a)? (?:den )?" + _MONTHS + r"(?: (?:19|20)?\d{2}| ?['’-]\d{2})?"  # "3 maj -87"
    r"|(?:i )?" + _MONTHS + r" (?:19|20)\d{2})(?![\d/-])"
)
_BIRTH_CUE = re.compile(
    r"(?:\b(?:född|fodd|föddes|foddes|föd|fod|födelsedatum|fodelsedatum|födelsedag|fodelsedag|födelsedatumet|f-datum|"
    r"fdat|fdd|dob)|(?<![\w.])f\.?)[\s.:,]*(?:den |d\. ?|på |i )?(" + _DATE + r")", _I)


def birth_dates(text: str) -> Iterator[Span]:
    for match in _BIRTH_CUE.finditer(text):
        yield Span(match.start(1), match.end(1), "fodelsedatum")


# After a name only a date with its year is a date of birth ("Anna Berg 1998-03-12"); "Click 9.0" is not.
_DATE_WITH_YEAR = (
    r"(?:(?:19|20)?\d{2}-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])"
    r"|\d{1,2} ?[/.-] ?\d{1,2} ?[/.\s-] ?(?:19|20)?\d{2}"
    r"|\d{1,2}(?::?e|:a)? (?:den )?" + _MONTHS + r" (?:19|20)?\d{2})(?![\d/-])"
)
DATE_AFTER_NAME = re.compile(r"^\s*[,(]?\s*(" + _DATE_WITH_YEAR + r")", _I)


# -------------------------------------------------------------------------------------- address
_STREET_SUFFIX = (r"(?:gatan|gata|vagen|vag|grand|granden|backe|backen|torg|torget|stig|stigen|alle|allen|"
                  r"plan|platsen|slingan|svangen|liden|leden|gangen|ringen|promenaden|kajen|stranden|"
                  r"terrassen|hojden|bron|parken|gard|garden|hagen|straket|kroken|udden|angen|vret|"
                  r"branten|tvargatan|esplanaden|dalen|hojd)")
# At most 40 letters before the suffix: no street is longer, and "a-a-a-…" (each letter a word
# start) then costs linear time, not a scan to the end from every start (5 s for 10 000 characters).
_STREET_WORD = re.compile(r"\b[a-z][a-z-]{0,40}?" + _STREET_SUFFIX + r"\b")
_STREET_TWO_WORDS = re.compile(r"\b([a-z]+) (?:vag|gata|alle|backe|grand|torg|plan|plats|stig|gard|gang|strand|hojd|park)\b")
# Read in the folded text. A house's letter is A-H ("5B", "70 b"), never the preposition in
# "Hjulstavägen 15 i Hjulsta"; the floor is "4 tr", "1tr", "3 vån" or "nb"/"bv" (bottenvåningen).
_HOUSE_NUMBER = re.compile(r"^ ?(\d{1,4}(?: ?[a-h](?![a-z]))?(?:(?: ?-| ?,)? ?(?:\d{1,2} ?(?:tr|trappor|trappa|van)\b\.?"
                           r"(?: ned| upp)?|nb\b|n\.b\.|bv\b|bottenvaning(?:en)?\b))?)")
_FLAT = re.compile(r"\b(?:lgh|lägenhet|lagenhet|lägenhetsnr|lägenhetsnumm?er|lgh-?nr|lgh\.nr)\.?[\s.:#]*(?:nr\.?\s*)?(\d{3,4})\b", _I)
_POSTCODE = re.compile(r"(?<![\d-])(?:SE-?)?(\d{3} \d{2}|\d{5})(?![\d-]) ?,? ([A-ZÅÄÖa-zåäöé][a-zåäöé]+(?:[- ][A-ZÅÄÖ][a-zåäöé]+)?)")
_POSTCODE_CUE = re.compile(r"\b(?:postnr|postnumm?er|postnumret)[\s.:]*(\d{3} ?\d{2})(?!\d)", _I)
# A street written short, as in a chat, after "bor på", "adress" ...: "Sveav 44", "Hornsg. 5",
# "Götg 12" (not "Steg 4", "Beslutsdag 3": a Swedish word, or a compound ending in one, is no
# abbreviation; nor a log line's "Starting 2 workers").
_SHORT_STREET_CUE = re.compile(r"\b(?:bor|bor pa|pa|vid|adress|adressen|adressen ar|flyttat till|flyttar till|flytta till)[ :]*$")  # folded
_STREET_SHORT = re.compile(r"\b([A-ZÅÄÖ][a-zåäö]{2,}(?:g|v|gt|vg))(\.?) (\d{1,4}[A-Ha-h]?)\b")
_BOX = re.compile(r"\b(?:box|postbox|c/o)\s+\d{1,6}\b", _I)
# "bor i" is followed by a stadsdel ("bor i Gubbängen", "bor i Björkhagen"), "bor på" by a street.
_ADDRESS_CUE = re.compile(r"(?:bor pa|bor vid|adress|adressen|boende pa|bostad pa|flyttat till|flytta till|flyttar till) ?:? ?$", _I)  # folded
_UNITS = {"ar", "aring", "timmar", "tim", "h", "kr", "kronor", "st", "procent", "dagar", "veckor", "manader", "minuter", "min", "ggr", "personer"}
NOT_A_STREET = frozenset({"jobbtorg", "jobbtorget", "jobbtorgets", "medborgarplatsen", "sergels torg", "plan", "planen", "backen",
                          "bron", "parken", "torget", "gatan", "vagen", "leden", "stranden", "dalen", "hojden", "garden",
                          "hagen", "angen", "ringen", "udden", "kajen", "stigen", "gangen", "kroken", "platsen", "alle"})


def addresses(text: str) -> Iterator[Span]:
    folded = fold(text)  # one character for one: offsets agree with `text`
    for match in _STREET_WORD.finditer(folded):
        word = match.group(0)
        if word in NOT_A_STREET or word.endswith(("planering", "planen")):
            continue
        number = _HOUSE_NUMBER.match(folded[match.end():match.end() + 30])
        capitalised = text[match.start()].isupper()
        if number:
            after = folded[match.end() + number.end():match.end() + number.end() + 20].lstrip()
            if after.split(" ", 1)[0].strip(".,") in _UNITS:
                continue
            yield Span(match.start(), match.end() + number.end(), "adress")
        elif capitalised and _ADDRESS_CUE.search(folded[max(0, match.start() - 20):match.start()]):
            yield Span(match.start(), match.end(), "adress")
    for match in _STREET_TWO_WORDS.finditer(folded):
        number = _HOUSE_NUMBER.match(folded[match.end():match.end() + 30])
        if number and text[match.start()].isupper():
            yield Span(match.start(), match.end() + number.end(), "adress")
    for match in _FLAT.finditer(text):
        yield Span(match.start(), match.end(), "adress")
    for match in _POSTCODE.finditer(text):
        ort = fold(match.group(2))
        if ort in _UNITS or (ort in _COMMON_AFTER_NUMBERS and not match.group(2)[0].isupper()):
            continue
        yield Span(match.start(), match.end(), "adress")
    for match in _BOX.finditer(text):
        yield Span(match.start(), match.end(), "adress")
    for match in _POSTCODE_CUE.finditer(text):
        yield Span(match.start(1), match.end(1), "adress")
    for match in _STREET_SHORT.finditer(text):
        if _SHORT_STREET_CUE.search(folded[max(0, match.start() - 16):match.start()]) and _abbreviation(match.group(1)):
            yield Span(match.start(), match.end(), "adress")


def _abbreviation(word: str) -> bool:
    """No Swedish word nor a compound ending in one (its last 30 letters: linear on any run)."""
    word = word.lower()
    return fold(word) not in NOT_A_STREET and not any(
        is_swedish_form(word[cut:]) for cut in range(max(0, len(word) - 30), len(word) - 2))


_COMMON_AFTER_NUMBERS = {"och", "eller", "i", "pa", "per", "av", "till", "som", "med", "for", "om", "nar", "sedan", "kap", "tim"}


# ------------------------------------------------------------------------------ bank account
# The number after "clearing", "kontonr", "bankkonto" ... (a Nordea personkonto is the
# personnummer itself), or after the bank's name with its clearing number ("Swedbank 8327-9,
# 123 456 789-1"); an IBAN by its shape. "saldo på kontot 2 000 kr" is an amount.
_ACCOUNT_CUE = re.compile(
    r"\b(?:clearing(?:nr|nummer|numret)?|clnr|kontonr|kontonumm?er|kontonumret|konto|kontot|bankkonto|bankkontot|"
    r"personkonto|personkontot|lönekonto|lonekonto|bankgiro|plusgiro|bg|pg|"
    r"swedbank|nordea|handelsbanken|seb|danske bank|länsförsäkringar|lansforsakringar|ica banken|icabanken|skandia)"
    r"[\s.:#-]*(?:nr\.?\s*)?(\d[\d -]{2,24}\d(?:, ?\d[\d -]{4,20}\d)?)(?!\d)", _I)
_AMOUNT_AFTER = re.compile(r"^\s*(?:kr\b|kronor|sek\b|:-|tkr|euro|€|%)", _I)
_IBAN = re.compile(r"\bSE ?\d{2}(?: ?\d{4}){5}\b", _I)


def bank_accounts(text: str) -> Iterator[Span]:
    for match in _ACCOUNT_CUE.finditer(text):
        if len(re.sub(r"\D", "", match.group(1))) >= 4 and not _AMOUNT_AFTER.match(text[match.end():match.end() + 8]):
            yield Span(match.start(1), match.end(1), "konto")
    for match in _IBAN.finditer(text):
        yield Span(match.start(), match.end(), "konto")


RECOGNISERS: tuple[Recogniser, ...] = (emails, personal_numbers, lma_numbers, case_numbers, phones, bank_accounts,
                                       birth_dates, addresses)
# The recognisers that can find something in a text without a digit: every pattern of the others
# needs one (\d), so a message without a digit ("ja", most descriptions) skips them - six regex
# scans, a fifth of masking's time on such a message, with the same spans found.
WITHOUT_DIGITS: tuple[Recogniser, ...] = (emails, addresses)
_DIGIT = re.compile(r"\d")


def recognisers_for(text: str) -> tuple[Recogniser, ...]:
    return RECOGNISERS if _DIGIT.search(text) else WITHOUT_DIGITS
