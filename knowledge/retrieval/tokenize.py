"""Swedish tokens for BM25: folded, lemmatised and stemmed, abbreviations expanded, compounds
also in parts.

tokens("Arbetsrehabiliterande sysselsättning enligt 4:1") ->
    ["arbetsrehabiliter", "arbet", "rehabiliter", "sysselsattning", "4kap1"]

Folding before stemming makes "sysselsattning" and "sysselsättning" the same token. The Swedish
Snowball stemmer alone splits one word's forms ("insats" -> "insat", "insatser" -> "insats"), so
words first go to their lemma in the spacy-lookups-data table (kept for the corpus' lemmas
only: every form of a word the corpus uses maps to it). A compound
("sysselsättningsinsats") also yields its parts when they are words of the corpus, so a question
about "insats för sysselsättning" finds it: the split with the fewest parts, each at least four
letters, inner parts optionally followed by a linking "s" (after Koehn & Knight 2003, "Empirical
methods for compound splitting", restricted to the corpus vocabulary); an inflected compound that
does not split is split as its lemma.

The tokenizer's whole configuration (abbreviations, stop words, compound vocabulary) is saved
with the index, so questions are tokenized exactly like the passages were.
"""
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import snowballstemmer

from knowledge.ingest.lexicon import lemma_table
from knowledge.ingest.swedish import fold, stop_words
from knowledge.retrieval.normalize import ABBREVIATIONS, expansions, prepare

TOKENIZER_VERSION = 1
MIN_PART = 4
MIN_COMPOUND = 8
MIN_GENITIVE = 6
# Words that frame a handläggare's question rather than say what it is about ("kan hen få …",
# "min klient har …"); the documents rarely use them, so they would weigh as much as a topic word.
QUESTION_FRAMING = frozenset({"hen", "hens", "henom", "klient", "klienten", "klientens", "klienter"})
WORD_RE = re.compile(r"\d+kap\d+|[^\W_]+")


@dataclass
class Tokenizer:
    vocabulary: dict[str, int]  # folded words of the corpus and how often they occur
    stop: frozenset[str]
    lemmas: dict[str, str]  # folded form -> folded lemma, for the lemmas of the corpus
    abbreviations: dict[str, str] = field(default_factory=lambda: dict(ABBREVIATIONS))
    _stemmer: object = field(default=None, repr=False, compare=False)
    _cache: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("swedish")
        # A compound part is a corpus word or the lemma of one ("arbetsmarknad" of "arbetsmarknaden").
        self._parts = set(self.vocabulary) | {self.lemmas.get(word, word) for word in self.vocabulary}

    def stem(self, folded: str) -> str:
        return self._stemmer.stemWord(self.lemmas.get(folded, folded))

    def _base(self, folded: str) -> str:
        """A genitive the corpus does not inflect ("socialpsykiatrins", "jobbtorgs") is its word; a
        definite plural in "-ena" the lemma table lacks ("mellanärendena") is its "-en" plural, which
        Snowball stems as the other forms ("-a" alone would be cut, leaving "mellanarenden")."""
        if folded not in self.lemmas and len(folded) >= MIN_COMPOUND and folded.endswith("ena") and (folded[:-1] in self.lemmas or self.split_compound(folded[:-1])):
            return folded[:-1]
        if folded in self.lemmas or len(folded) < MIN_GENITIVE or folded[-1] != "s":
            return folded
        return folded[:-1] if folded[:-1] in self._parts else folded

    def tokens(self, text: str, correct: Callable[[str], str | None] | None = None) -> list[str]:
        """The tokens of a text; `correct` may replace a word whose tokens the index lacks (typos)."""
        out: list[str] = []
        for word in WORD_RE.findall(prepare(text)):
            expansion = expansions(word)
            tokens = self._word_tokens(word.lower())
            if correct is not None and tokens:
                replacement = correct(fold(word))
                tokens = self._word_tokens(replacement) if replacement else tokens
            out.extend(tokens)
            if expansion:
                out.extend(t for w in expansion.split() for t in self._word_tokens(w))
        return out

    def _word_tokens(self, word: str) -> tuple[str, ...]:
        cached = self._cache.get(word)
        if cached is None:
            folded = fold(word)
            if folded in self.stop or not folded:
                cached = ()
            elif folded[0].isdigit():
                cached = (folded,)
            else:
                folded = self._base(folded)
                # An inflected compound whose inflected last part the corpus lacks ("arbetsförmågan",
                # with only "förmåga" a corpus word) splits as its lemma, so it meets "arbetsförmåga".
                parts = self.split_compound(folded) or self.split_compound(self.lemmas.get(folded, folded))
                lemma = self._compound_lemma(folded, parts)
                cached = (self.stem(lemma),) + tuple(self.stem(p) for p in parts)
                cached += tuple(dict.fromkeys(v for w in (self.lemmas.get(lemma, lemma), *parts) for v in self._verbs_of(w) if v not in cached))
            self._cache[word] = cached
        return cached

    def _compound_lemma(self, folded: str, parts: list[str]) -> str:
        """A compound the lemma table lacks takes its last part's lemma: "socialpsykiatrin" ->
        "socialpsykiatri", so it meets "socialpsykiatriens" and "socialpsykiatri"."""
        if folded in self.lemmas or not parts:
            return folded
        last = parts[-1]
        return folded[: len(folded) - len(last)] + self.lemmas.get(last, last)

    def _verbs_of(self, lemma: str) -> tuple[str, ...]:
        """The stem of the verb a noun of action is made from ("planering" -> planera, "prestation"
        -> prestera, "definition" -> definiera, "samordning" -> samordna, "bedömning" -> bedöma): a question asks with the verb
        what the documents say with the noun ("måste man prestera" -> "prestationskrav"). Of the two
        readings of "-ning" only one the corpus knows is taken."""
        if len(lemma) < MIN_COMPOUND - 1:
            return ()
        if lemma.endswith("ering"):
            verbs = [lemma[:-3] + "a"]
        elif lemma.endswith("ation"):
            verbs = [lemma[:-5] + "era"]
        elif lemma.endswith("ition"):
            verbs = [lemma[:-4] + "era"]
        elif lemma.endswith("ning"):
            verbs = [v for v in (lemma[:-4] + "a", lemma[:-3] + "a") if self._known(v)]
        else:
            return ()
        return tuple(self.stem(v) for v in verbs)

    def _known(self, part: str) -> bool:
        return part in self._parts

    def split_compound(self, folded: str) -> list[str]:
        """The parts of a compound known to the corpus (fewest parts), or [] if it has none."""
        if len(folded) < MIN_COMPOUND:
            return []
        best: dict[int, list[str]] = {0: []}
        for end in range(MIN_PART, len(folded) + 1):
            options = []
            for start, parts in best.items():
                piece = folded[start:end]
                if len(piece) < MIN_PART or (start == 0 and end == len(folded)):
                    continue
                inner = end < len(folded)
                if self._known(piece):
                    options.append(parts + [piece])
                elif inner and piece[-1] == "s" and len(piece) > MIN_PART:
                    # a linking "s", after a dropped "e" too: "arbets-" of "arbete"
                    stem = next((w for w in (piece[:-1], piece[:-1] + "e") if self._known(w)), None)
                    if stem:
                        options.append(parts + [stem])
            if options:
                best[end] = min(options, key=len)
        return best.get(len(folded), [])

    def config(self) -> dict:
        return {
            "version": TOKENIZER_VERSION,
            "stemmer": "snowball-swedish",
            "min_part": MIN_PART,
            "min_compound": MIN_COMPOUND,
            "abbreviations": self.abbreviations,
            "stop_words": sorted(self.stop),
            "vocabulary": self.vocabulary,
            "lemmas": self.lemmas,
        }

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.config(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]

    @classmethod
    def from_config(cls, config: dict) -> "Tokenizer":
        if config.get("version") != TOKENIZER_VERSION:
            raise ValueError(f"tokenizer version {config.get('version')} is not {TOKENIZER_VERSION}")
        return cls(
            vocabulary=dict(config["vocabulary"]),
            stop=frozenset(config["stop_words"]),
            lemmas=dict(config["lemmas"]),
            abbreviations=dict(config["abbreviations"]),
        )


def corpus_lemmas(words: Iterable[str]) -> dict[str, str]:
    """Every folded form whose lemma is the lemma of a corpus word, mapped to that lemma."""
    table: dict[str, str] = {}
    entries = lemma_table()
    # Folding merges words ("stöd", "stod" of "stå"): a spelling that is a lemma stays itself.
    lemmas = {fold(lemma) for lemma in entries.values()}
    for form, lemma in sorted(entries.items()):
        if fold(form) not in lemmas:
            table.setdefault(fold(form), fold(lemma))
    wanted = {table.get(word, word) for word in words}
    return {form: lemma for form, lemma in sorted(table.items()) if lemma in wanted and form != lemma}


def build_tokenizer(texts: Iterable[str]) -> Tokenizer:
    """A tokenizer for this corpus: its words (seen at least twice) for compounds, its lemmas."""
    counts = Counter(fold(w) for text in texts for w in re.findall(r"[^\W\d_]+", text))
    vocabulary = {w: n for w, n in sorted(counts.items()) if n >= 2 and len(w) >= MIN_PART}
    stop = frozenset(fold(w) for w in stop_words()) | QUESTION_FRAMING
    return Tokenizer(vocabulary=vocabulary, stop=stop, lemmas=corpus_lemmas(counts))
