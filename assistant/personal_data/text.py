"""The text the recognisers read: the message with the characters that hide an identifier undone.

A personnummer written with U+2011 (non-breaking hyphen), U+2212 (minus) or an en dash, or with
a zero-width space between its digits, must look like one written with "-". `Normalised.text`
replaces every dash-like character by "-", every space-like one by " " and full-width digits by
ASCII digits, one character for one, and drops invisible format characters; `original_span`
maps a span found in it back to the message as typed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad"
SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Zero-width space/joiners, word joiner, BOM; soft hyphen is a dash above only when it is visible
# as one, which it is not: it is dropped too.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"

_SPECIAL = {"ı": "i", "ł": "l", "đ": "d", "ß": "s", "ø": "o", "æ": "a", "’": "'"}


class _FoldTable(dict):
    """str.translate's table, filled as characters are met: each folds to one character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        lower = char.lower()[:1] or char
        if lower in _SPECIAL:
            folded = _SPECIAL[lower]
        else:
            base = unicodedata.normalize("NFKD", lower)[:1]
            folded = base if base.isascii() or not base.isalpha() else lower
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case with diacritics removed, one character for one ("Hodžić" → "hodzic", "Yılmaz" →
    "yilmaz", "Rinkebysvängen" → "rinkebysvangen"), so offsets in the folded text are offsets in
    the text: for looking words up and matching suffixes, never for showing."""
    return text.translate(_FOLD_TABLE)


@dataclass(frozen=True)
class Normalised:
    text: str
    # positions[i] is where text[i] was in the original; one entry past the end for spans ending there.
    positions: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.positions[start], self.positions[end - 1] + 1


_TO_NORMALISE = re.compile("[" + re.escape(DASHES + SPACES + INVISIBLE) + "\uff20]|(?![0-9])\\d")


def normalise(original: str) -> Normalised:
    if not _TO_NORMALISE.search(original):  # the usual message: nothing to undo
        return Normalised(original, tuple(range(len(original) + 1)))
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(original):
        if char in INVISIBLE:
            continue
        if char in DASHES:
            char = "-"
        elif char in SPACES:
            char = " "
        elif char == "\uff20":
            char = "@"
        elif char.isdecimal() and not char.isascii():
            # The digits _TO_NORMALISE looks for (\d is Unicode's decimal digits): "²" is one for
            # isdigit but not for \d, and was turned into "2" only when the message had a dash or a
            # space to undo as well, so masking a masked text again could find more in it.
            char = str(unicodedata.digit(char, 0))
        chars.append(char)
        positions.append(index)
    positions.append(len(original))
    return Normalised("".join(chars), tuple(positions))


def without_invisible(text: str) -> str:
    return "".join(c for c in text if c not in INVISIBLE)
