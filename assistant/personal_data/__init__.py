"""Masks personal identifiers in a user's message before anything stores or logs it.

Every way in – /api/chat, the socket.io channel, the Teams channel (through
assistant.user_input.incoming), feedback and the log formatter – calls `mask` here and nowhere
else. Conversations with the assistant are about a person, never identified: each identifier
becomes a placeholder naming its kind ("Klienten heter [namn], bor på [adress]"), so the sentence
stays readable for NLU and the reply can say what was removed without repeating it.

The recognisers: structured.py (numbers, e-mail, dates of birth, addresses) and names.py (name
lists, capitalisation, context). How well they do is measured on a labelled set, half of it never
tuned on: `python -m benchmarks.masking` (docs/privacy.md has the figures).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.personal_data.names import names
from assistant.personal_data.structured import DATE_AFTER_NAME, Span, recognisers_for
from assistant.personal_data.text import normalise, without_invisible

PLACEHOLDERS = {
    "namn": "[namn]",
    "personnummer": "[personnummer]",
    "samordningsnummer": "[samordningsnummer]",
    "telefon": "[telefon]",
    "epost": "[e-post]",
    "adress": "[adress]",
    "fodelsedatum": "[födelsedatum]",
    "dnr": "[dnr]",
    "lma": "[lma]",
    "konto": "[kontonummer]",
}
# How the notice to the user names each kind (assistant.user_input.identifier_notice).
KIND_WORDS = {
    "namn": "namn",
    "personnummer": "personnummer",
    "samordningsnummer": "samordningsnummer",
    "telefon": "telefonnummer",
    "epost": "e-postadress",
    "adress": "adress",
    "fodelsedatum": "födelsedatum",
    "dnr": "diarie- eller ärendenummer",
    "lma": "LMA- eller dossiernummer",
    "konto": "bank- eller kontonummer",
}
# Structured identifiers first: a name inside an e-mail address is part of the address.
_ORDER = ("epost", "konto", "personnummer", "samordningsnummer", "lma", "dnr", "telefon", "fodelsedatum", "adress", "namn")
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
# Spans of one kind separated only by these become one placeholder ("[namn]" for "Anna Svensson",
# "[adress]" for "Rinkebysvängen 12, 163 71 Spånga").
_JOINERS = {"namn": re.compile(r"^[ -]?$"), "adress": re.compile(r"^[ ,]{0,3}$")}


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: frozenset[str]
    spans: tuple[Span, ...] = ()  # in the original text

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def find(text: str, prose: bool = True) -> list[Span]:
    """The identifiers in `text`, as spans of the normalised text (assistant.personal_data.text);
    `prose` as in names.names."""
    taken = [False] * len(text)
    name_placeholders = []
    for placeholder in _PLACEHOLDER.finditer(text):
        taken[placeholder.start():placeholder.end()] = [True] * (placeholder.end() - placeholder.start())
        if placeholder.group(0) == PLACEHOLDERS["namn"]:
            name_placeholders.append(placeholder.span())
    candidates = [span for recognise in recognisers_for(text) for span in recognise(text)]
    candidates.sort(key=lambda s: (_ORDER.index(s.kind), s.start, -(s.end - s.start)))
    chosen: list[Span] = []

    def take(span: Span) -> None:
        if span.end > span.start and not any(taken[span.start:span.end]):
            taken[span.start:span.end] = [True] * (span.end - span.start)
            chosen.append(span)

    for span in candidates:
        take(span)
    # A name placeholder is no identifier to the name rules ("Saido Tenstagången 12" reads a name
    # before an address): the name it replaced was not one when the text was first masked, so
    # masking "À,[namn]" again must not find a name the first pass did not (idempotence).
    unmasked_names = list(taken) if name_placeholders else taken
    for start, end in name_placeholders:
        unmasked_names[start:end] = [False] * (end - start)
    found_names = list(names(text, unmasked_names, prose))
    for span in found_names:
        take(span)
        # "Anna Svensson 1998-03-12": a full date right after a name is a date of birth.
        after = DATE_AFTER_NAME.match(text[span.end:span.end + 40])
        if after:
            take(Span(span.end + after.start(1), span.end + after.end(1), "fodelsedatum"))
    return _merged(sorted(chosen, key=lambda s: s.start), text)


def _merged(spans: list[Span], text: str) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if merged and merged[-1].kind == span.kind and span.kind in _JOINERS \
                and _JOINERS[span.kind].match(text[merged[-1].end:span.start]):
            merged[-1] = Span(merged[-1].start, span.end, span.kind)
        else:
            merged.append(span)
    return merged


def mask(text: str, prose: bool = True) -> Masked:
    """`text` with its identifiers replaced by placeholders. `prose=False` for program output
    (the log formatter): capitalised class and module names there are not taken for names."""
    normalised = normalise(text)
    spans = [Span(*normalised.original_span(s.start, s.end), s.kind) for s in find(normalised.text, prose)]
    pieces, position = [], 0
    for span in spans:
        pieces.append(without_invisible(text[position:span.start]))
        pieces.append(PLACEHOLDERS[span.kind])
        position = span.end
    pieces.append(without_invisible(text[position:]))
    return Masked("".join(pieces), frozenset(s.kind for s in spans), tuple(spans))
