"""The words of a passage that answer a question: its sentences, weighed, and the best stretch of
at most `limit` characters around the best one.

A passage of 250 words holds several answers; quoting its first lines quotes the wrong one when
the answer is its third sentence ("… att parallellt delta i kommunala arbetsmarknadsinsatser …",
002 §4.2.2). So each sentence is weighed by the caller's `weight` (the retriever: the idf of the
question's terms it contains, knowledge/retrieval/search.py) and the quote starts at the best:

- a quote is a run of whole sentences that starts at a sentence weighing something and goes on
  while it fits (the next sentence often holds the answer: "Beslut enligt 4 kap. 2 § … kan inte
  prövas via förvaltningsbesvär. …"); the run covering most of the question wins;
- a list item is a sentence of its own; its lead-in ("… enligt följande:") may start the run, so
  "- 22-40 timmar/vecka" keeps what it is about;
- a sentence longer than the limit is cut to the window of words that weighs most, with "…"
  where it was cut.
"""
import re
from collections.abc import Callable, Sequence

MAX_QUOTE_CHARS = 400  # two quotes of this size still read as a chat answer
ELLIPSIS = "…"
_LIST_ITEM = re.compile(r"^\s*(?:[-•–]|\d{1,2}\.)\s+")
# A sentence ends at . ! ? before a capital, a digit-free opening quote or a dash; "4 kap. 1 §"
# and "ex. Arbetsförmedlingen" do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ”\"])")
_NO_END = re.compile(r"(?:\b(?:ex|t\.ex|bl\.a|kap|p|s|nr|jfr|dvs|resp|ca)\.)$", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The passage's sentences in order; every line of a list is one, with its "- " kept."""
    out: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        pieces = _SENTENCE_END.split(line)
        merged: list[str] = []
        for piece in pieces:
            if merged and _NO_END.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        out.extend(merged)
    return out


def is_list_item(sentence: str) -> bool:
    return bool(_LIST_ITEM.match(sentence))


def _lead_in(parts: list[str], item: int) -> int | None:
    """The sentence introducing the list that `item` belongs to, if it is a list item."""
    if not is_list_item(parts[item]):
        return None
    for i in range(item - 1, -1, -1):
        if not is_list_item(parts[i]):
            return i if parts[i].endswith(":") else None
    return None


def _join(parts: list[str]) -> str:
    return " ".join(parts)


def _cut(sentence: str, weight: Callable[[str], float], limit: int) -> str:
    """The window of whole words of at most `limit` characters (ellipses included) that weighs most."""
    words = sentence.split()
    room = limit - 2 * (len(ELLIPSIS) + 1)
    best: tuple[float, int, int] | None = None
    for start in range(len(words)):
        end, length = start, 0
        while end < len(words) and length + len(words[end]) + 1 <= room:
            length += len(words[end]) + 1
            end += 1
        if end == start:
            continue
        score = weight(" ".join(words[start:end]))
        if best is None or score > best[0]:
            best = (score, start, end)
        if end == len(words):
            break
    if best is None:
        return sentence[:room] + " " + ELLIPSIS
    _, start, end = best
    text = " ".join(words[start:end])
    return ("" if start == 0 else ELLIPSIS + " ") + text + ("" if end == len(words) else " " + ELLIPSIS)


# How far past the limit a quote may run to finish a sentence that ends in ":".
LEAD_IN_SLACK = 1.5


def _window(parts: list[str], start: int, limit: int) -> tuple[str, int]:
    """The sentences from `start` on that fit in `limit` characters, and how many they are."""
    end = start + 1
    while end < len(parts) and len(_join(parts[start : end + 1])) <= limit:
        end += 1
    return _join(parts[start:end]), end - start


def _finished(parts: list[str], start: int, count: int, quote: str, limit: int) -> str:
    """The chosen quote, not stopped on a sentence that ends in ":": "… vänder sig till de
    personer som ingår i målgruppen … enligt följande definition från Nationell
    psykiatrisamordning:" says nothing without the definition after it (002 §1.1), so that one
    sentence is added if the whole stays within `LEAD_IN_SLACK` times the limit. Added after the
    choice, so it never changes which stretch is quoted."""
    end = start + count
    if end < len(parts) and quote.endswith(":") and len(_join(parts[start : end + 1])) <= limit * LEAD_IN_SLACK:
        return _join(parts[start : end + 1])
    return quote


def best_excerpt(text: str, weight: Callable[[str], float], limit: int = MAX_QUOTE_CHARS, bonus: Sequence[float] | None = None) -> str:
    """The stretch of `text` that answers best by `weight`, at most `limit` characters.

    `bonus`, one number per sentence (the retriever: how close the sentence's meaning is to the
    question's), adds the largest bonus among a stretch's sentences to its weight.

    Each sentence that weighs anything (and the lead-in of such a list item) may start the quote,
    which then runs on while it fits; the start whose stretch weighs most wins, then the one whose
    own first sentence weighs most (the answer first), then the earliest. `weight` should count
    each question term once, so a stretch is worth the terms it covers, not their repetitions.
    """
    parts = sentences(text)
    if not parts:
        return ""
    extra = list(bonus) if bonus is not None and len(bonus) == len(parts) else [0.0] * len(parts)

    def worth(first: int, count: int, quote: str) -> float:
        return weight(quote) + max(extra[first : first + count])

    # start -> the weight of the sentence it quotes first; a lead-in counts as its item.
    starts = {i: w for i, s in enumerate(parts) if (w := weight(s) + extra[i]) > 0}
    for i, w in list(starts.items()):
        lead = _lead_in(parts, i)
        if lead is not None:
            starts[lead] = max(starts.get(lead, 0.0), w)
    candidates = []
    for i, first in sorted(starts.items() or {0: 0.0}.items()):
        quote, count = (_cut(parts[i], weight, limit), 1) if len(parts[i]) > limit else _window(parts, i, limit)
        candidates.append((worth(i, count, quote), first, -i, quote, count))
    _, _, start, quote, count = max(candidates)
    return _finished(parts, -start, count, quote, limit)
