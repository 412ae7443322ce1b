"""Numbers for the OCR repair: out-of-vocabulary share and word error rate against a hand-corrected sample."""
import re
from collections.abc import Iterable

_WORD_RE = re.compile(r"[^\W\d_]+")


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def oov_share(text: str, vocabulary: set[str]) -> float:
    """Share of word tokens whose lower-cased form is not in `vocabulary`."""
    tokens = [w.lower() for w in words(text)]
    return sum(w not in vocabulary for w in tokens) / len(tokens) if tokens else 0.0


def vocabulary(texts: Iterable[str]) -> set[str]:
    return {w.lower() for text in texts for w in words(text)}


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance over words (substitutions, insertions and deletions cost 1)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        current = [i]
        for j, hyp in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref = [w.lower() for w in words(reference)]
    hyp = [w.lower() for w in words(hypothesis)]
    return edit_distance(ref, hyp) / len(ref) if ref else 0.0
