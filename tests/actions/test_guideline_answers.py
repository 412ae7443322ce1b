"""A guideline question is answered with the sentence that answers it, cited, from the passage index."""
import pytest

import actions.guideline_answers as guideline_answers
from actions.guideline_answers import ActionAnswerGuideline
from knowledge.retrieval import QueryError
from tests.actions.test_actions import load_tracker, run
from tests.knowledge.retrieval.test_quote import PARALLEL
from tests.knowledge.retrieval.tiny import PASSAGES, tiny_retriever


@pytest.fixture()
def retriever(monkeypatch):
    tiny = tiny_retriever(passages=PASSAGES + [PARALLEL])
    monkeypatch.setattr(guideline_answers, "load_retriever", lambda: tiny)
    return tiny


def test_the_answer_quotes_the_sentence_that_answers_with_its_source(retriever):
    messages, events = run(ActionAnswerGuideline(), load_tracker("guideline_question_parallel"))
    first = messages[0]
    quote = first["custom"]["quotes"][0]
    assert quote["citation"] == "002 §4.2.2" and quote["passage_id"] == "002-4.2.2-1"
    assert "parallellt delta i kommunala arbetsmarknadsinsatser" in quote["text"]
    assert "» Det kan också vara en möjlighet" in first["text"] and "(002 §4.2.2," in first["text"]
    assert events == []


def test_a_question_the_retriever_refuses_gets_its_swedish_message(monkeypatch):
    class Refusing:
        def search(self, question, k):
            raise QueryError("Frågan är tom.")

    monkeypatch.setattr(guideline_answers, "load_retriever", lambda: Refusing())
    messages, _ = run(ActionAnswerGuideline(), load_tracker("guideline_question_parallel"))
    assert messages[0]["text"] == "Frågan är tom."
