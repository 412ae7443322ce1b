"""Swedish text normalisation shared by the NLU components and the fact extractor."""

_FOLDING = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a", "ø": "o"})


def fold(text: str) -> str:
    """Lower-case and fold Swedish letters, so typing without å/ä/ö matches ("Försörjningsstöd" -> "forsorjningsstod")."""
    return text.lower().translate(_FOLDING)
