"""The near-copy rule of the evaluation sets: two messages are near copies when they share at
least 60 % of their distinct words (Jaccard). A near copy in a check or held-out half would carry
a training or tune message into it, so the sets' tests refuse them."""
from __future__ import annotations

from collections.abc import Callable, Iterable

NEAR_COPY_JACCARD = 0.6


def near_copies(texts: Iterable[str], others: Iterable[str], words: Callable[[str], set[str]]) -> list[str]:
    """The texts that are a near copy of one of `others`, compared as `words` splits them."""
    other_words = [words(other) for other in others]
    near = []
    for text in texts:
        mine = words(text)
        if any(len(mine & other) >= NEAR_COPY_JACCARD * len(mine | other) for other in other_words):
            near.append(text)
    return near
