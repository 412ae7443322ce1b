"""`python -m knowledge search … --json` prints SPEC's search result shape; errors exit 2 in Swedish."""
import argparse
import json

import pytest

import knowledge.retrieval
from knowledge.retrieval import IndexMissingError, cli
from tests.knowledge.retrieval.tiny import tiny_retriever


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


@pytest.fixture()
def tiny(monkeypatch):
    retriever = tiny_retriever()
    monkeypatch.setattr(knowledge.retrieval, "load_retriever", lambda settings=None: retriever)
    return retriever


def test_search_json_is_a_best_first_list_of_spec_hits(tiny, capsys):
    assert _run(["search", "samordnad rehabilitering FK", "-k", "2", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 2
    assert {"doc", "section", "title", "text", "score", "id", "heading_path", "page"} == set(hits[0])
    assert hits[0]["section"] == "5.2.2" and hits[0]["score"] >= hits[1]["score"]


def test_search_prints_a_readable_citation_and_the_quote_that_answers(tiny, capsys):
    assert _run(["search", "tidsintervaller", "-k", "1"]) == 0
    out = capsys.readouterr().out
    assert "002 2.2 – Omfattning, s. 9" in out
    assert "» Sysselsättning delas in i tre tidsintervaller" in out


def test_an_empty_question_exits_2_with_the_swedish_message(tiny, capsys):
    assert _run(["search", " "]) == 2
    assert "Frågan är tom" in capsys.readouterr().err


def test_a_missing_index_exits_2_naming_the_command(monkeypatch, capsys):
    def missing(settings=None):
        raise IndexMissingError("det finns inget index i /tmp/x")

    monkeypatch.setattr(knowledge.retrieval, "load_retriever", missing)
    assert _run(["search", "insats"]) == 2
    assert "python -m knowledge build-index" in capsys.readouterr().err
