"""Hybrid search on the tiny index: ranking, shape, errors in Swedish."""
import pytest

from knowledge.retrieval import QueryError
from tests.knowledge.retrieval.tiny import tiny_retriever


@pytest.fixture(scope="module")
def retriever():
    return tiny_retriever(max_query_chars=200)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kriterier 4:2", "002-4.2.3-1"),
        ("4 kap 2 § SoL specialistpsykiatri", "002-4.2.3-1"),
        ("tidsintervaller timmar", "002-2.2-1"),
        ("FK samordnad rehab", "002-5.2.2-1"),
        ("forsakringskassan", "002-5.2.2-1"),
        ("Younes vardkontakt", "003-casebeskrivningar-3"),
        ("samordnad rehabiliterig", "002-5.2.2-1"),
    ],
)
def test_the_answering_passage_comes_first(retriever, query, expected):
    assert retriever.search(query, k=1)[0].passage.id == expected


def test_hits_have_specs_shape_plus_id_heading_path_and_page(retriever):
    hit = retriever.search("tidsintervaller", k=2)[0].to_dict()
    assert {"doc", "section", "title", "text", "score"} <= set(hit)
    assert (hit["doc"], hit["section"], hit["id"], hit["page"]) == ("002_4c615ea3040924b7.txt", "2.2", "002-2.2-1", 9)
    assert hit["heading_path"] == ["2.2 Omfattning"] and isinstance(hit["score"], float)


def test_results_are_best_first_and_k_long(retriever):
    hits = retriever.search("sysselsättning stödinsats", k=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize("query", ["", "   ", None])
def test_an_empty_question_is_refused_in_swedish(retriever, query):
    with pytest.raises(QueryError, match="Frågan är tom"):
        retriever.search(query)


def test_an_oversized_question_is_refused_with_the_limit(retriever):
    with pytest.raises(QueryError, match="högst 200 tecken"):
        retriever.search("ord " * 60)


def test_k_outside_1_to_50_is_refused(retriever):
    with pytest.raises(QueryError, match="mellan 1 och 50"):
        retriever.search("insats", k=0)


def test_an_unknown_mode_names_the_valid_ones(retriever):
    with pytest.raises(ValueError, match="hybrid, bm25, dense"):
        retriever.search("insats", mode="magic")


def test_passages_are_found_by_id(retriever):
    assert retriever.passage("002-2.2-1").section == "2.2"
    with pytest.raises(KeyError):
        retriever.passage("999-x-1")
