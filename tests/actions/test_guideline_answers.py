"""A guideline question is answered with the sentence that answers it, cited, from the passage index."""
import pytest

import actions.guideline_answers as guideline_answers
from actions.guideline_answers import ActionAnswerGuideline
from knowledge.retrieval import QueryError
from tests.actions.test_actions import load_tracker, run
from tests.knowledge.retrieval.test_quote import PARALLEL
from knowledge.corpus.passage import Passage
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


def _criteria_turn(text: str):
    tracker = load_tracker("description_of_a_young_woman")
    tracker.latest_message = {
        "text": text, "intent": {"name": "ask_criteria", "confidence": 0.7},
        "entities": [{"entity": "insats", "value": "sysselsattning"}],
    }
    return tracker


def test_an_application_named_with_a_description_and_no_question_opens_the_consultation():
    from actions.guideline_answers import ActionExplainInsats
    messages, events = run(ActionExplainInsats(), _criteria_turn("ansökan om sysselsättning, man 52"))
    slots = {e["name"]: e["value"] for e in events}
    assert slots["facts"]["alder"] == 52 and slots["pending_fact"] is not None
    assert not any("Kriterier för" in (m.get("text") or "") for m in messages)


def test_a_question_about_an_insatss_criteria_still_gets_the_criteria():
    from actions.guideline_answers import ActionExplainInsats
    messages, events = run(ActionExplainInsats(), _criteria_turn("Vilka kriterier gäller för sysselsättning för en 52-åring?"))
    assert events == []
    assert messages[0]["text"].startswith("Kriterier för")


ALFA_2020 = Passage(
    "000-2.7-1", "000_b48a09d5901ac1c0.txt", "2.7", ["2.7 Alfa och IPS-programmet"], "Alfa och IPS-programmet",
    "Alfa är en resurs för socialpsykiatrins målgrupp och är inte en biståndsbedömd insats.", 12,
)


def _asked(question: str, monkeypatch, passages):
    tiny = tiny_retriever(passages=passages)
    monkeypatch.setattr(guideline_answers, "load_retriever", lambda: tiny)
    tracker = load_tracker("guideline_question_parallel")
    tracker.latest_message["text"] = question
    messages, _ = run(ActionAnswerGuideline(), tracker)
    return messages[0]["text"]


def test_an_answer_quoting_the_outdated_alfa_sentence_adds_what_the_governing_document_says(monkeypatch):
    text = _asked("Är Alfa en biståndsbedömd insats?", monkeypatch, PASSAGES + [ALFA_2020])
    assert "inte en biståndsbedömd insats" in text
    assert "”ska föregås av ett biståndsbeslut enligt 4 kap. 2 § SoL”" in text and "(004 " in text


IPS_2020 = Passage(
    "000-2.7-2", "000_b48a09d5901ac1c0.txt", "2.7", ["2.7 Alfa och IPS-programmet"], "Alfa och IPS-programmet",
    "Efter en kort kartläggning av individens preferenser börjar man söka arbete direkt på Alfa.", 14,
)


def test_a_quote_from_the_section_holding_the_outdated_alfa_sentence_adds_what_the_governing_document_says(monkeypatch):
    text = _asked("Kan hon gå direkt till Alfa utan något beslut?", monkeypatch, PASSAGES + [ALFA_2020, IPS_2020])
    assert "söka arbete direkt" in text
    assert "”ska föregås av ett biståndsbeslut enligt 4 kap. 2 § SoL”" in text and "(004 " in text


def test_an_answer_without_the_outdated_sentence_gets_no_note(monkeypatch):
    text = _asked("Kan man ha sysselsättning och 4:2 samtidigt?", monkeypatch, PASSAGES + [PARALLEL])
    assert "Obs! Det citerade är äldre underlag" not in text


def _outreach_follow_up(text: str, role: str = "uppsokare"):
    tracker = load_tracker("guideline_question_parallel", role=role, facts={"alder": 19}, pending_fact=None)
    tracker.latest_message.update(text=text)
    return tracker


def test_an_outreach_workers_follow_up_asking_whom_to_call_gets_the_ways_in_again(retriever):
    from actions.consultation import OUTREACH_LEAD
    messages, events = run(ActionAnswerGuideline(), _outreach_follow_up("vem ska hon ringa?"))
    assert messages[0]["text"].startswith(OUTREACH_LEAD)
    slots = {e["name"]: e["value"] for e in events}
    assert slots["facts"] == {"alder": 19} and slots["pending_fact"] is None


def test_an_outreach_workers_other_follow_up_is_answered_from_the_guidelines(retriever):
    messages, _ = run(ActionAnswerGuideline(), _outreach_follow_up("kan man ha sysselsättning och 4:2 samtidigt?"))
    assert messages[0]["text"].startswith("Så här står det i riktlinjerna:")


def test_a_handlaggare_asking_whom_to_call_gets_the_guidelines_not_the_ways_in(retriever):
    messages, _ = run(ActionAnswerGuideline(), _outreach_follow_up("vem ska hon ringa?", role="handlaggare"))
    assert messages[0]["text"].startswith("Så här står det i riktlinjerna:")


def _answer_read_as_a_question(text: str, intent: str, pending: str | None = "kontakt_specialistpsykiatri"):
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 24}, pending_fact=pending)
    tracker.latest_message = {"text": text, "intent": {"name": intent, "confidence": 0.5}, "entities": [{"entity": "insats", "value": "sysselsattning"}]}
    return tracker


@pytest.mark.parametrize(("intent", "action"), [("ask_criteria", "explain"), ("ask_guideline", "guideline")])
def test_a_yes_that_states_an_assessment_answers_the_pending_question_not_a_new_one(retriever, intent, action):
    from actions.guideline_answers import ActionExplainInsats
    chosen = ActionExplainInsats() if action == "explain" else ActionAnswerGuideline()
    messages, events = run(chosen, _answer_read_as_a_question("ja, jag bedömer att sysselsättning kan beviljas", intent))
    slots = {e["name"]: e["value"] for e in events}
    assert slots["facts"]["kontakt_specialistpsykiatri"] is True
    assert slots["pending_fact"] != "kontakt_specialistpsykiatri"
    assert not any((m.get("text") or "").startswith(("Kriterier för", "Så här står det")) for m in messages)


@pytest.mark.parametrize("text", ["ja, vad krävs för sysselsättning?", "ja kan hon fa sysselsattning", "nej, vilka kriterier gäller för sysselsättning"])
def test_a_yes_or_no_that_goes_on_to_ask_still_gets_the_criteria(text):
    from actions.guideline_answers import ActionExplainInsats
    messages, events = run(ActionExplainInsats(), _answer_read_as_a_question(text, "ask_criteria"))
    assert events == []
    assert messages[0]["text"].startswith("Kriterier för")


def test_a_yes_with_a_statement_and_no_question_pending_is_answered_as_asked():
    from actions.guideline_answers import ActionExplainInsats
    messages, events = run(ActionExplainInsats(), _answer_read_as_a_question("ja, jag bedömer att sysselsättning kan beviljas", "ask_criteria", pending=None))
    assert events == [] and messages[0]["text"].startswith("Kriterier för")


def _question_misread(text: str, intent: str, pending: str | None):
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 24, "malgrupp_socialpsykiatri": True},
                           pending_fact=pending)
    tracker.latest_message = {"text": text, "intent": {"name": intent, "confidence": 0.5}, "entities": []}
    return tracker


@pytest.mark.parametrize(("text", "intent", "pending"), [
    ("behöver hon ett läkarintyg?", "inform", "behov_syfte_mal"),
    ("behöver hon vara inskriven på AF?", "inform", "forsorjningsstod"),
    ("kan hon tacka nej?", "deny", "forsorjningsstod"),
])
def test_a_question_misread_as_an_answer_gets_the_guidelines_and_the_pending_question_again(retriever, text, intent, pending):
    from actions.consultation import ActionConsult
    messages, events = run(ActionConsult(), _question_misread(text, intent, pending))
    assert messages[0]["text"].startswith("Så här står det i riktlinjerna:")
    # Nothing recorded (no behov, no fact, no "nej"): the pending question is still the one waiting.
    assert events == []


def test_a_question_misread_as_thanks_gets_the_guidelines(retriever):
    from actions.consultation import ActionAfterThanks
    messages, events = run(ActionAfterThanks(), _question_misread("vad gör man om hon tackar nej?", "thank", "behov_syfte_mal"))
    assert messages[0]["text"].startswith("Så här står det i riktlinjerna:") and events == []


@pytest.mark.parametrize(("text", "intent"), [("nej?", "deny"), ("hon har fsd?", "inform"), ("ja kanske?", "affirm")])
def test_an_answer_with_a_question_mark_is_still_the_answer(retriever, text, intent):
    from actions.consultation import ActionConsult
    messages, _ = run(ActionConsult(), _question_misread(text, intent, "forsorjningsstod"))
    assert not any((m.get("text") or "").startswith("Så här står det") for m in messages)


def test_a_correction_read_as_a_guideline_question_corrects_the_fact(retriever):
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 25, "lss_personkrets": 1}, pending_fact="forsorjningsstod")
    tracker.latest_message = {"text": "ursäkta, personkrets 2 ska det vara", "intent": {"name": "ask_guideline", "confidence": 0.6}, "entities": []}
    messages, events = run(ActionAnswerGuideline(), tracker)
    assert {e["name"]: e["value"] for e in events}["facts"]["lss_personkrets"] == 2
    assert not any((m.get("text") or "").startswith("Så här står det") for m in messages)


def test_a_guideline_question_stating_a_fact_is_still_answered_from_the_guidelines(retriever):
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 25}, pending_fact="forsorjningsstod")
    tracker.latest_message = {"text": "kan man ha fsd och sysselsättning samtidigt?", "intent": {"name": "ask_guideline", "confidence": 0.9}, "entities": []}
    messages, _ = run(ActionAnswerGuideline(), tracker)
    assert messages[0]["text"].startswith("Så här står det i riktlinjerna:")
