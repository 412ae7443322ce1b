"""The phrase feature: the question's word pairs, stop words kept, counted in a passage's best
sentence, as search reads words (folded, stemmed, typos mended)."""
import numpy as np

from knowledge.retrieval.phrases import PhraseIndex
from knowledge.retrieval.tokenize import build_tokenizer

DURATION = "Hur länge insatsen sysselsättning ska pågå är individuellt."
INTERVALS = "Sysselsättning delas in i tre tidsintervaller. Uppföljning ska ske minst var sjätte månad."
PLANNING = "Alla som är relevanta ska finnas med i planeringen. Planeringen görs med den enskilde."


def _index() -> PhraseIndex:
    passages = [[DURATION], INTERVALS.split(". "), PLANNING.split(". ")]
    return PhraseIndex(build_tokenizer([DURATION, INTERVALS, PLANNING]), passages)


def test_stop_words_the_content_words_lose_make_a_phrase_with_the_sentence_that_answers():
    # To BM25 "hur länge kan man ha sysselsättning" is "sysselsättning", a word of every passage here.
    counts = _index().best_sentence_counts("hur länge kan man ha sysselsättning")
    assert counts.tolist() == [1, 0, 0]


def test_folded_and_inflected_words_make_the_same_pairs():
    counts = _index().best_sentence_counts("ska boendestodet vara med i planering")
    assert counts[2] == 2 and counts[:2].tolist() == [0, 0]  # "med i", "i planering(en)"


def test_a_passage_counts_its_best_sentence_not_the_sum_of_its_sentences():
    # "minst var" and "var sjätte" are one sentence; "tre tidsintervaller" another.
    counts = _index().best_sentence_counts("tre tidsintervaller och uppföljning minst var sjätte månad")
    assert counts[1] == 3


def test_a_typo_mended_to_a_corpus_word_still_makes_its_pair():
    index = _index()
    assert index.best_sentence_counts("hur lnge")[0] == 0
    mended = index.best_sentence_counts("hur lnge", correct=lambda word: "länge" if word == "lnge" else None)
    assert mended[0] == 1


def test_a_question_of_one_word_has_no_pair():
    assert not np.any(_index().best_sentence_counts("sysselsättning"))
