"""Deterministic extraction of case facts (SPEC.md fact names) from Swedish free text.

`extract_facts` reads a case description ("28-åring, har fbs, ingen kontakt med psykiatrin")
and returns only the facts the text states; `extract_answer` reads a short answer ("japp",
"inte än", "32", "vet inte") to a question about one fact. The lexicon is data, in
fact_patterns.yaml next to this module; this module only normalises text and applies it.
A fact's type, range and values are not the lexicon's: they come from the fact schema
(knowledge/criteria/facts.yaml), so a number the schema refuses is never read as that fact.
No Rasa imports: nlu.turn, the evaluation and the tests use it directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.criteria import FACTS
from knowledge.ingest.swedish import fold

LEXICON_PATH = Path(__file__).with_name("fact_patterns.yaml")
# The lexicon's word lists for whole replies (answers.<name>), read by nlu.turn.
REPLY_WORD_LISTS = ("hedges", "hedge_filler", "acknowledging", "correcting")
# The spelling mend reads only words this long; the guess words it adds to its key words are this
# long too, since a shorter one ("tror") would take a five-letter typo ("trorr") for itself.
MIN_MENDED_LETTERS = 5

# Personal data is masked before text reaches us; these catch what slips through, so that
# no part of a personnummer or phone number can ever be read as an age or a number of hours.
_PERSONNUMMER = re.compile(r"(?<!\d)(\d{8}|\d{6})[-+ ]?\d{4}(?!\d)")
_PHONE = re.compile(r"(?<!\d)(\+46|0)\d{1,3}[- ]?\d{2,3}[- ]?\d{2}[- ]?\d{2,3}(?!\d)")
_LONG_NUMBER = re.compile(r"\d{5,}")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_TERM = re.compile(r"\{([A-Z]+)\}")
# A number that belongs to a range or list ("10-15 timmar", "10 till 15", "10 eller 12") is not one value.
_RANGE_BEFORE = re.compile(r"\d ?(-|/|:|till|och|eller|a) ?$")
_RANGE_AFTER = re.compile(r"^ ?((-|/|:) ?|(till|eller|och) )\d")
# Returned by _value when a number is out of range or part of a range: the match states nothing.
_REJECTED = object()


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    value: Any
    negation: str
    not_preceded_by: re.Pattern[str] | None
    not_followed_by: re.Pattern[str] | None
    # True where a doubt word inside the match is what the pattern reads, not a doubt about it:
    # "hon tror att hon klarar tio timmar i veckan" is her own estimate of the hours.
    doubt_inside: bool = False
    # The pattern without its word boundaries. Every match of `regex` is one of this, so where
    # this finds nothing `regex` finds nothing either; and it is searched about twice as fast,
    # since a pattern that starts with a lookbehind gets none of `re`'s prefix scanning. Most
    # sentences match none of a fact's patterns (20 of 330 sentence-fact pairs in the personas).
    prefilter: re.Pattern[str] | None = None


@dataclass(frozen=True)
class _Fact:
    name: str
    kind: str  # the schema's type: bool, int or enum
    patterns: tuple[_Pattern, ...]
    # The values a number may take: the schema's range for an int, its numeric values for an
    # enum of numbers (lss_personkrets); None where the fact is not a number.
    numbers: frozenset[int] | None
    # The value a plain "nej" to the question means, where "no" is itself a value
    # (lss_personkrets 0: the person belongs to no personkrets).
    no_answer: Any = None


@dataclass(frozen=True)
class _Lexicon:
    facts: dict[str, _Fact]
    negation_cues: frozenset[str]
    negation_after: re.Pattern[str]
    resets: frozenset[str]
    window: int
    uncertainty: re.Pattern[str]
    uncertainty_after: re.Pattern[str]
    uncertainty_sentence: re.Pattern[str]
    past: re.Pattern[str]
    past_after: re.Pattern[str]
    past_ended: re.Pattern[str]
    abbreviation: re.Pattern[str]
    yes_no_question: re.Pattern[str]
    shorthand: dict[str, str]
    spelling: dict[tuple[str, int], tuple[str, ...]]  # (first letter, length) -> words
    numbers: dict[str, int]  # number words and their one-word compounds (number_words)
    articles: frozenset[str]
    other_units: frozenset[str]
    per_other_period: re.Pattern[str]
    year_units: frozenset[str]
    years_fact: str
    dont_know: re.Pattern[str]
    no: re.Pattern[str]
    yes: re.Pattern[str]
    outright_yes: re.Pattern[str]
    outright_no: re.Pattern[str]
    enum_answers: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]
    reply_words: dict[str, frozenset[str]]
    options_by_place: dict[str, int]
    roles: dict[str, re.Pattern[str]]


def extract_facts(text: str) -> dict[str, Any]:
    """The facts `text` states, by SPEC name; facts it does not state are absent.

    >>> extract_facts("28-åring, har fbs men ingen kontakt med psykiatrin")
    {'alder': 28, 'forsorjningsstod': True, 'kontakt_specialistpsykiatri': False}
    """
    lexicon = _lexicon()
    found: dict[str, tuple[tuple[int, int], Any]] = {}
    for sentence_index, sentence in enumerate(_statement_sentences(text, lexicon)):
        for fact in lexicon.facts.values():
            for start, value in _matches(fact, sentence, lexicon):
                position = (sentence_index, start)
                if fact.name not in found or position >= found[fact.name][0]:
                    found[fact.name] = (position, value)
    return {name: value for name, (_, value) in sorted(found.items())}


def extract_answer(text: str, fact: str) -> Any:
    """The value of `fact` in a reply to a question about it, or None when it says nothing.

    A full statement is read as such ("hon har fbs"); otherwise yes/no words give a bool
    ("japp", "inte än"), a lone number an int ("32", "tjugo"), goal words a `primart_mal`
    value ("plugga"). "vet inte" and other uncertain replies give None.
    """
    lexicon = _lexicon()
    if fact not in lexicon.facts:
        raise ValueError(f"unknown fact {fact!r}; known facts: {', '.join(sorted(lexicon.facts))}")
    stated = extract_facts(text)
    if fact in stated:
        return stated[fact]
    spec = lexicon.facts[fact]
    normalised = " ".join(_sentences(text, lexicon))
    if spec.numbers is None and spec.kind == "enum":
        # Goal words first: "oklart" is itself a value of primart_mal, not a missing answer.
        return _enum_answer(normalised, lexicon.enum_answers.get(fact, ()), lexicon)
    if lexicon.dont_know.search(normalised):
        return None
    if spec.kind == "bool":
        return answer_polarity(text)
    if spec.no_answer is not None and answer_polarity(text) is False:
        return spec.no_answer
    if spec.kind == "enum":
        placed = {lexicon.options_by_place[word] for word in normalised.split() if word in lexicon.options_by_place}
        if len(placed) == 1 and placed <= spec.numbers:
            return placed.pop()
    number = _number_answer(normalised, spec.numbers, lexicon)
    # "han fyller 30 nästa månad", "jobbar 10 timmar nu": a number the lexicon rules out in the
    # role the question asks about is no answer, however alone it stands.
    return None if number is not None and refuses_number(text, fact, number) else number


def refuses_number(text: str, fact: str, number: int) -> bool:
    """True when the lexicon reads `number` in `text` and refuses it as `fact`: every place it
    stands counts something else ("sjukskriven 100%", "bott här i 10 år" for the hours), is part
    of a range or list ("10-15 tim/v", "10 eller 12"), in a doubtful, negated or
    past clause ("kanske 10"), or where a pattern of the fact matched it and its context ruled it
    out ("jobbar 10 timmar i veckan" is work, not the wished hours). A number outside the
    schema's range is not refused here: the consultation tells the user why it cannot be stored.

    A statistical entity extractor sees a number's shape, not its role; nlu.turn asks this
    before it takes such a number as a fact, so the two cannot disagree about the same number.
    """
    lexicon = _lexicon()
    spec = lexicon.facts[fact]
    places = 0
    for sentence in _sentences(text, lexicon):
        refused = _refused_spans(spec, sentence)
        for match in re.finditer(rf"(?<!\d){number}(?!\d)", sentence):
            start, end = match.span()
            places += 1
            ruled_out = (
                _counts_something_else(sentence[end:], spec, lexicon)
                or _RANGE_BEFORE.search(sentence[:start])
                or _RANGE_AFTER.search(sentence[end:])
                or _uncertain(sentence, start, end, lexicon)
                or _past(sentence, start, end, lexicon)
                or _negated(sentence, start, end, lexicon)
                or any(s <= start and end <= e for s, e in refused)
            )
            if not ruled_out:
                return False
    return places > 0


def _counts_something_else(after: str, fact: _Fact, lexicon: _Lexicon) -> bool:
    """The number right before `after` is a count or share of something else than `fact`:
    "sjukskriven 100%", "anställning på 50 procent", "två barn" (the lexicon's other units),
    hours of another period than the week ("4 timmar per dag"), or years ("bott här i 10 år")
    for every number fact but the age."""
    words = after.split()
    if not words:
        return False
    years = words[0] in lexicon.year_units and fact.name != lexicon.years_fact
    other_period = lexicon.per_other_period.match(after) is not None
    return years or other_period or words[0] in lexicon.other_units or words[0].startswith("%")


def _refused_spans(fact: _Fact, sentence: str) -> list[tuple[int, int]]:
    """Spans of the numbers a pattern of `fact` captured but its context ruled out."""
    spans = []
    for pattern in fact.patterns:
        if "value" not in pattern.regex.groupindex:
            continue
        for match in pattern.regex.finditer(sentence):
            start, end = match.span()
            if (pattern.not_preceded_by and pattern.not_preceded_by.search(sentence[:start])) or (
                pattern.not_followed_by and pattern.not_followed_by.search(sentence[end:])
            ):
                spans.append(match.span("value"))
    return spans


def sounds_unsure(text: str) -> bool:
    """True when a reply says the answer is not known ("vet inte", "ja kanske", "osäker")."""
    lexicon = _lexicon()
    return bool(lexicon.dont_know.search(" ".join(_sentences(text, lexicon))))


def mentioned_in_doubt(text: str) -> set[str]:
    """The facts `text` speaks of but does not state because of the uncertainty around them:
    "tror inte han har nån kontakt m psyk" mentions kontakt_specialistpsykiatri, states nothing."""
    lexicon = _lexicon()
    return {
        fact.name
        for sentence in _statement_sentences(text, lexicon)
        for fact in lexicon.facts.values()
        if _matches(fact, sentence, lexicon, in_doubt=True)
    }


def named_role(text: str) -> str | None:
    """The role the words of `text` name ("jobbar på Kompetensverkstan" -> "uppsokare"), typos
    mended; None when they name none."""
    lexicon = _lexicon()
    sentences = _sentences(text, lexicon)
    return next((role for role, pattern in lexicon.roles.items() if any(pattern.search(s) for s in sentences)), None)


def reply_words(kind: str) -> frozenset[str]:
    """The lexicon's folded words of one kind of whole reply (REPLY_WORD_LISTS)."""
    words = _lexicon().reply_words
    if kind not in words:
        raise ValueError(f"unknown reply word list {kind!r}; known: {', '.join(REPLY_WORD_LISTS)}")
    return words[kind]


def lexicon_words(text: str) -> list[str]:
    """The words of `text` as the lexicon reads them: folded, chat shorthand written out ("int"),
    typos of key words mended ("kansk")."""
    return re.findall(r"[a-z0-9]+", " ".join(_sentences(text, _lexicon())))


def answer_polarity(text: str) -> bool | None:
    """True for a yes ("ja", "absolut", "det har hon"), False for a no ("nä", "inte än"), else None."""
    lexicon = _lexicon()
    normalised = " ".join(_sentences(text, lexicon))
    if lexicon.dont_know.search(normalised):
        return None
    if lexicon.no.search(normalised):
        return False
    if lexicon.yes.search(normalised):
        return True
    return None


def outright_answer(text: str) -> bool | None:
    """True for a reply that opens with a yes word ("ja", "japp", "jo") and says yes, False for
    one that opens with a no word ("nej", "nä") and says no, whatever content follows; None for
    the rest, also a doubt ("ja kanske") and a "ja" that opens a no ("ja tror inte det")."""
    lexicon = _lexicon()
    normalised = " ".join(_sentences(text, lexicon))
    if lexicon.outright_yes.match(normalised):
        opening = True
    elif lexicon.outright_no.match(normalised):
        opening = False
    else:
        return None
    return opening if answer_polarity(text) is opening else None


def opens_with_doubt(text: str) -> bool:
    """True for a reply whose yes or no word is a doubt's first word: "ja kanske, hon har nämnt FK",
    "nej vet inte riktigt", "jo, osäker": the doubt right after it takes the yes or no back. Also
    for a reply that opens with a doubt of its own and a comma: "kanske, han hade en läkare där
    förut", "vet inte, hon har nämnt FK" (the content after the comma is what the doubt is about;
    "osäker på om hon har fsd, ..." opens a statement, not a reply, and stays as it is)."""
    lexicon = _lexicon()
    normalised = " ".join(_sentences(text, lexicon))
    opening = lexicon.outright_yes.match(normalised) or lexicon.outright_no.match(normalised)
    if opening is None:
        doubt = lexicon.dont_know.match(normalised)
        return doubt is not None and normalised[doubt.end():].startswith(" ,")
    rest = normalised[opening.end():].lstrip(" ,")
    return lexicon.dont_know.match(rest) is not None


# The words that open a question after a yes or no word: "ja, vad krävs för IPS", "nej men hur
# söker man". A verb first ("kan man ...") also opens a note ("ja, har haft fsd i två år"), so
# only a question mark tells that question from a note. A conjunction may come between ("ja men
# vem kan få Iwork").
_QUESTION_WORDS = frozenset({"vad", "hur", "vilka", "vilken", "vilket", "vem", "vems", "nar", "var", "vart", "varfor"})
_CONJUNCTIONS = frozenset({"men", "och", "fast", "sa", "da"})


def opens_a_question(text: str) -> bool:
    """True for a reply whose yes or no word is followed by a question: a question mark, or a
    question word right after it ("ja, vad krävs för IPS", "nej men hur gör man då")."""
    if "?" in text:
        return True
    lexicon = _lexicon()
    normalised = " ".join(_sentences(text, lexicon))
    opening = lexicon.outright_yes.match(normalised) or lexicon.outright_no.match(normalised)
    if opening is None:
        return False
    rest = normalised[opening.end():].replace(",", " ").split()
    while rest and rest[0] in _CONJUNCTIONS:
        rest = rest[1:]
    return bool(rest) and rest[0] in _QUESTION_WORDS


def _enum_answer(normalised: str, answers: tuple[tuple[str, re.Pattern[str]], ...], lexicon: _Lexicon) -> str | None:
    """The first value a word of the reply names, unless its clause negates it before it: "träffa
    folk och få något att göra, inte jobba" names company, not work; or doubts it: "kanske jobb,
    kanske något annat" names no goal. A negation inside the words themselves is theirs ("inget
    tydligt mål" is oklart)."""
    for value, pattern in answers:
        for match in pattern.finditer(normalised):
            before = _scope_before(normalised, match.start(), lexicon)
            if not any(word in lexicon.negation_cues for word in before) and not lexicon.uncertainty.search(" ".join(before)):
                return value
    return None


def _number_answer(normalised: str, allowed: frozenset[int], lexicon: _Lexicon) -> int | None:
    words = normalised.split()
    # "två dagar", "3 barn": a number of something else; "en"/"ett" before another word: an article.
    counted = [
        word
        for index, word in enumerate(words)
        if (index + 1 == len(words) or words[index + 1] not in lexicon.other_units)
        and (word not in lexicon.articles or index + 1 == len(words))
    ]
    numbers = {int(word) for word in counted if word.isdigit() and len(word) <= 3}
    numbers |= {value for value in (_number_word(word, lexicon) for word in counted) if value is not None}
    numbers |= {int(digits) for digits in re.findall(r"(?<![\d])(\d{1,3})(?=[a-z/])", normalised)}
    if len(numbers) != 1:
        return None
    (number,) = numbers
    return number if number in allowed else None


def _number_word(word: str, lexicon: _Lexicon) -> int | None:
    """ "tjugo" -> 20, "trettiotva" -> 32 (Swedish writes compound numbers as one word)."""
    return lexicon.numbers.get(word)


def number_words(numbers: dict[str, int]) -> dict[str, int]:
    """The lexicon's `numbers` table and the compounds Swedish writes as one word: a tens word
    (20, 30, ... 90) and a unit word (1-9), "trettiotva" -> 32."""
    words = dict(numbers)
    for tens, tens_value in numbers.items():
        if tens_value >= 20 and tens_value % 10 == 0:
            for unit, unit_value in numbers.items():
                if 1 <= unit_value <= 9:
                    words.setdefault(tens + unit, tens_value + unit_value)
    return words


def age_words(numbers: dict[str, int], youngest: int) -> str:
    """The term AGEWORD: every number word (number_words) from `youngest` to 99, longest first,
    so that "trettiotva" is read whole and not as "trettio"."""
    ages = sorted((word for word, value in number_words(numbers).items() if youngest <= value <= 99), key=lambda w: (-len(w), w))
    return "(" + "|".join(ages) + ")"


def _matches(fact: _Fact, sentence: str, lexicon: _Lexicon, in_doubt: bool = False) -> list[tuple[int, Any]]:
    """(start, value) of every statement of `fact` in one normalised sentence; with `in_doubt`,
    of every mention the uncertainty around it keeps from being a statement instead."""
    claimed: list[tuple[int, int]] = []
    results: list[tuple[int, Any]] = []
    for pattern in fact.patterns:
        if pattern.prefilter is not None and pattern.prefilter.search(sentence) is None:
            continue
        for match in pattern.regex.finditer(sentence):
            start, end = match.span()
            if any(start < claimed_end and claimed_start < end for claimed_start, claimed_end in claimed):
                continue
            if pattern.not_preceded_by and pattern.not_preceded_by.search(sentence[:start]):
                continue
            if pattern.not_followed_by and pattern.not_followed_by.search(sentence[end:]):
                continue
            value = _value(fact, pattern, match, sentence, lexicon)
            if value is _REJECTED:
                continue
            claimed.append((start, end))
            if value is None:
                continue
            if _uncertain(sentence, start, end, lexicon, inside=not pattern.doubt_inside):
                if in_doubt:
                    results.append((start, value))
                continue
            if in_doubt:
                continue
            # What held then says nothing about now, unless a negation right after it does
            # ("hade fbs förut men inte längre") or the time it held until is itself past
            # ("uppbar fsd fram till i höstas": it has ended, so it is a no now).
            if _past(sentence, start, end, lexicon) and not lexicon.negation_after.match(sentence[end:]):
                if fact.kind == "bool" and isinstance(value, bool) and lexicon.past_ended.match(sentence[end:]):
                    results.append((start, not value))
                continue
            if pattern.negation != "keep" and _negated(sentence, start, end, lexicon):
                if pattern.negation == "ignore" or fact.kind != "bool":
                    continue
                value = not value
            results.append((start, value))
    return results


def _value(fact: _Fact, pattern: _Pattern, match: re.Match[str], sentence: str, lexicon: _Lexicon) -> Any:
    if "value" not in pattern.regex.groupindex:
        return pattern.value
    raw = match.group("value")
    number = int(raw) if raw.isdigit() else _number_word(raw, lexicon)
    start, end = match.span("value")
    if number is None or _RANGE_BEFORE.search(sentence[:start]) or _RANGE_AFTER.search(sentence[end:]):
        return _REJECTED
    return number if number in (fact.numbers or ()) else _REJECTED


def _scope_before(sentence: str, start: int, lexicon: _Lexicon) -> list[str]:
    """The words of the same clause before `start`, at most `window` of them."""
    scope: list[str] = []
    for word in reversed(sentence[:start].split()):
        if word in lexicon.resets or len(scope) == lexicon.window:
            break
        scope.append(word)
    return list(reversed(scope))


def _negated(sentence: str, start: int, end: int, lexicon: _Lexicon) -> bool:
    """A cue in the clause the match ends in ("har inte fbs", "vill inte jobba", "men inte till
    finsam"), or a note-style negation right after it ("fbs: nej", "fbs finns inte")."""
    inside = sentence[start:end].split()
    resets = [index for index, word in enumerate(inside) if word in lexicon.resets]
    words = inside[resets[-1] + 1:] if resets else _scope_before(sentence, start, lexicon) + inside
    return any(word in lexicon.negation_cues for word in words) or bool(lexicon.negation_after.match(sentence[end:]))


def _uncertain(sentence: str, start: int, end: int, lexicon: _Lexicon, inside: bool = True) -> bool:
    """Doubt before the match in its clause ("oklart om hon har fbs"), inside it ("vill kanske
    jobba"; unless not `inside`), in notes right after it ("fsd vet jag inte", "psykkontakt:
    oklart"), or a group anywhere before it in the sentence ("möter unga som ... och sitter hemma")."""
    words = _scope_before(sentence, start, lexicon) + (sentence[start:end].split() if inside else [])
    return bool(
        lexicon.uncertainty.search(" ".join(words))
        or lexicon.uncertainty_after.match(sentence[end:])
        or lexicon.uncertainty_sentence.search(sentence[:start])
    )


def _past(sentence: str, start: int, end: int, lexicon: _Lexicon) -> bool:
    """The past before the match in its clause or inside it ("hade kontakt med psykiatrin"), or a
    time in the past right after it ("... för två år sedan", "... förra året")."""
    words = _scope_before(sentence, start, lexicon) + sentence[start:end].split()
    return bool(lexicon.past.search(" ".join(words)) or lexicon.past_after.match(sentence[end:]))


def written_out(word: str) -> str:
    """A word as the patterns read it: folded, chat shorthand written out ("ngn" -> "nagon",
    "e" -> "ar"). The intent features read words through this too (nlu/components/
    swedish_tokenizer.py), so "hon e 26" and "hon är 26" are the same words to both."""
    folded = fold(word)
    return _lexicon().shorthand.get(folded, folded)


def _statement_sentences(text: str, lexicon: _Lexicon) -> list[str]:
    """The normalised sentences of `text` that can state facts. A yes/no question states nothing
    ("Har hon fsd?"); abbreviations' dots go first, so that "har hon ek. bistånd?" is one sentence."""
    return _sentences(lexicon.yes_no_question.sub(" . ", _without_abbreviation_dots(fold(text), lexicon)), lexicon)


def _sentences(text: str, lexicon: _Lexicon) -> list[str]:
    """Normalised sentences: folded, personal numbers masked, punctuation reduced to commas,
    chat shorthand written out ("o" -> "och", "m" -> "med"), typos of key words mended."""
    text = _LONG_NUMBER.sub(" # ", _PHONE.sub(" # ", _PERSONNUMMER.sub(" # ", text)))
    text = _without_abbreviation_dots(fold(text), lexicon)
    text = re.sub(r"\s[-–—]\s|[–—]", " , ", text)
    sentences = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.replace(",", " , ")
        sentence = re.sub(r"(?<!\d):|:(?!\d)", " ", sentence)
        sentence = re.sub(r"[^a-z0-9 ,:/%§#\-]", " ", sentence)
        sentence = " ".join(lexicon.shorthand.get(word) or _spelled(word, lexicon) for word in sentence.split())
        if sentence:
            sentences.append(sentence)
    return sentences


def _without_abbreviation_dots(folded: str, lexicon: _Lexicon) -> str:
    """ "ek. bistånd" -> "ek bistånd": the dot of an abbreviation ends no sentence."""
    return lexicon.abbreviation.sub(lambda match: match.group(1).replace(".", ""), folded)


def _numbers(schema: Any) -> frozenset[int] | None:
    if schema["type"] == "int":
        return frozenset(range(schema["min"], schema["max"] + 1))
    if schema["type"] == "enum" and all(isinstance(value, int) for value in schema["values"]):
        return frozenset(schema["values"])
    return None


def _check_values(fact: _Fact, schema: Any) -> None:
    """Every value the lexicon can state is one the schema accepts, so the two cannot drift."""
    where = f"{LEXICON_PATH.name}: {fact.name}"
    for pattern in fact.patterns:
        captures = "value" in pattern.regex.groupindex
        if captures and fact.numbers is None:
            raise ValueError(f"{where}: a (?P<value>) capture needs a number fact, not {fact.kind}")
        if captures or pattern.value is None:
            continue
        if fact.kind == "bool":
            valid = isinstance(pattern.value, bool)
        elif fact.kind == "int":
            # A word for a number ("halvtid"): its number must lie in the schema's range.
            valid = not isinstance(pattern.value, bool) and pattern.value in (fact.numbers or ())
        else:
            valid = pattern.value in schema.get("values", ())
        if not valid:
            raise ValueError(f"{where}: {pattern.value!r} is not a value of the schema ({fact.kind})")
    if fact.no_answer is not None and fact.no_answer not in schema.get("values", ()):
        raise ValueError(f"{where}: no_answer {fact.no_answer!r} is not a value of the schema")


def _spelled(word: str, lexicon: _Lexicon) -> str:
    """The key word `word` is one typo away from ("psykiatin" -> "psykiatrin"), if exactly one is;
    else `word`. Only words of five letters or more that are not key words themselves, and
    only key words with the same first letter, so "jobbat" (near "jobbar" and "jobbet") stays."""
    if len(word) < MIN_MENDED_LETTERS or not word.isalpha() or (word[0], len(word)) in lexicon.spelling and word in lexicon.spelling[(word[0], len(word))]:
        return word
    near = {
        candidate
        for length in (len(word) - 1, len(word), len(word) + 1)
        for candidate in lexicon.spelling.get((word[0], length), ())
        if one_edit(word, candidate)
    }
    return near.pop() if len(near) == 1 else word


def one_edit(a: str, b: str) -> bool:
    """a and b differ by one insertion, deletion, substitution or swap of neighbours (also the
    intent features' typo mending, nlu/components/typo_lemmas.py)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    if len(a) == len(b):
        swapped = a[prefix + 2:] == b[prefix + 2:] and a[prefix:prefix + 2] == b[prefix:prefix + 2][::-1]
        return a[prefix + 1:] == b[prefix + 1:] or swapped
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return shorter[prefix:] == longer[prefix + 1:]


def _spelling_index(words: list[str]) -> dict[tuple[str, int], tuple[str, ...]]:
    index: dict[tuple[str, int], list[str]] = {}
    for word in sorted(set(words)):
        index.setdefault((word[0], len(word)), []).append(word)
    return {key: tuple(value) for key, value in index.items()}


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    numbers = {str(word): value for word, value in data["numbers"].items()}
    if "AGEWORD" in data["terms"]:
        raise ValueError(f"{LEXICON_PATH.name}: AGEWORD is derived from `numbers` (age_words_from), not a term of its own")
    terms = {**data["terms"], "AGEWORD": age_words(numbers, data["age_words_from"])}

    def expand(source: str) -> str:
        while _TERM.search(source):
            source = _TERM.sub(lambda match: "(?:" + terms[match.group(1)] + ")", source)
        return source

    def compile_word_pattern(source: str) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(?:" + expand(source) + r")(?!\w)")

    def compile_any(sources: list[str]) -> re.Pattern[str]:
        return compile_word_pattern("|".join(f"(?:{source})" for source in sources))

    def optional(source: str | None) -> re.Pattern[str] | None:
        return re.compile(expand(source)) if source else None

    def compile_after(sources: list[str]) -> re.Pattern[str]:
        # Matched right after a match (`sentence[end:]`), which starts with its space.
        return re.compile(r" ?(?:" + "|".join(expand(source) for source in sources) + r")(?!\w)")

    facts = {}
    for name, spec in data["facts"].items():
        if name not in FACTS:
            raise ValueError(f"{LEXICON_PATH.name}: {name!r} is not a fact of knowledge/criteria/facts.yaml")
        kind = FACTS[name]["type"]
        default_negation = "flip" if kind == "bool" else "ignore"
        patterns = tuple(
            _Pattern(
                regex=compile_word_pattern(entry["re"]),
                prefilter=re.compile(expand(entry["re"])),
                value=entry.get("value"),
                negation=entry.get("negation", default_negation),
                not_preceded_by=optional(entry.get("not_preceded_by")),
                not_followed_by=optional(entry.get("not_followed_by")),
                doubt_inside=entry.get("doubt") == "inside",
            )
            for entry in spec["patterns"]
        )
        fact = _Fact(name, kind, patterns, _numbers(FACTS[name]), spec.get("no_answer"))
        _check_values(fact, FACTS[name])
        facts[name] = fact

    answers = data["answers"]
    years_fact = answers["years"]["fact"]
    if years_fact not in facts:
        raise ValueError(f"{LEXICON_PATH.name}: answers.years.fact {years_fact!r} is not a fact of the lexicon")
    abbreviations = "|".join(re.escape(word) for word in data["abbreviations"])
    return _Lexicon(
        facts=facts,
        negation_cues=frozenset(data["negation"]["cues"]),
        negation_after=compile_after(data["negation"]["after"]),
        resets=frozenset(data["negation"]["resets"]),
        window=data["negation"]["window"],
        uncertainty=compile_any(data["uncertainty"]["cues"]),
        uncertainty_sentence=compile_any(data["uncertainty"]["sentence"]),
        uncertainty_after=compile_after(data["uncertainty"]["after"]),
        past=compile_any(data["past"]["cues"]),
        past_after=compile_after(data["past"]["after"]),
        past_ended=compile_after(data["past"]["ended"]),
        abbreviation=re.compile(rf"(?<!\w)({abbreviations})\.(?=\s)"),
        # From a sentence's start (text start or after its end mark) to its question mark.
        yes_no_question=re.compile(r"(?:^|(?<=[.!?;\n]))\s*(?:" + expand(data["yes_no_question"]) + r")(?!\w)[^.!?;\n]*\?"),
        shorthand={str(word): str(full) for word, full in data["shorthand"].items()},
        # The guess words are mended too ("kansk", "antaglien" are doubt, never the yes the
        # classifier heard); they are read from the one list that defines them.
        spelling=_spelling_index([str(word) for word in data["spelling"] + [w for w in answers["hedges"] if len(str(w)) >= MIN_MENDED_LETTERS]]),
        numbers=number_words(numbers),
        articles=frozenset(data["articles"]),
        other_units=frozenset(data["answers"]["other_units"]),
        per_other_period=compile_after(answers["per_other_period"]),
        year_units=frozenset(data["answers"]["years"]["units"]),
        years_fact=years_fact,
        dont_know=compile_any(answers["dont_know"]),
        no=compile_any(answers["negative"]),
        yes=compile_any(answers["positive"]),
        outright_yes=compile_word_pattern(answers["outright"]["affirm"]),
        outright_no=compile_word_pattern(answers["outright"]["deny"]),
        enum_answers={
            fact: tuple((value, compile_any(sources)) for value, sources in values.items())
            for fact, values in answers.items()
            if fact in facts
        },
        reply_words={kind: frozenset(str(word) for word in answers[kind]) for kind in REPLY_WORD_LISTS},
        options_by_place={str(word): int(place) for word, place in answers["options_by_place"].items()},
        roles={role: compile_any(sources) for role, sources in data.get("roles", {}).items()},
    )
