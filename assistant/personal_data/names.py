"""Names of people, found from name lists, capitalisation and context – no language model.

A word is a name when
- it is in the name lists (lexicon/first_names.txt, surnames.txt), in any case: "ahmed", "Warsame";
- it is a name that is also a Swedish word (lexicon/name_words.txt: "Per", "Hans", "Berg") and is
  capitalised inside a sentence, or stands next to another name ("Per Andersson");
- it has a surname's shape (-sson, -qvist, -nen, -ović, -wicz, -zadeh ...) and is capitalised
  inside a sentence;
- it follows "heter", "kallas", "namn:" (any word that is not a function word), or "klienten",
  "hennes mamma", "kontaktperson", "c/o" ... (a capitalised word or a listed name);
- it is capitalised and stands next to a name found so ("Fatima Xhemajli", "Abdi bin Omar"), or is
  followed by an age ("Xhemajli, 28 år").
Words of the domain (lexicon/not_names.txt: Jobbtorg, Alfa, Rinkeby, Asperger, Parkinson) are
never names unless "heter" precedes them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from assistant.personal_data.structured import Span
from assistant.personal_data.text import fold

LEXICON = Path(__file__).with_name("lexicon")

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SURNAME_SHAPE = re.compile(
    r"..(?:sson|ssen|qvist|kvist|quist|strom|gren|berg|bergh|lund|blad|dahl|holm|stedt|nen|ic|vic|ovic|evic|"
    r"ski|cki|owska|ewska|inska|ycka|wicz|icz|czyk|oglu|zadeh|zada|zai|pour|enko|escu|yan|ovna|ova|ov|ev)$"
)
# After these a word is a name in any case, unless it is a function word ("hon heter inte ...").
_STRONG_CUE = re.compile(
    r"(?:\b(?:heter|hette|kallas|kallad|kallades|namn|namnet|namnet ar|namn ar|fornamn|efternamn|"
    r"fornamnet|efternamnet|tilltalsnamn|undertecknad)|\bnamn ?:)\s*:?\s*$")
# After these a capitalised word, or a listed name in any case, is a name.
_WEAK_CUE = re.compile(
    r"\b(?:klienten|klient|brukaren|brukare|patienten|sokande|sokanden|den enskilde|personen|"
    r"mamma|mamman|mor|modern|pappa|pappan|far|fadern|foraldrarna|bror|brodern|brorsan|syster|systern|"
    r"syrran|son|sonen|dotter|dottern|barnet|make|maken|maka|makan|fru|frun|sambo|sambon|pojkvan|"
    r"pojkvannen|flickvan|flickvannen|partner|kusin|kusinen|farbror|morbror|moster|faster|mormor|"
    r"farmor|morfar|farfar|vannen|kompis|kompisen|granne|grannen|kontaktperson|kontaktpersonen|"
    r"god man|gode mannen|forvaltare|forvaltaren|handlaggare|handlaggaren|kollega|kollegan|lakare|"
    r"lakaren|dr|doktor|kurator|kuratorn|psykolog|psykologen|coach|coachen|jobbcoach|jobbcoachen|"
    r"arbetsspecialist|arbetsspecialisten|boendestodjare|stodperson|c/o|herr|hr|fru|hej|hejsan|mvh|"
    r"halsningar|hälsningar|tack|hennes|hans|deras)\s*[,:]?\s*$")
_AGE_AFTER = re.compile(r"^\s*(?:,\s*)?(?:\(\s*\d{1,2}\s*(?:ar\s*)?\)|\d{1,2}\s*(?:ar|-?aring)\b|som ar \d{1,2}\b|ar \d{1,2} ar)")
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "abu", "van", "von", "de", "af", "da", "di", "du", "la", "le", "ould", "binti"})
_SENTENCE_ENDS = ".!?:;\n•*\"(-–"
_FUNCTION_WORDS = frozenset(
    "inte ej som att och eller men han hon hen den det de jag du vi ni man en ett är ar var har hade "
    "ska skulle kan kunde vill ville med på pa i av till for för om från fran nu bara också ocksa "
    "redan snart sedan efter innan när nar vad vem vilken hur där dar här har kanske typ liksom".split()
)


@dataclass(frozen=True)
class Lexicon:
    names: frozenset[str]        # first names and surnames, folded
    name_words: frozenset[str]   # names that are also Swedish words
    not_names: frozenset[str]    # the domain's own capitalised words


def _words(file: str) -> frozenset[str]:
    text = (LEXICON / file).read_text(encoding="utf-8")
    return frozenset(fold(w) for line in text.splitlines() if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    not_names = _words("not_names.txt")
    name_words = _words("name_words.txt") - not_names
    names = (_words("first_names.txt") | _words("surnames.txt")) - name_words - not_names
    return Lexicon(names, name_words, not_names)


@dataclass
class _Token:
    start: int
    end: int
    text: str
    key: str            # folded
    capitalised: bool
    all_caps: bool
    initial: bool       # first word of a sentence, line or bullet
    is_name: bool = False


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        if start > 0 and text[start - 1] == "[" and text[end:end + 1] == "]":
            continue  # a placeholder from an earlier masking
        word = match.group(0)
        letters = [c for c in word if c.isalpha()]
        all_caps = len(letters) > 1 and all(c.isupper() for c in letters)
        before = text[max(0, start - 20):start].rstrip(" \t")
        initial = (not before and start <= 20) or (before[-1:] in _SENTENCE_ENDS and before != "")
        tokens.append(_Token(start, end, word, fold(word), word[0].isupper(), all_caps, initial))
    return tokens


def _lookup(token: _Token, words: frozenset[str]) -> bool:
    key = token.key
    if key in words:
        return True
    # Genitive: "Aminas mamma", "Mohammed's", "Fatimas"; and parts of a hyphenated name.
    if key.endswith(("'s", ":s")) and key[:-2] in words:
        return True
    if key.endswith("s") and len(key) > 3 and key[:-1] in words:
        return True
    return "-" in key and any(part in words for part in key.split("-") if len(part) > 2)


def names(text: str) -> Iterator[Span]:
    lex = lexicon()
    tokens = _tokens(text)
    folded = fold(text)

    def strong_cue(i: int) -> bool:
        return bool(_STRONG_CUE.search(folded[max(0, tokens[i].start - 40):tokens[i].start]))

    def weak_cue(i: int) -> bool:
        return bool(_WEAK_CUE.search(folded[max(0, tokens[i].start - 40):tokens[i].start]))

    def age_after(i: int) -> bool:
        return bool(_AGE_AFTER.match(folded[tokens[i].end:tokens[i].end + 20]))

    def domain_word(token: _Token) -> bool:
        return _lookup(token, lex.not_names)

    # 1. Names the lists and the context make certain.
    for i, token in enumerate(tokens):
        if token.key in _FUNCTION_WORDS or token.key in _PARTICLES:
            continue
        if strong_cue(i):
            token.is_name = True
        elif domain_word(token):
            continue
        elif _lookup(token, lex.names):
            token.is_name = True
        elif weak_cue(i) and (token.capitalised or _lookup(token, lex.name_words)) and not token.all_caps:
            token.is_name = token.capitalised
        elif token.capitalised and not token.all_caps and not token.initial:
            token.is_name = _lookup(token, lex.name_words) or bool(_SURNAME_SHAPE.search(token.key)) or age_after(i)
        elif token.capitalised and token.initial and not token.all_caps:
            token.is_name = age_after(i) and (_lookup(token, lex.name_words) or bool(_SURNAME_SHAPE.search(token.key)))

    # 2. Full names: a capitalised word (or a listed one) next to a name, across particles.
    changed = True
    while changed:
        changed = False
        for i, token in enumerate(tokens):
            if token.is_name or domain_word(token) or token.key in _FUNCTION_WORDS:
                continue
            if token.key in _PARTICLES:
                continue
            neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(tokens) and tokens[j].is_name
                          and _adjacent(text, tokens[min(i, j)], tokens[max(i, j)])]
            across = [j for j in (i - 2, i + 2) if 0 <= j < len(tokens) and tokens[j].is_name
                      and tokens[(i + j) // 2].key in _PARTICLES
                      and _adjacent(text, tokens[min(i, j)], tokens[(i + j) // 2])
                      and _adjacent(text, tokens[(i + j) // 2], tokens[max(i, j)])]
            if not (neighbours or across):
                continue
            if (token.capitalised and not token.all_caps) or _lookup(token, lex.name_words) or _lookup(token, lex.names):
                token.is_name = True
                changed = True
        for i, token in enumerate(tokens):
            if token.key in _PARTICLES and not token.is_name and 0 < i < len(tokens) - 1:
                if tokens[i - 1].is_name and tokens[i + 1].is_name:
                    token.is_name = True

    for token in tokens:
        if token.is_name:
            yield Span(token.start, token.end, "namn")


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    return text[left.end:right.start] in (" ", "-", " - ")
