from knowledge.corpus.passage import Passage
from knowledge.retrieval.evaluate import Question, first_answer_rank, metrics


def _passage(pid: str, section: str) -> Passage:
    return Passage(pid, "002_4c615ea3040924b7.txt", section, [section], section, "text", None)


QUESTION = Question("q1", "kriterier", "dev", ("002-4.2.3-1",), (("002_4c615ea3040924b7.txt", "4.2.3"),))


def test_metrics_from_first_answer_ranks():
    assert metrics([1, 2, None, 11]) == {"recall@1": 0.25, "recall@5": 0.5, "mrr@10": 0.375}


def test_a_labelled_passage_id_that_exists_must_match_exactly():
    ranking = [_passage("002-4.2.3-2", "4.2.3"), _passage("002-4.2.3-1", "4.2.3")]
    assert first_answer_rank(QUESTION, ranking, {"002-4.2.3-1", "002-4.2.3-2"}) == 2


def test_after_re_chunking_any_passage_of_the_labelled_section_answers():
    ranking = [_passage("002-2.2-1", "2.2"), _passage("002-4.2.3-7", "4.2.3")]
    assert first_answer_rank(QUESTION, ranking, {"002-2.2-1", "002-4.2.3-7"}) == 2
