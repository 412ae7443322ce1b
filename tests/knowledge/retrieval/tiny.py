"""A tiny index over four hand-written passages and a stand-in embedding model, so retrieval,
CLI and API tests run in milliseconds without the real corpus or MiniLM."""
import hashlib
import re

import numpy as np

from knowledge.corpus.passage import Passage
from knowledge.retrieval import bm25
from knowledge.retrieval.index import INDEX_VERSION, Index, passage_document, passage_heading, passage_heading_path, passage_sentences, passage_windows
from knowledge.retrieval.search import Retriever
from knowledge.retrieval.tokenize import Tokenizer

GOVERNING = "002_4c615ea3040924b7.txt"

PASSAGES = [
    Passage("002-4.2.3-1", GOVERNING, "4.2.3", ["4.2.3 Handläggning och kriterier"], "Handläggning och kriterier",
            "Följande krav behöver uppfyllas för att beviljas stödinsats enligt 4 kap. 2 § SoL: kontakt med specialistpsykiatri.", 18),
    Passage("002-2.2-1", GOVERNING, "2.2", ["2.2 Omfattning"], "Omfattning",
            "Sysselsättning delas in i tre tidsintervaller: 1-12, 10-24 och 22-40 timmar i veckan.", 9),
    Passage("002-5.2.2-1", GOVERNING, "5.2.2", ["5.2.2 Samordnad rehabilitering"], "Samordnad rehabilitering",
            "En ansökan om samordnad rehabilitering ska vara skriftlig och ställd till Försäkringskassan.", 22),
    Passage("003-casebeskrivningar-3", "003_047af5b9a476fcfe.txt", "CASEBESKRIVNINGAR", ["CASEBESKRIVNINGAR"], "CASEBESKRIVNINGAR",
            "Younes 25 år, den outredde, behöver hjälp att etablera en vårdkontakt med psykiatrin.", None),
]


class BagOfWordsModel:
    """Stands in for sentence-transformers: hashed word counts, unit length."""

    def encode(self, texts, **_):
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                vectors[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def tiny_index(passages: list[Passage] = PASSAGES) -> Index:
    texts = [passage_document(p) for p in passages]
    words = {w.lower(): 2 for t in texts for w in re.findall(r"[^\W\d_]{4,}", t)}
    tokenizer = Tokenizer(vocabulary=words, stop=frozenset({"och", "med", "att", "en", "i", "om", "ska"}), lemmas={})
    token_lists = [tokenizer.tokens(t) for t in texts]
    heading_lists = [tokenizer.tokens(passage_heading(p)) for p in passages]
    vocabulary = bm25.vocabulary_of(token_lists + heading_lists)
    params = {"version": INDEX_VERSION, "governing_document": GOVERNING, "passages": len(passages)}
    sentence_texts, sentence_starts = passage_sentences(list(passages))
    window_texts, window_starts = passage_windows(list(passages))
    return Index(
        passages=list(passages),
        tokenizer=tokenizer,
        vocabulary=vocabulary,
        weights=bm25.weight_matrix(token_lists, vocabulary),
        heading_weights=bm25.weight_matrix(heading_lists, vocabulary),
        embeddings=BagOfWordsModel().encode(texts),
        sentence_embeddings=BagOfWordsModel().encode(sentence_texts),
        sentence_starts=sentence_starts,
        window_embeddings=BagOfWordsModel().encode(window_texts),
        window_starts=window_starts,
        heading_embeddings=BagOfWordsModel().encode([passage_heading_path(p) for p in passages]),
        title_embeddings=BagOfWordsModel().encode([p.title for p in passages]),
        params=params,
    )


def tiny_retriever(max_query_chars: int = 200, passages: list[Passage] = PASSAGES) -> Retriever:
    return Retriever(tiny_index(passages), BagOfWordsModel(), max_query_chars)
