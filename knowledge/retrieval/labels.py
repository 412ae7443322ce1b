"""Answering passages the labels of a question set miss, derived from the labels' own quote words.

The documents repeat each other: 001 restates 002's intervals, 002 §2.3 and §4.2.5 both say
"minst var sjätte månad", 004 opens its LSS criteria list in one passage and ends it in the next.
A question labelled with one of two passages that say the same thing counts the other as a miss.

The rule is mechanical and never looks at a ranking. A passage answers a question as well when
- it holds the words of one of the question's `quote` labels (compared as the evaluation compares
  quotes: folded, lower-cased, whitespace-blind), and
- it holds every term of the question that the labelled passages hold (tokenized as in search,
  heading path included), so a passage on another insats or target group that shares a list
  line ("Den enskilde ska vara i yrkesverksam ålder." opens both of 004's 4:2 lists) does not
  answer a question that names one of them.

`python -m knowledge audit-labels` lists what it finds; docs/retrieval.md says what it changed.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from knowledge.corpus.passage import Passage
from knowledge.retrieval.evaluate import Question, comparable
from knowledge.retrieval.index import passage_document


@dataclass(frozen=True)
class ExtraAnswer:
    question: str
    passage: Passage
    quote: str  # the label's words, which the passage holds too
    repeats: str  # the labelled passage whose quote it repeats


class LabelAudit:
    def __init__(self, passages: list[Passage], tokens: Callable[[str], Iterable[str]]):
        self.passages = passages
        self.tokens = tokens
        self._by_id = {p.id: p for p in passages}
        self._terms = {p.id: set(tokens(passage_document(p))) for p in passages}
        self._texts = {p.id: comparable(p.text) for p in passages}

    def extra_answers(self, question: Question) -> list[ExtraAnswer]:
        """Passages outside the question's labels that repeat one of its quotes and hold the
        question's terms that its labelled passages hold, in corpus order, each once."""
        labelled = [pid for pid in question.passages if pid in self._by_id]
        needed = set(self.tokens(question.text)) & set().union(*(self._terms[pid] for pid in labelled))
        found: dict[str, ExtraAnswer] = {}
        for source, words in zip(question.passages, question.quotes):
            if not words or source not in self._by_id:
                continue
            wanted = comparable(words)
            for passage in self.passages:
                if passage.id in question.passages or passage.id in found:
                    continue
                if wanted in self._texts[passage.id] and needed <= self._terms[passage.id]:
                    found[passage.id] = ExtraAnswer(question.id, passage, words, source)
        return list(found.values())

    def run(self, questions: list[Question]) -> list[ExtraAnswer]:
        return [extra for question in questions for extra in self.extra_answers(question)]


def corpus_audit() -> LabelAudit:
    """The audit over the corpus' passages, with the tokenizer the index builds from them."""
    from knowledge.corpus import load_passages
    from knowledge.retrieval.tokenize import build_tokenizer

    passages = load_passages()
    return LabelAudit(passages, build_tokenizer([passage_document(p) for p in passages]).tokens)
