"""The label audit: a passage that repeats a question's answering words answers it too, unless it
lacks what the question names; both guideline sets' labels are closed under the rule."""
import pytest

from knowledge.corpus.passage import Passage
from knowledge.retrieval.evaluate import LABELLED_EVAL_FILES, Question, load_questions, set_name
from knowledge.retrieval.labels import LabelAudit, corpus_audit

DOC = "002_4c615ea3040924b7.txt"
FOLLOW_UP = Passage("002-2.3-1", DOC, "2.3", ["2.3 Beslut och uppföljning"], "Beslut och uppföljning",
                    "Beslut om sysselsättning fattas enligt 4 kap. 1 § SoL. Uppföljning ska ske minst var sjätte månad.", 8)
SUPPORT_FOLLOW_UP = Passage("002-4.2.5-1", DOC, "4.2.5", ["4.2.5 Tidsbegränsning"], "Tidsbegränsning",
                            "Uppföljning av stödinsatsens innehåll sker som minst var sjätte månad.", 18)
LSS_LIST = Passage("004-lss-1", "004_ca182c97e8b47f88.txt", "Kriterier LSS", ["Kriterier för personkrets 1 eller 2 enligt LSS"],
                   "Kriterier LSS", "- Den enskilde ska vara i yrkesverksam ålder.\n- Den enskilde tillhör personkrets 1 eller 2 enligt LSS.", None)
PSYCH_LIST = Passage("004-psyk-1", "004_ca182c97e8b47f88.txt", "Kriterier socialpsykiatri", ["Kriterier för socialpsykiatrins målgrupp"],
                     "Kriterier socialpsykiatri", "- Den enskilde ska vara i yrkesverksam ålder.\n- Den enskilde har en psykisk funktionsnedsättning.", None)
PASSAGES = [FOLLOW_UP, SUPPORT_FOLLOW_UP, LSS_LIST, PSYCH_LIST]


def words(text: str) -> list[str]:
    return [w for w in text.lower().replace(".", " ").replace(",", " ").split() if len(w) > 3]


def question(text: str, passage: Passage, quote: str) -> Question:
    return Question("q1", text, "tune", (passage.id,), ((passage.doc, passage.section),), "clean", (quote,))


def test_a_passage_repeating_the_answering_words_answers_the_question_too():
    audit = LabelAudit(PASSAGES, words)
    extras = audit.extra_answers(question("hur ofta sker uppföljning", FOLLOW_UP, "minst var sjätte månad"))
    assert [(e.passage.id, e.quote, e.repeats) for e in extras] == [("002-4.2.5-1", "minst var sjätte månad", "002-2.3-1")]


def test_quote_words_are_compared_folded_and_whitespace_blind():
    audit = LabelAudit(PASSAGES, words)
    extras = audit.extra_answers(question("hur ofta sker uppföljning", FOLLOW_UP, "minst  var SJATTE manad"))
    assert [e.passage.id for e in extras] == ["002-4.2.5-1"]


def test_a_shared_list_line_does_not_answer_a_question_naming_another_target_group():
    audit = LabelAudit(PASSAGES, words)
    asked = question("krav på yrkesverksam ålder för socialpsykiatrins målgrupp", PSYCH_LIST, "Den enskilde ska vara i yrkesverksam ålder")
    assert audit.extra_answers(asked) == []


def test_a_question_naming_nothing_the_other_passage_lacks_gets_it():
    audit = LabelAudit(PASSAGES, words)
    asked = question("krav på yrkesverksam ålder", PSYCH_LIST, "Den enskilde ska vara i yrkesverksam ålder")
    assert [e.passage.id for e in audit.extra_answers(asked)] == ["004-lss-1"]


def test_words_no_other_passage_holds_add_nothing_and_labelled_passages_are_not_repeated():
    audit = LabelAudit(PASSAGES, words)
    assert audit.extra_answers(question("vilken lag", FOLLOW_UP, "4 kap. 1 § SoL")) == []
    both = Question("q2", "hur ofta uppföljning", "tune", (FOLLOW_UP.id, SUPPORT_FOLLOW_UP.id),
                    ((DOC, "2.3"), (DOC, "4.2.5")), "clean", ("minst var sjätte månad", "minst var sjätte månad"))
    assert audit.extra_answers(both) == []


@pytest.fixture(scope="module")
def real_audit():
    return corpus_audit()


@pytest.mark.parametrize("path", LABELLED_EVAL_FILES, ids=set_name)
def test_the_guideline_sets_list_every_passage_that_repeats_their_answering_words(real_audit, path):
    missing = [(e.question, e.passage.id) for e in real_audit.run(load_questions(path))]
    assert missing == [], "python -m knowledge audit-labels lists them"
