"""Masks personal identifiers in a user's message before anything stores or logs it.

Personnummer and samordningsnummer (10 or 12 digits, with or without "-" or "+", Luhn-checked),
phone numbers and e-mail addresses become placeholders such as "[personnummer]". Conversations
with the assistant are about a person, never identified: the placeholders keep the sentence
readable for NLU ("hon har personnummer [personnummer]") while nothing identifying is kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDERS = {
    "personnummer": "[personnummer]",
    "samordningsnummer": "[samordningsnummer]",
    "telefon": "[telefonnummer]",
    "epost": "[e-post]",
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# YYYYMMDD-NNNN, YYMMDD-NNNN, YYMMDD+NNNN (100 years or older), with or without separator.
_ID_NUMBER = re.compile(r"(?<![\d-])(?:(?:19|20)(\d{6})|(\d{6}))\s?([-+]?)\s?(\d{4})(?!\d)")
# Swedish phone numbers: +46 or 0, then 7–9 more digits in groups separated by spaces or dashes.
_PHONE = re.compile(r"(?<![\w+])(?:\+46\s?\(?0?\)?|0)\s?\d{1,3}(?:[\s-]?\d{2,3}){2,4}(?!\d)")


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: frozenset[str]

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _id_kind(date_part: str, serial: str) -> str | None:
    """"personnummer", "samordningsnummer" or None for a 6+4 digit group."""
    if not luhn_valid(date_part + serial):
        return None
    month, day = int(date_part[2:4]), int(date_part[4:6])
    if not 1 <= month <= 12:
        return None
    if 1 <= day <= 31:
        return "personnummer"
    if 61 <= day <= 91:  # samordningsnummer: the day of birth plus 60
        return "samordningsnummer"
    return None


def mask(text: str) -> Masked:
    kinds: set[str] = set()

    def replace_id(match: re.Match) -> str:
        kind = _id_kind(match.group(1) or match.group(2), match.group(4))
        if kind is None:
            return match.group(0)
        kinds.add(kind)
        return PLACEHOLDERS[kind]

    def replace(kind: str):
        def _replace(match: re.Match) -> str:
            kinds.add(kind)
            return PLACEHOLDERS[kind]
        return _replace

    masked = _EMAIL.sub(replace("epost"), text)
    masked = _ID_NUMBER.sub(replace_id, masked)
    masked = _PHONE.sub(replace("telefon"), masked)
    return Masked(masked, frozenset(kinds))
