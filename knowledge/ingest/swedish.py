"""Swedish letter handling shared by OCR repair and retrieval: folding and word tokens."""
import ast
import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a", "ø": "o"})

# Letters, digits and the joining characters inside Swedish words ("IPS-metoden", "SP/LSS").
WORD_RE = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


def fold(text: str) -> str:
    """Lower-case and fold å/ä/ö so "Sysselsättning" and "sysselsattning" compare equal."""
    return unicodedata.normalize("NFC", text).lower().translate(_FOLD)


def apply_case(word: str, pattern: str) -> str:
    """Give `word` the capitalisation of `pattern` (ALL CAPS, Capitalised or lower)."""
    letters = [c for c in pattern if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if letters and letters[0].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's Swedish stop words, read as data: importing spaCy would pull in its whole stack."""
    spec = importlib.util.find_spec("spacy")
    source = Path(spec.origin).parent / "lang" / "sv" / "stop_words.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    literals = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return frozenset(word for literal in literals for word in literal.split())
