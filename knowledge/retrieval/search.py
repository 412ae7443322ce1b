"""Hybrid passage search: BM25 over Swedish tokens and dense embeddings, ranked best first by a
linear score fitted on the tune halves (knowledge/retrieval/ranker.py) over the components below.

The tunables below were chosen on the tune half of tests/data/guideline_questions.yaml and on
tests/data/retrieval_eval.yaml (docs/retrieval.md has the numbers); the guideline set's held-out
half was not looked at while choosing. Their hand-set sum ("convex") is one of the ranker's features.
"""
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from scipy import sparse

from knowledge.corpus.passage import Passage
from knowledge.retrieval import bm25
from knowledge.retrieval.dense import encode
from knowledge.retrieval.errors import QueryError
from knowledge.retrieval.fusion import fusion, min_max
from knowledge.retrieval.index import Index
from knowledge.retrieval.normalize import expansions
from knowledge.retrieval.paraphrase import paraphrase_words
from knowledge.retrieval.phrases import PhraseIndex
from knowledge.retrieval.quote import MAX_QUOTE_CHARS, best_excerpt, sentences
from knowledge.retrieval.ranker import DOCUMENT_FEATURE, Ranker, load_ranker
from knowledge.retrieval.typos import TypoIndex

MODES = ("hybrid", "bm25", "dense", "convex")
FUSION = "convex"
FUSION_PARAMS = {"alpha": 0.8}  # weight of the lexical side
GOVERNING_PRIOR = 0.1  # added to the fused score (0–1) of passages of the governing document (002)
HEADING_WEIGHT = 0.3  # BM25 over the section heading alone, added to BM25 over heading path + text
# The idf of the question terms that one sentence of the passage holds together, added to BM25:
# an answer is usually one sentence, and BM25 alone cannot tell terms met together from terms
# scattered over 250 words (a proximity feature, as in Tao & Zhai 2007, "An exploration of
# proximity measures in information retrieval", here at sentence granularity).
SENTENCE_WEIGHT = 0.5
# The dense side is the mean of three cosines: the passage's, its best sentence's and its best
# window's (index.WINDOW_SENTENCES consecutive sentences). MiniLM reads at most 256 word pieces,
# about the first half of a Swedish passage, while its sentences and windows are read whole; a
# window scores the stretch that answers, so a long passage does not win by its volume and a
# neighbour does not win by sharing the section's topic words.
# In a quote, the cosine of a sentence with the question, times this, is added to its idf weight
# (an answer that shares no word with the question: "vilka aktörer …" -> "Oftast är det …").
QUOTE_DENSE_WEIGHT = 16.0
# Words the paraphrase lexicon adds for a question (knowledge/retrieval/paraphrase.py) weigh this
# much of the question's own words: they bridge to the documents' wording, but are a guess.
PARAPHRASE_WEIGHT = 0.7
MAX_K = 50
# One short query is too small to share between cores; with other processes on the two cores,
# two torch threads wait on each other (p95 of 400 ms was measured with 2 threads, 12 ms with 1).
# The same for numpy's BLAS (OpenBLAS): the three matrix-vector products of `dense_scores` are
# large enough for it to hand half of each to a second thread, which then spins waiting for the
# next one: 80-90 ms of CPU after every guideline question when the next comes 0.1 s later,
# against 0.6 ms for the products on one thread (docs/benchmarks.md, session 9).
QUERY_THREADS = 1
# What `Retriever.features` computes besides one feature per document (ranker.DOCUMENT_FEATURE).
FEATURES = (
    "bm25", "bm25_paraphrase", "heading_bm25", "heading_bm25_paraphrase", "sentence_idf",
    "dense_passage", "dense_sentence", "dense_window", "governing", "dense_heading_path", "dense_title",
    "term_coverage", "section_best_convex", "convex", "sentence_phrases",
)


@dataclass(frozen=True)
class SearchHit:
    passage: Passage
    score: float

    def to_dict(self) -> dict:
        """SPEC's search result shape, plus id, heading_path and page."""
        p = self.passage
        return {
            "doc": p.doc,
            "section": p.section,
            "title": p.title,
            "text": p.text,
            "score": round(float(self.score), 6),
            "id": p.id,
            "heading_path": list(p.heading_path),
            "page": p.page,
        }


def dense_query_text(query: str) -> str:
    """The question with its abbreviations spelled out, which the embedding model can read."""
    words = re.findall(r"[^\W_]+", query)
    spelled = [e for w in words if (e := expansions(w))]
    return " ".join([query, *spelled])


def _limit_threads(threads: int) -> None:
    import sys

    from threadpoolctl import threadpool_limits

    if "torch" in sys.modules:  # a stand-in model needs no torch
        sys.modules["torch"].set_num_threads(threads)
    # For the whole process, as torch's: called, not entered as a context.
    threadpool_limits(threads, user_api="blas")


class Retriever:
    def __init__(self, index: Index, model, max_query_chars: int):
        _limit_threads(QUERY_THREADS)
        self.index = index
        self.model = model
        self.max_query_chars = max_query_chars
        self.typos = TypoIndex(index.tokenizer.vocabulary)
        self._by_id = {p.id: p for p in index.passages}
        self._position = {p.id: i for i, p in enumerate(index.passages)}
        # A guideline answer reads its question about ten times (scores, then each quote) and each
        # quote tokenizes the same corpus sentences again: 3-7 ms of a 3-passage answer went to that.
        self.query_vector = lru_cache(maxsize=8)(self._query_vector)
        self.query_terms = lru_cache(maxsize=64)(self._query_terms)
        self.paraphrase_terms = lru_cache(maxsize=64)(self._paraphrase_terms)
        self._text_terms = lru_cache(maxsize=8192)(self._terms_of_text)
        self._governing = np.array([p.doc == index.params["governing_document"] for p in index.passages], dtype=np.float64)
        # A term's idf over the passages weighs it in a sentence too: "parallellt" says more than "insats".
        self._idf = bm25.idf(np.diff(index.weights.indptr).astype(np.float64), len(index.passages))
        # Each passage's sentences, split once: the term matrix and the phrase index number them alike.
        passage_sentences = [sentences(p.text) for p in index.passages]
        self._sentences, self._sentence_starts = self._sentence_matrix(passage_sentences)
        self._phrases = PhraseIndex(index.tokenizer, passage_sentences)
        self._presence = (index.weights > 0).astype(np.float64).tocsr()
        sections = {key: i for i, key in enumerate(dict.fromkeys((p.doc, p.section) for p in index.passages))}
        self._section = np.array([sections[(p.doc, p.section)] for p in index.passages], dtype=np.int64)
        self._documents = {f"{DOCUMENT_FEATURE}{doc}": np.array([p.doc == doc for p in index.passages], dtype=np.float64)
                           for doc in dict.fromkeys(p.doc for p in index.passages)}

    @cached_property
    def ranker(self) -> Ranker:
        """Read on first use: `python -m knowledge fit-ranker` computes features before weights exist."""
        return load_ranker(FEATURES)

    @property
    def feature_names(self) -> tuple[str, ...]:
        """The names `features` computes, in a fixed order."""
        return FEATURES + tuple(self._documents)

    @property
    def passages(self) -> list[Passage]:
        return self.index.passages

    def passage(self, passage_id: str) -> Passage:
        """The indexed passage with this id; KeyError if there is none."""
        return self._by_id[passage_id]

    def validate(self, query: str, k: int) -> str:
        query = (query or "").strip()
        if not query:
            raise QueryError("Frågan är tom. Skriv några ord om vad du söker, till exempel ”kriterier 4 kap. 2 §”.")
        if len(query) > self.max_query_chars:
            raise QueryError(f"Frågan är för lång ({len(query)} tecken). Korta den till högst {self.max_query_chars} tecken.")
        if not 1 <= k <= MAX_K:
            raise QueryError(f"Antalet träffar måste vara mellan 1 och {MAX_K}.")
        return query

    def _correct(self, folded_word: str) -> str | None:
        """A corpus word one edit from a word whose first token the index does not know."""
        tokens = self.index.tokenizer.tokens(folded_word)
        if not tokens or tokens[0] in self.index.vocabulary:
            return None
        candidates = self.typos.corrections(folded_word)
        return max(candidates, key=lambda w: self.index.tokenizer.vocabulary[w]) if candidates else None

    def _query_terms(self, query: str) -> tuple[int, ...]:
        vocabulary = self.index.vocabulary
        return tuple(vocabulary[t] for t in self.index.tokenizer.tokens(query, correct=self._correct) if t in vocabulary)

    def _paraphrase_terms(self, query: str) -> tuple[int, ...]:
        """Terms of the documents' wording for the question's everyday words, not already asked."""
        own = set(self.query_terms(query))
        vocabulary = self.index.vocabulary
        extra = {vocabulary[t] for t in self.index.tokenizer.tokens(paraphrase_words(query)) if t in vocabulary}
        return tuple(sorted(extra - own))

    def _sentence_matrix(self, passage_sentences: list[list[str]]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Sentences × terms (1 where the sentence has the term), sentences in passage order, and
        the row where each passage's sentences start."""
        rows, cols, starts, n = [], [], [], 0
        for split in passage_sentences:
            starts.append(n)
            for sentence in split or [""]:
                terms = self._text_terms(sentence)
                rows += [n] * len(terms)
                cols += sorted(terms)
                n += 1
        matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(self.index.vocabulary)))
        return matrix, np.array(starts, dtype=np.int64)

    def sentence_scores(self, query: str) -> np.ndarray:
        """Per passage, the idf of the question's distinct terms its best sentence holds."""
        weights = np.zeros(len(self.index.vocabulary), dtype=np.float32)
        extra = list(self.paraphrase_terms(query))
        weights[extra] = PARAPHRASE_WEIGHT * self._idf[extra]
        terms = sorted(set(self.query_terms(query)))
        weights[terms] = self._idf[terms]
        per_sentence = self._sentences @ weights
        return np.maximum.reduceat(per_sentence, self._sentence_starts)

    def _terms_of_text(self, text: str) -> frozenset[int]:
        vocabulary = self.index.vocabulary
        return frozenset(vocabulary[t] for t in self.index.tokenizer.tokens(text) if t in vocabulary)

    def quote(self, query: str, passage: Passage, limit: int = MAX_QUOTE_CHARS) -> str:
        """The sentences of the passage that answer the question, at most `limit` characters: a
        sentence weighs the idf of the question's terms it contains, and of its paraphrase terms at
        PARAPHRASE_WEIGHT ("hur länge" finds "under två år" by "tid"; knowledge/retrieval/quote.py)."""
        weight = {t: PARAPHRASE_WEIGHT * self._idf[t] for t in self.paraphrase_terms(query)}
        weight.update({t: self._idf[t] for t in self.query_terms(query)})
        bonus = None
        position = self._position.get(passage.id)
        if position is not None and self.index.passages[position] == passage:
            start = int(self.index.sentence_starts[position])
            count = len(sentences(passage.text))
            bonus = list(QUOTE_DENSE_WEIGHT * (self.index.sentence_embeddings[start : start + count] @ self.query_vector(query)))
        return best_excerpt(passage.text, lambda text: float(sum(weight[t] for t in weight.keys() & self._text_terms(text))), limit, bonus)

    def lexical_parts(self, query: str) -> dict[str, np.ndarray]:
        terms, extra = self.query_terms(query), self.paraphrase_terms(query)
        return {
            "bm25": bm25.score(self.index.weights, terms),
            "bm25_paraphrase": bm25.score(self.index.weights, extra),
            "heading_bm25": bm25.score(self.index.heading_weights, terms),
            "heading_bm25_paraphrase": bm25.score(self.index.heading_weights, extra),
            "sentence_idf": self.sentence_scores(query),
        }

    @staticmethod
    def _lexical_sum(parts: dict[str, np.ndarray]) -> np.ndarray:
        return (
            parts["bm25"]
            + PARAPHRASE_WEIGHT * parts["bm25_paraphrase"]
            + HEADING_WEIGHT * (parts["heading_bm25"] + PARAPHRASE_WEIGHT * parts["heading_bm25_paraphrase"])
            + SENTENCE_WEIGHT * parts["sentence_idf"]
        )

    def lexical_scores(self, query: str) -> np.ndarray:
        return self._lexical_sum(self.lexical_parts(query))

    def term_coverage(self, query: str) -> np.ndarray:
        """Per passage, the share of the idf of the question's distinct terms that it holds."""
        terms = sorted(set(self.query_terms(query)))
        if not terms:
            return np.zeros(len(self.index.passages))
        idf = self._idf[terms]
        return np.asarray(self._presence[terms].T @ idf).ravel() / idf.sum()

    def _query_vector(self, query: str) -> np.ndarray:
        """The question's embedding (abbreviations spelled out)."""
        vector = encode(self.model, [dense_query_text(query)])[0]
        vector.flags.writeable = False  # shared by every later call with the same question
        return vector

    def dense_parts(self, query: str) -> dict[str, np.ndarray]:
        vector = self.query_vector(query)
        return {
            "dense_passage": self.index.embeddings @ vector,
            "dense_sentence": np.maximum.reduceat(self.index.sentence_embeddings @ vector, self.index.sentence_starts),
            "dense_window": np.maximum.reduceat(self.index.window_embeddings @ vector, self.index.window_starts),
        }

    @staticmethod
    def _dense_mean(parts: dict[str, np.ndarray]) -> np.ndarray:
        return (parts["dense_passage"] + parts["dense_sentence"] + parts["dense_window"]) / 3

    def dense_scores(self, query: str) -> np.ndarray:
        return self._dense_mean(self.dense_parts(query))

    def _convex(self, lexical: dict[str, np.ndarray], dense: dict[str, np.ndarray]) -> np.ndarray:
        fused = fusion(FUSION)(self._lexical_sum(lexical), self._dense_mean(dense), **FUSION_PARAMS)
        return fused + GOVERNING_PRIOR * self._governing

    def features(self, query: str) -> dict[str, np.ndarray]:
        """FEATURES (and one per indexed document) for every passage. The lexical and dense parts
        and the heading-path and title cosines are min-max normalised over the passages, as the
        convex fusion normalises its two sides; the coverage, indicators and convex scores lie in
        0–1.1 already."""
        lexical, dense = self.lexical_parts(query), self.dense_parts(query)
        vector = self.query_vector(query)
        convex = self._convex(lexical, dense)
        best_of_section = np.full(self._section.max() + 1, -np.inf)
        np.maximum.at(best_of_section, self._section, convex)
        return {
            **{name: min_max(scores) for name, scores in (lexical | dense).items()},
            "governing": self._governing,
            "dense_heading_path": min_max(self.index.heading_embeddings @ vector),
            "dense_title": min_max(self.index.title_embeddings @ vector),
            "term_coverage": self.term_coverage(query),
            **self._documents,
            # A section split over several passages answers as a whole: its best passage lifts the others.
            "section_best_convex": best_of_section[self._section],
            "convex": convex,
            # The question's word pairs, stop words kept, in one sentence (knowledge/retrieval/phrases.py).
            "sentence_phrases": min_max(self._phrases.best_sentence_counts(query, self._correct)),
        }

    def scores(self, query: str, mode: str = "hybrid") -> np.ndarray:
        if mode == "bm25":
            return self.lexical_scores(query)
        if mode == "dense":
            return self.dense_scores(query)
        if mode == "convex":
            return self._convex(self.lexical_parts(query), self.dense_parts(query))
        if mode != "hybrid":
            raise ValueError(f"unknown mode {mode!r}; valid: {', '.join(MODES)}")
        return self.ranker.score(self.features(query), len(self.index.passages))

    def search(self, query: str, k: int = 5, mode: str = "hybrid") -> list[SearchHit]:
        """The k best passages for the question, best first."""
        query = self.validate(query, k)
        scores = self.scores(query, mode)
        order = np.argsort(-scores, kind="stable")[:k]
        return [SearchHit(self.index.passages[i], float(scores[i])) for i in order]
