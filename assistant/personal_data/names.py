"""Names of people, found from name lists, capitalisation and context – no language model.

A word is a name when
- it is in the name lists (lexicon/first_names.txt, surnames.txt), in any case: "ahmed", "Warsame";
- it is a name that is also a Swedish word (lexicon/name_words.txt: "Per", "Hans", "Berg") and is
  capitalised inside a sentence, or stands next to another name ("Per Andersson");
- it is capitalised inside a sentence and is no word the guideline documents, spaCy's Swedish
  stop words or the Swedish dictionary (dictionary.py) know, nor a compound ending in one of the
  documents' words ("Kriminalvården") or made of two dictionary words ("Introduktionsjobb"), nor
  after "i", "från", "på" (places and organisations: "bor i Vårby", "praktik på Coop"; but "mejl
  från Baraka"), nor after an acronym ("ICA Maxi");
- it follows "heter", "kallas", "namn:" (any word that is not a function word), or "klienten",
  "hennes mamma", "kontaktperson", "c/o" ... (capitalised, or in lower case when no known word);
- it starts a sentence, is no known word, and is followed by an age ("Gezim, 24 år"), a verb of
  what a person does ("Amadou har LMA-kort", "Souad skriver"), "och" and a name, a kin word in the
  genitive ("Ilmaris mamma"; also when the stem is a word only typed without å/ä/ö: "Rojdas
  mamma"), or "f."/"pnr"/a personnummer ("Tuuli f. 1998-03-12"); or it has a surname's shape
  before such a verb ("Stålhammar har");
- it stands next to a name found so and is capitalised or listed ("Fatima Xhemajli", "Abdi bin
  Omar"); a sentence's first word joins only before a surname ("Josef Lindqvist", not "Mejla Anna").
Words of the domain (lexicon/not_names.txt: Jobbtorg, Alfa, Rinkeby, Asperger, Parkinson) are
never names unless "heter" precedes them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from assistant.personal_data.dictionary import is_swedish_form
from assistant.personal_data.structured import Span
from assistant.personal_data.text import fold

LEXICON = Path(__file__).with_name("lexicon")
# The guideline documents: every word in them is the domain's or plain Swedish, not a name
# (apart from the listed names, which the lists decide).
CORPUS = Path(__file__).resolve().parents[2] / "knowledge" / "corpus"

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SURNAME_SHAPE = re.compile(
    r"..(?:sson|ssen|qvist|kvist|quist|strom|gren|berg|bergh|lund|blad|dahl|holm|stedt|hammar|hjelm|stierna|stjerna|"
    r"skold|feldt|felt|nen|ic|vic|ovic|evic|"
    r"ski|cki|owska|ewska|inska|ycka|wicz|icz|czyk|oglu|zadeh|zada|zai|pour|enko|escu|yan|ovna|ova|ov|ev)$"
)
# After these a word is a name in any case, unless it is a function word ("hon heter inte ...").
_STRONG_CUE = re.compile(
    r"(?:\b(?:heter|hette|kallas|kallad|kallades|namn|namnet|namnet ar|namn ar|fornamn|efternamn|"
    r"fornamnet|efternamnet|tilltalsnamn|undertecknad)|\bnamn ?:)\s*:?\s*$")
# After these a capitalised word is a name ("klienten Ali", "hennes mamma Fatima", "c/o Berg").
CUE_WORDS = frozenset("""
klienten klient brukaren brukare patienten sokande sokanden personen mamma mamman mor modern pappa
pappan far fadern bror brodern brorsan syster systern syrran son sonen dotter dottern barnet make maken
maka makan fru frun sambo sambon pojkvan pojkvannen flickvan flickvannen partner kusin kusinen farbror
morbror moster faster mormor farmor morfar farfar vannen kompis kompisen granne grannen kontaktperson
kontaktpersonen forvaltare forvaltaren handlaggare handlaggaren kollega kollegan lakare lakaren dr
doktor kurator kuratorn psykolog psykologen coach coachen jobbcoach jobbcoachen arbetsspecialist
arbetsspecialisten boendestodjare stodperson herr hr hej hejsan mvh halsningar tack hennes hans deras
""".split())
_WEAK_CUE = re.compile(r"(?:\b(?:" + "|".join(sorted(CUE_WORDS)) + r"|god man|gode mannen|den enskilde)|\bc/o|\bdr\.)\s*[,:]?\s*$")
_PART_SEPARATOR = re.compile(r"[-'’]")
_SAINT = re.compile(r"\b(?:s:t|sankt|st\.)\s$")
_POSSESSIVE_END = re.compile(r"\b(?:hans|hennes|deras|tack)\s*$")
# "mejl från Baraka": a message comes from a person; "från" before it is no place's (folded).
_MESSAGE_FROM_WORDS = r"(?:mejl|mejlet|mail|mailet|sms|sms:et|smset|samtal|samtalet|meddelande|brev|brevet) fran"
_MESSAGE_FROM = re.compile(r"\b" + _MESSAGE_FROM_WORDS + r"\s$")
# Meeting or calling someone: "pratade med zakariye", "ring hamdi" (folded).
_CONTACT_CUE = re.compile(r"\b(?:ring|ringa|ringde|ringt|sms:a|smsa|smsade|mejla|maila|mejlade|mailade|kontakta|kontaktade|"
                          r"traffa|traffade|traffat|motte|besokte|pratade med|pratat med|prata med|snackade med|"
                          r"talade med|talat med|ringde upp|ringa upp|ringer upp|ring upp|" + _MESSAGE_FROM_WORDS + r")\s*$")
_AGE_AFTER = re.compile(r"^\s*(?:[,:]\s*)?(?:\(\s*\d{1,2}\s*(?:ar\s*)?\)|\d{1,2}\s*(?:ar|-?aring)\b|som ar \d{1,2}\b|ar \d{1,2} ar)")
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "abu", "van", "von", "de", "af", "da", "di", "du", "la", "le", "ould", "binti"})
_SENTENCE_ENDS = ".!?:;\n•*\"(-–"
_FUNCTION_WORDS = frozenset(
    "inte ej som att och eller men han hon hen den det de jag du vi ni man en ett är ar var har hade "
    "ska skulle kan kunde vill ville med på pa i av till for för om från fran nu bara också ocksa "
    "redan snart sedan efter innan när nar vad vem vilken hur där dar här har kanske typ liksom "
    # imperatives a note starts with, before a name ("Ring Hassan", "Mejla Berg")
    "ring ringa mejla maila skriv kontakta fråga fraga boka skicka hälsa halsa träffa traffa se sms:a kolla "
    "killen tjejen ungdomen mannen kvinnan flickan pojken "
    # irregular past tenses that follow "mamma", "bror" ... as often as a name does
    "kom sa gick fick var blev tog gav såg sag satt låg lag stod skrev sov bad drog for bjöd bjod "
    "idag igår igar imorgon ofta alltid aldrig också just nog väl val ju mycket lite sen sedan".split()
)


@dataclass(frozen=True)
class Words:
    """A word list, looked up as written (lower case) and, for words typed without å/ä/ö or other
    marks, folded: "Jonsson" finds Jönsson and "Hodzic" Hodžić, but "låna" does not find Lana."""
    exact: frozenset[str]
    folded: frozenset[str]

    @classmethod
    def of(cls, words: set[str]) -> "Words":
        return cls(frozenset(words), frozenset(fold(w) for w in words))

    def __sub__(self, other: "Words") -> "Words":
        return Words.of({w for w in self.exact if w not in other.exact and fold(w) not in other.folded})

    def __contains__(self, word: str) -> bool:
        return word in self.exact or (fold(word) == word and word in self.folded)


@dataclass(frozen=True)
class Lexicon:
    names: Words        # first names and surnames
    name_words: Words   # names that are also Swedish words
    not_names: Words    # the domain's own capitalised words
    surnames: Words     # the surnames among `names`
    first_names: Words  # the first names among `names`


def _words(file: str) -> set[str]:
    text = (LEXICON / file).read_text(encoding="utf-8")
    return {w.lower() for line in text.splitlines() if not line.startswith("#") for w in line.split()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    not_names = Words.of(_words("not_names.txt"))
    name_words = Words.of(_words("name_words.txt")) - not_names
    names = Words.of(_words("first_names.txt") | _words("surnames.txt")) - name_words - not_names
    surnames = Words.of(_words("surnames.txt")) - name_words - not_names
    first_names = Words.of(_words("first_names.txt")) - name_words - not_names
    return Lexicon(names, name_words, not_names, surnames, first_names)


@lru_cache(maxsize=2)
def corpus_words(lower_case_only: bool = False) -> frozenset[str]:
    """The guideline documents' words, lower-cased; only those written in lower case there (the
    plain Swedish ones, not "Jobbtorg" or "Johan") if `lower_case_only`."""
    words = set()
    for path in CORPUS.glob("*.txt"):
        found = _WORD.findall(path.read_text(encoding="utf-8"))
        words |= {w for w in found if w.islower()} if lower_case_only else {w.lower() for w in found}
    return frozenset(words)


@lru_cache(maxsize=1)
def swedish_words() -> frozenset[str]:
    """Words known not to be names: the corpus's words and spaCy's Swedish stop words, lower case,
    less the name lists. A capitalised word inside a sentence that is none of these is taken for a name."""
    from knowledge.ingest.swedish import stop_words

    words = set(stop_words()) | set(CUE_WORDS) | set(_FUNCTION_WORDS) | corpus_words()
    lex = lexicon()
    return frozenset(w for w in words if w not in lex.names and w not in lex.name_words)


def _known_word(token: "_Token") -> bool:
    """A Swedish word, or a compound ending in one ("Kriminalvården" ends in "vården")."""
    words = swedish_words()
    key = token.lower
    # CUE_WORDS and _FUNCTION_WORDS are folded: "Boendestödjare" is "boendestodjare" there.
    if key in words or (key.endswith("s") and key[:-1] in words) or token.key in _FUNCTION_WORDS or token.key in CUE_WORDS:
        return True
    if "-" in key and (key.rsplit("-", 1)[1] in words or _dictionary_form(key.rsplit("-", 1)[1])):
        return True  # "Uber-chaufför", "F-skatt"; a hyphenated name ("Begić-Lindström") ends in a name
    if _dictionary_form(key) or (key.endswith("s") and _dictionary_form(key[:-1])):
        return True
    # Compounds end in one of the documents' words, or in a longer dictionary word: names
    # end in short ones too often ("Laaksonen" in "sonen", "Gordana" in "dana").
    # At most the last 30 letters: a word is no longer, and a run of 20 000 letters stays linear.
    first = max(3, len(key) - 30)
    return (any(key[cut:] in words for cut in range(first, len(key) - 3))
            or any(_dictionary_form(key[cut:]) for cut in range(first, len(key) - 5))
            or _compound(key))


_COMPOUND_PART = 4  # "jobb", "bidrag"; a name's tail is shorter or a listed name ("Lind-berg", "Sten-mark")
_COMPOUND_LENGTH = 10  # "Nystartsjobb"; first names of two short words ("Kris-tina", "Kris-tian") are shorter


@lru_cache(maxsize=4096)
def _compound(key: str, depth: int = 0) -> bool:
    """"Introduktionsjobb", "Lönebidragsjobb", "Återbruksverkstaden": a compound the dictionary
    lacks, made of two of its words (the first with a linking "s"), each of at least four letters
    and neither a name. Unlisted names split so seldom (their parts are names – "Stenmark",
    "Sjöstrand" – or shorter, or they have a surname's shape: "Lindgren") that this keeps them."""
    if len(key) < _COMPOUND_LENGTH or len(key) > 30 or _SURNAME_SHAPE.search(key):
        return False  # "Lindgren", "Lagerkvist" are names of two words
    for cut in range(_COMPOUND_PART, len(key) - _COMPOUND_PART + 1):
        head, modifier = key[cut:], key[:cut]
        if not _part(head):
            continue
        stems = [modifier]
        if modifier.endswith("s") and len(modifier) > _COMPOUND_PART:
            stems.append(modifier[:-1])
        if any(_part(stem) or (depth == 0 and _compound(stem, 1)) for stem in stems):
            return True
    return False


def _part(word: str) -> bool:
    return len(word) >= _COMPOUND_PART and (_dictionary_form(word) or word in swedish_words())


def _unknown_genitive(token: "_Token", after: str) -> bool:
    """"Teodoras situation är svår": a genitive of a word no dictionary knows, before a plain
    word (the domain's "Jobbtorgs", "Nämndens" are known or listed)."""
    next_word = after.split(maxsplit=1)[0] if after.strip() else ""
    return (token.key.endswith("s") and len(token.key) > 4 and _dictionary_unknown(token)
            and not is_swedish_form(token.lower[:-1]) and next_word.isalpha() and next_word.islower()
            and next_word not in _FUNCTION_WORDS and is_swedish_form(next_word))


def _dictionary_unknown(token: "_Token") -> bool:
    """Not even the dictionary knows it (and it is a word of a name's length)."""
    return len(token.key) > 2 and not is_swedish_form(token.lower) and not is_swedish_form(token.key)


def _dictionary_form(word: str) -> bool:
    lex = lexicon()
    return word not in lex.names and word not in lex.name_words and is_swedish_form(word)


# A sentence's first word followed by one of these is a name when it is no Swedish word
# ("Amadou har LMA-kort", "Gezim är 24"); verbs' own endings keep "Pratade", "Ringer" out.
# Only what a person does: "Bankid fungerar", "Ekbistånd räcker" say nothing of a name. Folded.
_VERB_AFTER = re.compile(r"^ (?:har|hade|ar|var|bor|bodde|vill|ville|kom|ska|skulle|kan|kunde|mar|madde|fick|far|"
                         r"behover|behovde|jobbar|jobbade|arbetar|arbetade|studerar|studerade|sager|sa|sade|blir|blev|"
                         r"tycker|tyckte|tror|trodde|gar|gick|saknar|vantar|vantade|skriver|skrev|ringer|ringde|"
                         r"mejlar|mejlade|mailade|smsar|smsade|flyttar|flyttade|pratar|pratade|berattar|berattade|"
                         r"onskar|onskade|soker|sokte|laser|laste|lever|levde|kanner|kande|orkar|orkade|klarar|klarade|"
                         r"vagrar|vagrade|undrar|undrade|tackade|uteblev|deltar|deltog|fyller|fyllde|hoppas|oroar)\b")
_VERB_ENDINGS = ("ade", "de", "te", "ar", "er", "or")


# "Dalmar och Cawo har ...": a list of names; checked against the next word's own reading below.
_AND_NAME_AFTER = re.compile(r"^ (?:och|&) [A-Z]")
# "Tuuli f. 1998-03-12", "Tuuli, pnr ...", "Tuuli 980312-1234": the way a note introduces a person.
_IDENTITY_AFTER = re.compile(r"^\s*,?\s*(?:f\.|f \d|fodd|fod\.|pnr|p-nr|personnr|personnumm?er|\(?(?:19|20)?\d{6}[-+ ]?\d{4}\b)")
_FINITE_VERB_ENDINGS = ("ar", "er", "ir", "ur", "or", "de", "te", "dde", "tt")


def _plain_unknown(token: "_Token") -> bool:
    """A lower-case word that is no Swedish word we know and has no verb's ending."""
    return len(token.key) > 2 and not _known_word(token) and not token.key.endswith(_FINITE_VERB_ENDINGS)


def _genitive_before_cue(token: "_Token", after: str) -> bool:
    """"Ilmaris mamma", "Kwames handläggare": a genitive before a word for kin or a role."""
    next_word = after.split(maxsplit=1)[0] if after.strip() else ""
    return token.key.endswith("s") and next_word in CUE_WORDS


def _shaped(token: "_Token", prose: bool) -> bool:
    """A surname's shape, in a word the dictionary does not have as written ("Kompassen",
    "Medicinen" end as "Petterssen", "Virtanen" do)."""
    return bool(_SURNAME_SHAPE.search(token.key)) and not (prose and is_swedish_form(token.lower, folded_too=False))


def _stem_unknown_as_written(token: "_Token") -> bool:
    """"Rojdas mamma": the genitive's stem is no word as it is written ("rojda" is only "röjda"
    typed without ö), as the nouns before a kin word are ("Klientens", "Grannens")."""
    stem = token.lower[:-2] if token.lower.endswith(("'s", ":s")) else token.lower[:-1]
    return (len(stem) > 2 and stem not in swedish_words() and not is_swedish_form(stem, folded_too=False)
            and not _compound(stem))


@dataclass
class _Token:
    start: int
    end: int
    text: str
    key: str            # folded
    lower: str
    capitalised: bool
    all_caps: bool
    initial: bool       # first word of a sentence, line or bullet
    is_name: bool = False


def _tokens(text: str, folded: str) -> list[_Token]:
    """The words of `text`; `folded` is fold(text), whose slices are the words folded (one
    character for one) without folding each word again."""
    tokens = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        if start > 0 and text[start - 1] == "[" and text[end:end + 1] == "]":
            continue  # a placeholder from an earlier masking
        word = match.group(0)
        # "ADHD", and compounds on an acronym ("LMA-kort", "DUR-uppföljning"), are no names.
        first_part = [c for c in _PART_SEPARATOR.split(word, 1)[0] if c.isalpha()]
        all_caps = len(first_part) > 1 and all(c.isupper() for c in first_part)
        before = text[max(0, start - 20):start].rstrip(" \t")
        initial = (not before and start <= 20) or (before[-1:] in _SENTENCE_ENDS and before != "")
        tokens.append(_Token(start, end, word, folded[start:end], word.lower().replace("’", "'"), word[0].isupper(), all_caps, initial))
    return tokens


def _lookup(token: _Token, words: Words) -> bool:
    key = token.lower
    if key in words:
        return True
    # Genitive: "Aminas mamma", "Mohammed's", "Fatimas"; and parts of a hyphenated name.
    if key.endswith(("'s", ":s")) and key[:-2] in words:
        return True
    if key.endswith("s") and len(key) > 3 and key[:-1] in words:
        return True
    return "-" in key and any(part in words for part in key.split("-") if len(part) > 2)


# "A.M., 33 år", "klienten S.O.": two or three initials, each with its dot.
_INITIALS = re.compile(r"(?<![\w.])[A-ZÅÄÖ]\. ?[A-ZÅÄÖ]\.(?: ?[A-ZÅÄÖ]\.)?(?![\w])")
# The words that label an identifier at a line's start ("Tel 070-…", "Adress Tensta allé 19"):
# the word before an identifier is a name only when it is none of these.
_IDENTIFIER_LABELS = frozenset("""
tel tfn telefon telefonnr telnr mobil mobilnr mob hem jobb arbete pnr personnr personnummer persnr
samordningsnr samordningsnummer adress adressen bor lgh mejl mail mejla maila epost e-post email
ring ringa sms kontonr clearing clearingnr bankkonto konto dnr diarienr arendenr lma dossiernr fodd
""".split())


def names(text: str, taken: list[bool] | None = None, prose: bool = True) -> Iterator[Span]:
    """Names in `text`; words inside `taken` (an e-mail address, a street) are not read. Not
    `prose` (program output such as a log line, where capitalised words are class names): only
    the lists, surname shapes and cues count, not that a word is unknown."""
    lex = lexicon()
    known = _known_word if prose else (lambda token: True)
    plain_unknown = _plain_unknown if prose else (lambda token: False)
    in_initials = [False] * len(text)
    for match in _INITIALS.finditer(text) if prose else ():
        in_initials[match.start():match.end()] = [True] * (match.end() - match.start())
        yield Span(match.start(), match.end(), "namn")
    folded = fold(text)
    tokens = [t for t in _tokens(text, folded) if not (taken and any(taken[t.start:t.end])) and not in_initials[t.start]]

    def strong_cue(i: int) -> bool:
        return bool(_STRONG_CUE.search(folded[max(0, tokens[i].start - 40):tokens[i].start]))

    def weak_cue(i: int) -> bool:
        return bool(_WEAK_CUE.search(folded[max(0, tokens[i].start - 40):tokens[i].start]))

    def lower_case_cue(i: int) -> bool:
        before = folded[max(0, tokens[i].start - 40):tokens[i].start]
        return ((bool(_WEAK_CUE.search(before)) and not _POSSESSIVE_END.search(before))
                or bool(_CONTACT_CUE.search(before)))

    def identifier_after(i: int) -> bool:
        """"Saido Tenstagången 12", "Marwa 980368-2245": a note's name before the person's
        address or number (found by the structured recognisers: `taken`)."""
        rest = text[tokens[i].end:tokens[i].end + 4]
        gap = len(rest) - len(rest.lstrip(" ,:("))
        position = tokens[i].end + gap
        return (bool(taken) and 0 < gap and position < len(text) and taken[position]
                and tokens[i].key not in _IDENTIFIER_LABELS)

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
        elif domain_word(token) or _SAINT.search(folded[max(0, token.start - 7):token.start]):
            continue  # the domain's own words; saints' names are hospitals and streets here
        elif _lookup(token, lex.names):
            token.is_name = True
        elif weak_cue(i) and (token.capitalised or _lookup(token, lex.name_words)) and not token.all_caps:
            token.is_name = token.capitalised
        elif token.capitalised and not token.all_caps and not token.initial:
            # "ICA Maxi", "BUP Kista": after an acronym, a part of the organisation's name.
            after_acronym = (i > 0 and tokens[i - 1].all_caps and tokens[i - 1].key not in CUE_WORDS
                             and _adjacent(text, tokens[i - 1], token))
            unknown_capital = (not known(token) and not _in_place_list(text, folded, tokens, i)
                               and not after_acronym)
            # "Hon har Lönebidrag 2 år": a Swedish word before a duration is no name.
            token.is_name = (_lookup(token, lex.name_words) or _shaped(token, prose)
                             or (age_after(i) and not known(token)) or unknown_capital)
        elif token.capitalised and token.initial and not token.all_caps:
            listed_or_shaped = _lookup(token, lex.name_words) or bool(_SURNAME_SHAPE.search(token.key))
            unknown = not known(token) and not token.key.endswith(_VERB_ENDINGS)
            after = folded[token.end:token.end + 16]
            after_as_written = text[token.end:token.end + 16]
            token.is_name = ((age_after(i) and (listed_or_shaped or unknown))
                             or (_shaped(token, prose) and bool(_VERB_AFTER.match(after)))  # "Stålhammar har"
                             or (unknown and bool(_VERB_AFTER.match(after)))
                             or (not known(token) and bool(_AND_NAME_AFTER.match(after_as_written)))
                             or ((unknown or (prose and _stem_unknown_as_written(token)))
                                 and _genitive_before_cue(token, after))
                             or (unknown and _unknown_genitive(token, after))
                             or ((unknown or listed_or_shaped) and identifier_after(i))
                             or (not known(token) and token.key not in _IDENTIFIER_LABELS
                                 and bool(_IDENTITY_AFTER.match(after))))
        elif (not token.capitalised and not token.all_caps and lower_case_cue(i) and plain_unknown(token)):
            token.is_name = True  # "hennes pappa amadou", "kontaktperson teodora" typed in lower case
        elif (not token.capitalised and i > 0 and tokens[i - 1].is_name and not tokens[i - 1].capitalised
              and (lower_case_cue(i - 1) or strong_cue(i - 1)) and _adjacent(text, tokens[i - 1], token)
              and plain_unknown(token)):
            token.is_name = True  # "... pappa amadou diallo": the surname after it
        elif (not token.capitalised and i > 0 and tokens[i - 1].is_name and strong_cue(i - 1)
              and _adjacent(text, tokens[i - 1], token) and not known(token)):
            token.is_name = True  # "heter teodora ramirez": the surname typed in lower case too

    # 2. Full names: a capitalised word (or a listed one) next to a name, across particles.
    changed = True
    while changed:
        changed = False
        for i, token in enumerate(tokens):
            if token.is_name or token.key in _FUNCTION_WORDS:
                continue
            # "Hans" is a cue ("hans mamma") and, as "Han"'s genitive, a domain word.
            if (token.key in CUE_WORDS or domain_word(token)) and not _first_name_before_surname(text, tokens, i):
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
            listed = _lookup(token, lex.name_words) or _lookup(token, lex.names)
            shaped = token.capitalised and bool(_SURNAME_SHAPE.search(token.key))
            # A sentence's first word is capitalised anyway ("Mejla Anna ...", "Träffade Ali ..."):
            # it joins a name only before a surname ("Josef Lindqvist").
            # ... or, being no Swedish word at all, before any name ("Fartun Cali", "Hodan Abdi").
            before_surname = (i + 1 < len(tokens) and tokens[i + 1].is_name and _adjacent(text, token, tokens[i + 1])
                              and not known(token) and not token.key.endswith(_VERB_ENDINGS)
                              and (_is_surname(tokens[i + 1]) or _dictionary_unknown(token)))
            plain_capital = token.capitalised and not token.all_caps and (not token.initial or before_surname)
            if listed or shaped or plain_capital:
                token.is_name = True
                changed = True
        for i, token in enumerate(tokens):
            if token.key in _PARTICLES and not token.is_name and 0 < i < len(tokens) - 1:
                if tokens[i - 1].is_name and tokens[i + 1].is_name:
                    token.is_name = True

    for token in tokens:
        if token.is_name:
            yield Span(token.start, token.end, "namn")


def _first_name_before_surname(text: str, tokens: list[_Token], i: int) -> bool:
    """A cue word that is also a first name, capitalised before a capitalised name that is no
    first name: "Hans Berg har försörjningsstöd" (but "hans mamma", "Hans Ahmed" is "his Ahmed")."""
    lex = lexicon()
    token = tokens[i]
    if not (token.capitalised and _lookup(token, lex.name_words) and i + 1 < len(tokens)):
        return False
    after = tokens[i + 1]
    return (after.is_name and after.capitalised and not after.all_caps and _adjacent(text, token, after)
            and not _lookup(after, lex.first_names))


def _is_surname(token: _Token) -> bool:
    """No first name: "Lindqvist", "Kärkkäinen", an unlisted "Bekele"; not "Ali" or "Anna"."""
    lex = lexicon()
    return token.capitalised and (_lookup(token, lex.surnames)
                                  or not (_lookup(token, lex.first_names) or _lookup(token, lex.name_words)))


def _after_place_preposition(folded: str, token: _Token) -> bool:
    """"bor i Vårby", "kommer från Eskilstuna", "praktik på Coop", "S:t Görans": a place or an
    organisation (a person is "hos", "med" or "till" someone); "ett Stödboende", "sitt Jobb": a
    noun after its article or possessive."""
    before = folded[max(0, token.start - 7):token.start]
    return bool(_PLACE_PREPOSITION.search(before)) and not _MESSAGE_FROM.search(folded[max(0, token.start - 20):token.start])


_PLACE_PREPOSITION = re.compile(r"(?:\b(?:i|fran|pa|s:t|sankt|en|ett|den|det|denna|detta|sin|sitt|sina|min|mitt|din|ditt)|\bst\.)\s$")


def _in_place_list(text: str, folded: str, tokens: list[_Token], i: int) -> bool:
    """After a place preposition, or in a list that follows one: "i Mogadishu och Nairobi",
    "bor i Gubbängen, Hökarängen eller Stureby"."""
    for j in range(i, max(i - 6, 0) - 1, -1):
        if _after_place_preposition(folded, tokens[j]):
            return True
        if j == 0 or not tokens[j - 1].capitalised or text[tokens[j - 1].end:tokens[j].start] not in (", ", " och ", " eller ", " & "):
            return False
    return False


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    return text[left.end:right.start] in (" ", "-", " - ")
