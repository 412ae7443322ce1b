"""Typos in questions: a word whose tokens the index does not know is read as the corpus word one
edit away (a letter missing, extra, changed or two swapped), found through deletions as in
SymSpell (Garbe 2012): two strings are within one edit when their one-deletion sets meet.
"""
from collections.abc import Iterable

MIN_LENGTH = 5  # shorter tokens have too many neighbours to guess from


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class TypoIndex:
    def __init__(self, terms: Iterable[str]):
        self._by_deletion: dict[str, set[str]] = {}
        for term in terms:
            if len(term) >= MIN_LENGTH - 1 and term.isalpha():
                for key in _deletions(term) | {term}:
                    self._by_deletion.setdefault(key, set()).add(term)

    def corrections(self, token: str) -> list[str]:
        """Known words one edit from `token`, sorted; none for short or numeric tokens."""
        if len(token) < MIN_LENGTH or not token.isalpha():
            return []
        found = set()
        for key in _deletions(token) | {token}:
            found |= self._by_deletion.get(key, set())
        return sorted(t for t in found if t != token and _within_one_edit(t, token))
