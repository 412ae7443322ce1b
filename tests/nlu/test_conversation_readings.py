"""What a turn's text states is kept per conversation (nlu.turn.ConversationReadings): the same
facts as a fresh reading, never one conversation's reading for another, and a bounded number kept."""
import pytest

import nlu.turn
from nlu.facts import extract_facts
from nlu.turn import ConversationReadings, Turn, read_turn


@pytest.fixture
def readings(monkeypatch):
    """A fresh store in place of the process's, and a count of the texts read by the lexicon."""
    store = ConversationReadings(size=4)
    read: list[str] = []

    def counting(text):
        read.append(text)
        return extract_facts(text)

    monkeypatch.setattr(nlu.turn, "READINGS", store)
    monkeypatch.setattr(nlu.turn, "extract_facts", counting)
    store.read = read
    return store


DESCRIPTION = "28-åring, har fbs men ingen kontakt med psykiatrin"


def test_a_kept_reading_states_the_same_facts_as_a_fresh_one(readings):
    fresh = read_turn(Turn("inform", DESCRIPTION)).facts
    first = read_turn(Turn("inform", DESCRIPTION, conversation="samtal-a")).facts
    again = read_turn(Turn("inform", DESCRIPTION, conversation="samtal-a")).facts
    assert fresh == first == again == {"alder": 28, "forsorjningsstod": True, "kontakt_specialistpsykiatri": False}
    assert readings.read == [DESCRIPTION, DESCRIPTION]


def test_the_same_words_in_another_conversation_are_read_afresh(readings):
    read_turn(Turn("inform", DESCRIPTION, conversation="samtal-a"))
    read_turn(Turn("inform", DESCRIPTION, conversation="samtal-b"))
    assert readings.read == [DESCRIPTION, DESCRIPTION]


def test_a_turn_without_a_conversation_is_never_kept(readings):
    read_turn(Turn("affirm", "ja"))
    read_turn(Turn("affirm", "ja"))
    assert readings.read == ["ja", "ja"] and len(readings) == 0


def test_entity_facts_of_one_turn_do_not_stick_to_the_kept_reading(readings):
    with_hours = Turn("inform", "hon är 30 år", ({"entity": "timmar", "value": "10"},), conversation="samtal-a")
    assert read_turn(with_hours).facts == {"alder": 30, "onskad_omfattning_timmar": 10}
    assert read_turn(Turn("inform", "hon är 30 år", conversation="samtal-a")).facts == {"alder": 30}


def test_a_changed_answer_dict_leaves_the_kept_reading_alone(readings):
    readings.facts("samtal-a", DESCRIPTION)["alder"] = 99
    assert readings.facts("samtal-a", DESCRIPTION)["alder"] == 28


def test_at_most_size_readings_are_kept_the_least_recently_read_going_first(readings):
    for number in range(5):
        readings.facts(f"samtal-{number}", "ja")
    assert len(readings) == 4
    readings.facts("samtal-4", "ja")
    assert readings.read.count("ja") == 5
    readings.facts("samtal-0", "ja")
    assert readings.read.count("ja") == 6


def test_a_correction_turn_reads_each_of_its_texts_once(readings):
    from actions.consultation_state import Consultation, take_turn

    known = Consultation(facts={"alder": 28, "primart_mal": "arbete"}, pending="forsorjningsstod")
    outcome = take_turn(known, Turn("correct_fact", "nej förlåt, hon är 31", conversation="samtal-a"))
    assert outcome.corrected == {"alder": (28, 31)}
    assert len(readings.read) == len(set(readings.read))
