from knowledge.corpus.passage import Passage
from knowledge.retrieval.evaluate import Question, first_answer_rank, metrics, quote_contains, quote_metrics


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


def test_a_quote_counts_when_it_holds_the_labelled_words_whatever_the_swedish_letters_and_spacing():
    assert quote_contains("Det kan också vara en möjlighet att  parallellt\ndelta i …", "parallellt delta")
    assert quote_contains("Sysselsattning ar frivillig", "Sysselsättning är frivillig")
    assert not quote_contains("Skillnaden mellan insatsen …", "parallellt delta")


def test_quote_metrics_separate_the_first_hit_from_the_labelled_passage():
    from tests.knowledge.retrieval.test_quote import PARALLEL
    from tests.knowledge.retrieval.tiny import PASSAGES, tiny_retriever

    retriever = tiny_retriever(passages=PASSAGES + [PARALLEL])
    asked = Question("q2", "sysselsättning och 4:2 parallellt samtidigt", "heldout", ("002-4.2.2-1",),
                     (("002_4c615ea3040924b7.txt", "4.2.2"),), "clean", ("parallellt delta",))
    missed = Question("q3", "Younes vårdkontakt", "heldout", ("002-4.2.2-1",),
                      (("002_4c615ea3040924b7.txt", "4.2.2"),), "clean", ("parallellt delta",))
    result = quote_metrics(retriever, [asked, missed])
    # q3's first hit is Younes' case, not its labelled passage, so only q2 counts at rank 1.
    assert result["quote@1"] == 0.5 and result["quoted"] == 2
    assert quote_metrics(retriever, [asked]) == {"quote@1": 1.0, "quote_given_passage": 1.0, "quoted": 1}
