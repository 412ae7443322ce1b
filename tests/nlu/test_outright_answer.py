"""A reply that opens with a yes or no word is an answer, whatever content follows
(nlu.facts.outright_answer, nlu/components/outright_answer.py)."""
from __future__ import annotations

import pytest

from nlu.components.outright_answer import answered
from nlu.facts import opens_a_question, opens_with_doubt, outright_answer


@pytest.mark.parametrize("text, polarity", [
    ("ja hon har fått ekonomiskt bistånd i flera år", True),
    ("Jo, Försäkringskassan har bedömt hennes arbetsförmåga.", True),
    ("japp psyk träffar han varje vecka", True),
    ("jajamensan, hon är med på det", True),
    ("nej han går redan på en träffpunkt tre dagar i veckan", False),
    ("nä jobbtorg är inte med i hans planering", False),
    ("nej förlåt, hon är 70", False),
])
def test_a_yes_or_no_word_at_the_opening_answers(text, polarity):
    assert outright_answer(text) is polarity


@pytest.mark.parametrize("text, doubt", [
    ("kanske, hon nämnde något om en läkare", True),
    ("kanske, vi får se", True),
    ("vet inte, han har pratat om FK", True),
    ("kanske", False),  # no content after it: the classifier's dont_know stands on its own
    ("osäker på om hon har fsd, men hon är 36", False),  # a statement that opens with its doubt
    ("hon är 36, kanske har hon fsd", False),
])
def test_a_doubt_of_its_own_before_a_comma_opens_a_reply_in_doubt(text, doubt):
    assert opens_with_doubt(text) is doubt


@pytest.mark.parametrize("text", [
    "ja kanske, vi har inte pratat om det",  # a doubt answers nothing
    "ja tror inte det",  # "jag tror inte det" typed fast: a no, not a yes
    "ok, hon är 34 och har fsd",  # "ok" also opens a description
    "jag har en klient på 40",  # "ja" only as a word of its own
    "janne är 30 och har fsd",
    "hon har fsd, ja",  # the yes is not the opening
])
def test_no_outright_answer(text):
    assert outright_answer(text) is None


@pytest.mark.parametrize("text, polarity", [
    ("absolut, han har varit inskriven där sedan mars", True),
    ("självklart, hon vill det", True),
    ("Definitivt, han har kontakt med psykiatrin.", True),
    ("absolut inte, han har lön", None),  # the yes word opens a no: no outright answer
    ("definitivt inte", None),
])
def test_absolut_and_its_kin_open_an_outright_yes_unless_they_open_a_no(text, polarity):
    assert outright_answer(text) is polarity


def _ranking(**confidences: float) -> list[dict]:
    return [{"name": name, "confidence": value} for name, value in confidences.items()]


def test_an_opening_yes_read_as_inform_becomes_affirm_with_both_readings_confidence():
    ranking = _ranking(inform=0.55, affirm=0.30, ask_guideline=0.15)
    top, new_ranking = answered(ranking[0], ranking, "ja hon har fått ekonomiskt bistånd i flera år")
    assert top == {"name": "affirm", "confidence": pytest.approx(0.85)}
    assert new_ranking == [top, {"name": "ask_guideline", "confidence": 0.15}]


def test_an_unsure_deny_gets_the_inform_reading_as_well():
    ranking = _ranking(deny=0.28, correct_fact=0.22, inform=0.11)
    top, _ = answered(ranking[0], ranking, "nej han går redan på en träffpunkt tre dagar i veckan")
    assert top == {"name": "deny", "confidence": pytest.approx(0.39)}


@pytest.mark.parametrize("intent, text", [
    ("correct_fact", "nej förlåt, hon är 70"),
    ("ask_criteria", "ja, vad krävs för IPS?"),
    ("affirm", "nej han går redan på en träffpunkt"),  # the classifier heard the other answer
    ("inform", "hon har fått ekonomiskt bistånd i flera år"),
    ("ask_guideline", "ja kanske, men vad krävs för IPS?"),  # a question after the doubt stands
])
def test_every_other_reading_stands(intent, text):
    ranking = _ranking(**{intent: 0.6, "thank": 0.4})
    assert answered(ranking[0], ranking, text) is None


@pytest.mark.parametrize("text", [
    "ja kanske, hon har nog fsd",
    "jo kanske, han har nämnt något om Försäkringskassan",
    "nej vet inte riktigt, det är inte utrett",
    "nä, ingen aning om personkrets",
    "Ja, osäker faktiskt.",
])
def test_a_yes_or_no_word_that_opens_a_doubt(text):
    assert opens_with_doubt(text)
    assert outright_answer(text) is None


@pytest.mark.parametrize("text", [
    "ja han har fsd men vet inte om jobbtorg",  # the doubt is about something else
    "ja tror inte det",  # "jag tror inte det": nlu.turn reads the guess
    "jag vet inte",
])
def test_no_doubt_opened_by_a_yes_or_no_word(text):
    assert not opens_with_doubt(text)


@pytest.mark.parametrize("intent", ["affirm", "deny", "inform"])
def test_a_doubt_after_the_yes_word_is_dont_know_with_the_answer_readings_confidence(intent):
    ranking = _ranking(**{intent: 0.5, "dont_know": 0.2, "ask_guideline": 0.3})
    top, new_ranking = answered(ranking[0], ranking, "ja kanske, hon har nämnt något om FK")
    assert top == {"name": "dont_know", "confidence": pytest.approx(0.7)}
    assert new_ranking == [top, {"name": "ask_guideline", "confidence": 0.3}]


@pytest.mark.parametrize("intent", ["ask_guideline", "ask_criteria"])
def test_a_yes_before_a_statement_read_as_a_question_is_the_answer(intent):
    ranking = _ranking(**{intent: 0.4, "affirm": 0.2, "inform": 0.1, "thank": 0.3})
    top, new_ranking = answered(ranking[0], ranking, "ja vi bedömer att sysselsättning behövs trots jobbtorg")
    assert top == {"name": "affirm", "confidence": pytest.approx(0.7)}
    assert new_ranking == [top, {"name": "thank", "confidence": 0.3}]


@pytest.mark.parametrize("text, asks", [
    ("ja, vad krävs för IPS?", True),
    ("nej hur söker man då", True),
    ("ja men vem kan få iwork egentligen", True),
    ("ja, kan man få ips utan psykkontakt?", True),
    ("ja, han vet vad som krävs", False),  # "vad" later in a statement
    ("ja, har haft fsd i två år", False),  # a note with its verb first, no question mark
    ("hon har fsd", False),  # no yes or no word
])
def test_a_question_after_the_yes_or_no_word(text, asks):
    assert opens_a_question(text) is asks
