"""Repair of OCR text whose Swedish letters were lost or misread ("sysselséttning", "&r", "6ver").

Each word is read as a row of slots. Most slots are the printed letter, with a/o standing for
å/ä/ö too (the scans lost almost every diacritic). Some printed characters never occur inside
Swedish words (é, &, 6, a "1" or a capital O between small letters) and must stand for a
Swedish letter. A few letters are sometimes misread ones (d for ä/å/ö in "stddbehov", f for ö
in "ansfkan"); those are tried, at a cost, only when nothing cheaper is a word. Among the
spellings that fit, the clean documents decide: first by the word before ("23 ar" becomes "år",
"det ar" becomes "är"), then by frequency, then by how Swedish the letters look.
"""
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations, product

from knowledge.ingest.lexicon import Lexicon, context_class
from knowledge.ingest.swedish import apply_case, fold

# Printed characters (or pairs) that cannot be right inside a Swedish word, and what they stood for.
_GLYPHS = {"a&": "å", "&a": "ä", "éa": "äå", "oé": "ö", "é": "äåö", "&": "äå", "6": "ö", "1": "l", "O": "ö"}
# Letters that are themselves letters but were also seen misread for others.
_CONFUSIONS = {"d": "äåö", "i": "äål", "f": "ö", "g": "ö", "t": "ö", "n": "h", "a": "ö"}
# Letter pairs seen printed for one letter ("maojlighet", "behodver", "VVagledningen").
_PAIR_CONFUSIONS = {"ao": "ö", "od": "ö", "vv": "v"}
_MAX_CONFUSIONS = 2
_MIN_COMPOUND_PART = 4

_SLOT_RE = re.compile(r"a&|&a|éa|oé|é|&|.", re.IGNORECASE)
# A word as the scan printed it: letters, possibly with glyphs standing in for letters.
TOKEN_RE = re.compile(r"[16&]*[^\W\d_][\w&]*")
_SENTENCE_END = ".!?:"


@dataclass(frozen=True)
class Slot:
    printed: str
    options: str  # letters this slot may stand for instead of the printed one
    forced: bool  # the printed character cannot be right


def read_slots(token: str) -> list[Slot]:
    slots = []
    for match in _SLOT_RE.finditer(token):
        printed = match.group()
        after_small_letter = match.start() > 0 and token[match.start() - 1].islower()
        if printed == "O" and after_small_letter or printed != "O" and printed.lower() in _GLYPHS:
            slots.append(Slot(printed, _GLYPHS[printed if printed == "O" else printed.lower()], True))
        else:
            slots.append(Slot(printed, _CONFUSIONS.get(printed.lower(), ""), False))
    return slots


def _rows(slots: list[Slot], cost: int) -> Iterator[tuple[list[str], set[int]]]:
    """Letter rows the slots may stand for with `cost` misread letters, and the replaced positions."""
    plain = [slot.printed.lower() for slot in slots]
    forced = [i for i, slot in enumerate(slots) if slot.forced]
    optional = [i for i, slot in enumerate(slots) if not slot.forced and slot.options]
    for picks in product(*(slots[i].options for i in forced)):
        letters = list(plain)
        for i, letter in zip(forced, picks):
            letters[i] = letter
        for positions in combinations(optional, cost):
            for swaps in product(*(slots[i].options for i in positions)):
                row = list(letters)
                for i, letter in zip(positions, swaps):
                    row[i] = letter
                yield row, set(forced) | set(positions)


def _candidates(lexicon: Lexicon, slots: list[Slot], cost: int) -> set[str]:
    found = set()
    for row, fixed in _rows(slots, cost):
        for candidate in lexicon.spellings(fold("".join(row))):
            if len(candidate) == len(row) and all(candidate[i] == row[i] for i in fixed):
                found.add(candidate)
    return found


def _pair_variants(token: str) -> Iterator[str]:
    lowered = token.lower()
    for pair, letter in _PAIR_CONFUSIONS.items():
        start = lowered.find(pair)
        while start >= 0:
            yield token[:start] + letter + token[start + 2 :]
            start = lowered.find(pair, start + 1)


def _rank(lexicon: Lexicon, candidate: str, previous: str | None, evidence: Counter) -> tuple:
    return (
        lexicon.bigrams[(previous, candidate)],
        lexicon.counts[candidate],
        evidence[candidate],
        lexicon.letter_score(candidate),
        candidate,
    )


def split_compound(lexicon: Lexicon, folded: str) -> list[str] | None:
    """Fewest known parts, each at least four letters; inner parts may end in a linking "s"."""
    best: dict[int, list[str]] = {0: []}
    for end in range(_MIN_COMPOUND_PART, len(folded) + 1):
        options = []
        for start, parts in list(best.items()):
            part = folded[start:end]
            if len(part) < _MIN_COMPOUND_PART:
                continue
            linked = end < len(folded) and part.endswith("s") and len(part) > _MIN_COMPOUND_PART
            if lexicon.spellings(part) or linked and lexicon.spellings(part[:-1]):
                options.append(parts + [part])
        if options:
            best[end] = min(options, key=len)
    parts = best.get(len(folded))
    return parts if parts and len(parts) > 1 else None


def _restore_part(lexicon: Lexicon, part: str) -> str:
    link = ""
    if not lexicon.spellings(part):
        part, link = part[:-1], "s"
    return max(lexicon.spellings(part), key=lambda c: _rank(lexicon, c, None, Counter())) + link


def _default_row(slots: list[Slot]) -> str:
    return "".join(slot.options[0] if slot.forced else slot.printed.lower() for slot in slots)


def _best_spelling(lexicon: Lexicon, token: str, previous: str | None, evidence: Counter) -> str:
    slots = read_slots(token)
    found = _candidates(lexicon, slots, 0)
    if not found:
        parts = split_compound(lexicon, fold(_default_row(slots)))
        if parts:
            return "".join(_restore_part(lexicon, part) for part in parts)
    if not found:
        found = {c for variant in _pair_variants(token) for c in _candidates(lexicon, read_slots(variant), 0)}
    for cost in range(1, _MAX_CONFUSIONS + 1):
        if found:
            break
        found = _candidates(lexicon, slots, cost)
    if not found:
        return _default_row(slots)
    return max(found, key=lambda c: _rank(lexicon, c, previous, evidence))


def repair_word(lexicon: Lexicon, token: str, previous: str | None = None, evidence: Counter | None = None) -> str:
    """The most likely Swedish spelling of one scanned word, in the scan's capitalisation.

    `previous` is the context class of the word before (see lexicon.context_class); `evidence`
    counts spellings the same scan printed unambiguously elsewhere.
    """
    spelling = _best_spelling(lexicon, token, previous, evidence or Counter())
    if spelling == token.lower():
        return token  # keeps "SoL", "IPS" as printed
    pattern = token
    # A misread capital at the start ("Overbrygga", "Gversyn") is not a capital.
    if token[:1] in {"O", "G"} and token[1:].islower() and spelling[:1] in "åäö":
        pattern = token.lower()
    return apply_case(spelling, pattern)


# The scans print list bullets as a lone "e" at the start of a line.
_BULLET_RE = re.compile(r"^e (?=\S)", re.MULTILINE)
_PIPE_RE = re.compile(r"(?:(?<=^)|(?<=\s))\|(?=\s)", re.MULTILINE)


def _in_capitals_line(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    letters = [c for c in text[line_start : line_end if line_end >= 0 else None] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _is_abbreviation(token: str, text: str, position: int) -> bool:
    """Short capitals in running text ("OSA", "SoL") are abbreviations, not words to respell."""
    return len(token) <= 4 and token[1:].isupper() and not _in_capitals_line(text, position)


def _pipe_as_i(text: str) -> str:
    """A lone "|" is a scanned "I": capital at a sentence start or in a line of capitals."""

    def replace(match: re.Match) -> str:
        before = text[: match.start()].rstrip(" ")
        sentence_start = not before or before[-1] in _SENTENCE_END + "\n"
        return "I" if sentence_start or _in_capitals_line(text, match.start()) else "i"

    return _PIPE_RE.sub(replace, text)


def _evidence(lexicon: Lexicon, tokens: list[str]) -> Counter:
    """Spellings the scan itself settles: words printed with a glyph that fits only one word."""
    evidence: Counter = Counter()
    for token in tokens:
        slots = read_slots(token)
        if any(slot.forced for slot in slots):
            found = _candidates(lexicon, slots, 0)
            if len(found) == 1:
                evidence.update(found)
    return evidence


def repair_text(lexicon: Lexicon, text: str) -> str:
    """Repair every word of a scanned text; spacing, digits and punctuation stay as they are."""
    text = _BULLET_RE.sub("- ", _pipe_as_i(text).replace("®", ""))
    matches = list(re.finditer(TOKEN_RE.pattern + r"|\d+", text))
    evidence = _evidence(lexicon, [m.group() for m in matches if not m.group().isdigit()])
    repaired: dict[tuple[str, str | None], str] = {}
    out: list[str] = []
    position = 0
    previous: str | None = None
    for match in matches:
        token = match.group()
        out.append(text[position : match.start()])
        if not token.isdigit() and not _is_abbreviation(token, text, match.start()):
            key = (token, context_class(previous))
            if key not in repaired:
                repaired[key] = repair_word(lexicon, *key, evidence)
            token = repaired[key]
        out.append(token)
        previous = token
        position = match.end()
    out.append(text[position:])
    return "".join(out)
