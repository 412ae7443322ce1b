"""Dense windows: a passage is scored by its best run of consecutive sentences, not only as a whole."""
import numpy as np

from knowledge.corpus.passage import Passage
from knowledge.retrieval.index import WINDOW_SENTENCES, passage_windows
from tests.knowledge.retrieval.tiny import GOVERNING, BagOfWordsModel, tiny_retriever


def _passage(pid: str, title: str, text: str) -> Passage:
    return Passage(pid, GOVERNING, pid.split("-")[1], [title], title, text, None)


def test_every_run_of_consecutive_sentences_is_a_window_with_the_passage_title():
    passage = _passage("002-9.1-1", "Uppföljning", "Ett. Två. Tre. Fyra. Fem.")
    texts, starts = passage_windows([passage])
    assert WINDOW_SENTENCES == 3
    assert texts == ["Uppföljning: Ett. Två. Tre.", "Uppföljning: Två. Tre. Fyra.", "Uppföljning: Tre. Fyra. Fem."]
    assert list(starts) == [0]


def test_a_passage_shorter_than_a_window_is_one_window_and_each_passage_starts_its_own():
    short = _passage("002-9.1-1", "Omfattning", "Tre tidsintervaller. Timmar per vecka.")
    empty = _passage("002-9.2-1", "Bilaga", "")
    texts, starts = passage_windows([short, empty])
    assert texts == ["Omfattning: Tre tidsintervaller. Timmar per vecka.", "Bilaga: Bilaga"]
    assert list(starts) == [0, 1]


# The answer is three consecutive sentences in the middle of a long passage, none of which holds
# it alone; the neighbour is short and shares the question's topic words, but not the answer.
ANSWER = _passage(
    "002-9.1-1", "Uppföljning",
    "Insatsen följs upp var sjätte månad. Handläggaren bokar ett möte med den enskilde. "
    "Ett gynnande beslut gäller. Ändringsförbehåll kan skrivas in. Det ändras när väsentligt ändrade förhållanden uppstår. "
    "Utföraren lämnar en rapport. Rapporten sparas i journalen. Den enskilde får en kopia.",
)
NEIGHBOUR = _passage("002-9.2-1", "Ändringsförbehåll", "Ändringsförbehåll i ett beslut om insats. Beslutet gäller ett år.")
QUERY = "när ändras ett beslut med ändringsförbehåll, väsentligt ändrade förhållanden"


def test_a_passage_whose_answer_sits_in_one_window_beats_a_shorter_neighbour_that_only_shares_the_topic_words():
    retriever = tiny_retriever(passages=[NEIGHBOUR, ANSWER])
    dense = retriever.dense_scores(QUERY)
    assert dense[1] > dense[0]


def test_without_its_windows_the_answering_passage_would_lose_to_the_neighbour():
    # Guards the test above: the passage as a whole is diluted by its other sentences and no
    # single sentence holds the answer, so only the window lets it win.
    index = tiny_retriever(passages=[NEIGHBOUR, ANSWER]).index
    vector = BagOfWordsModel().encode([QUERY])[0]
    whole_and_sentence = index.embeddings @ vector + np.maximum.reduceat(index.sentence_embeddings @ vector, index.sentence_starts)
    assert whole_and_sentence[1] < whole_and_sentence[0]
