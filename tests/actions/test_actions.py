"""The actions adapt: slots in, the right messages and slot events out (trackers from JSON fixtures)."""
import json
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.consultation import ActionAfterThanks, ActionClarify, ActionConsult, ActionRestartConsultation, ActionSetRole, ActionSummarize
from actions.replies import DOUBT_KEPT_OPEN

TRACKERS = Path(__file__).parent.parent / "data" / "trackers"


def load_tracker(name: str, **slots) -> Tracker:
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    state["slots"].update(slots)
    return Tracker.from_dict(state)


def run(action, tracker: Tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def test_set_role_stores_the_role_and_answers_for_that_role():
    messages, events = run(ActionSetRole(), load_tracker("role_uppsokare"))
    assert events == [SlotSet("role", "uppsokare")]
    assert messages[0]["response"] == "utter_role_uppsokare"


def test_set_role_without_a_known_role_asks_with_buttons_and_sets_nothing():
    tracker = load_tracker("role_uppsokare")
    tracker.latest_message.update(text="jag jobbar här i stan", entities=[])
    messages, events = run(ActionSetRole(), tracker)
    assert events == []
    assert [b["title"] for b in messages[0]["buttons"]] == ["Handläggare", "Uppsökande"]


def test_a_case_description_read_as_a_role_statement_without_a_role_opens_the_consultation():
    tracker = load_tracker("role_uppsokare")
    tracker.latest_message.update(text="Jag har en ansökan om sysselsättning från en kvinna som är 38 år.", entities=[])
    messages, events = run(ActionSetRole(), tracker)
    slots = {e["name"]: e["value"] for e in events}
    assert slots["facts"]["alder"] == 38 and "role" not in slots
    assert not any("handläggare eller uppsökande" in (m.get("text") or "") for m in messages)
    assert slots["pending_fact"]


def test_restart_clears_every_consultation_slot():
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 24}, pending_fact="forsorjningsstod")
    messages, events = run(ActionRestartConsultation(), tracker)
    assert messages[0]["response"] == "utter_restarted"
    cleared = {e["name"]: e["value"] for e in events}
    assert cleared["facts"] == {} and cleared["pending_fact"] is None and cleared["facts_left_open"] == []


def test_a_description_is_stored_and_followed_by_one_question_with_buttons():
    messages, events = run(ActionConsult(), load_tracker("description_of_a_young_woman"))
    slots = {e["name"]: e["value"] for e in events}
    assert slots["facts"]["alder"] == 24
    assert slots["facts"]["kontakt_specialistpsykiatri"] is True
    question = messages[-1]
    assert slots["pending_fact"] and question["buttons"]
    assert question["buttons"][-1]["title"] == "Varför frågar du?"


@pytest.mark.parametrize("intent", ["affirm", "deny", "dont_know"])
def test_a_short_answer_with_no_question_pending_says_so(intent):
    tracker = load_tracker("description_of_a_young_woman")
    tracker.latest_message = {"text": "ja", "intent": {"name": intent}, "entities": []}
    messages, events = run(ActionConsult(), tracker)
    assert [m["response"] for m in messages] == ["utter_no_question_pending"]
    assert events == []


def _unreadable_answer(not_understood: float) -> Tracker:
    tracker = load_tracker(
        "description_of_a_young_woman",
        facts={"alder": 24, "primart_mal": "studier"}, pending_fact="forsorjningsstod",
        behov_syfte_mal="studier", not_understood=not_understood,
    )
    tracker.latest_message = {"text": "blå", "intent": {"name": "inform"}, "entities": []}
    return tracker


def test_an_unreadable_answer_is_met_with_the_same_question_once_more():
    messages, events = run(ActionConsult(), _unreadable_answer(0))
    assert messages[0]["text"] == "Förlåt, det svaret förstod jag inte."
    assert messages[1]["buttons"][0]["title"] == "Ja"
    assert events == [SlotSet("not_understood", 1.0)]


def test_after_two_unreadable_answers_the_question_is_explained_and_vet_inte_offered():
    messages, events = run(ActionConsult(), _unreadable_answer(1))
    assert messages[0]["text"].startswith("Jag förstod inte svaret. Jag frågar om försörjningsstöd")
    assert [b["title"] for b in messages[1]["buttons"]] == ["Vet inte"]
    assert events == [SlotSet("not_understood", 0.0)]


def test_a_summary_carries_the_versions_that_produced_it_including_the_rasa_model(caplog):
    caplog.set_level("INFO", logger="actions.consultation")
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 24, "forsorjningsstod": True})
    tracker.events.append({"event": "user", "text": "sammanfatta", "metadata": {"model_id": "model-fingerprint-1"}})
    messages, _ = run(ActionSummarize(), tracker)
    payload = messages[0]["custom"]
    assert payload["versions"]["model"] == "model-fingerprint-1"
    assert payload["versions"]["rules"] and payload["versions"]["corpus"] and payload["versions"]["index"]
    assert payload["generated_at"]
    assert f"Regelversion: {payload['versions']['rules']} (kontrollerad {payload['generated_at']})" in messages[0]["text"]
    [logged] = [r.getMessage() for r in caplog.records if r.name == "actions.consultation"]
    assert f"rules={payload['versions']['rules']}" in logged and "model=model-fingerprint-1" in logged
    assert "alder" not in logged and "forsorjningsstod" not in logged  # the facts stay out of the log


@pytest.mark.parametrize("times", [1, 2])
def test_a_bare_yes_to_the_personkrets_question_offers_the_options_briefly_however_often(times):
    tracker = load_tracker(
        "description_of_a_young_woman",
        facts={"alder": 24, "primart_mal": "arbete"}, pending_fact="lss_personkrets",
        behov_syfte_mal="arbete", not_understood=float(times - 1),
    )
    tracker.latest_message = {"text": "ja", "intent": {"name": "affirm"}, "entities": []}
    messages, events = run(ActionConsult(), tracker)
    assert [m["text"] for m in messages] == ["Vilket av alternativen gäller? Välj nedan eller skriv det."]
    assert "Personkrets 1 enligt LSS" in [b["title"] for b in messages[0]["buttons"]]
    assert events == [SlotSet("not_understood", 0.0)]


def test_yes_with_the_personkrets_records_it_and_moves_on():
    tracker = load_tracker(
        "description_of_a_young_woman",
        facts={"alder": 24, "primart_mal": "arbete"}, pending_fact="lss_personkrets", behov_syfte_mal="arbete",
    )
    tracker.latest_message = {"text": "ja, personkrets 1", "intent": {"name": "affirm"}, "entities": []}
    messages, events = run(ActionConsult(), tracker)
    slots = {e["name"]: e["value"] for e in events}
    assert slots["facts"]["lss_personkrets"] == 1 and slots["pending_fact"] != "lss_personkrets"


def test_outreach_staff_describing_a_young_person_get_the_ways_in_not_the_first_question():
    messages, events = run(ActionSetRole(), load_tracker("outreach_question"))
    slots = {e["name"]: e["value"] for e in events}
    assert slots["role"] == "uppsokare"
    assert slots["facts"] == {"alder": 19, "saknar_annan_daglig_sysselsattning": True}
    assert slots["pending_fact"] is None
    [message] = messages
    assert message["text"].startswith("Jag svarar som till uppsökande personal")
    assert "Vägen in:" in message["text"] and not message.get("buttons")


def test_a_plain_role_statement_gets_the_role_greeting_only():
    messages, events = run(ActionSetRole(), load_tracker("role_uppsokare"))
    assert [m["response"] for m in messages] == ["utter_role_uppsokare"]


def test_an_outreach_message_read_as_a_case_description_still_sets_the_role_and_gives_the_ways_in():
    tracker = load_tracker("outreach_question")
    tracker.latest_message["intent"] = {"name": "ask_recommendation", "confidence": 0.6}
    messages, events = run(ActionConsult(), tracker)
    assert SlotSet("role", "uppsokare") in events
    assert "Vägen in:" in messages[0]["text"]


def _case_description_without_a_role_entity(text: str):
    """Read as a case description (ask_recommendation) with no `roll` entity."""
    tracker = load_tracker("outreach_question")
    tracker.latest_message.update(text=text, intent={"name": "ask_recommendation", "confidence": 0.7}, entities=[])
    return run(ActionConsult(), tracker)


def test_an_outreach_workplace_named_only_in_words_in_a_case_description_gives_the_ways_in():
    messages, events = _case_description_without_a_role_entity(
        "jobbar pa KV och har en kille 23 ar som vill ha hjalp med jobb. vart ska han vanda sig?")
    assert SlotSet("role", "uppsokare") in events
    assert messages[0]["text"].startswith("Jag svarar som till uppsökande personal")


def test_a_case_note_saying_where_the_person_goes_is_no_outreach_role():
    messages, events = _case_description_without_a_role_entity(
        "Kvinna 19 år som går på Kompetensverkstan, i socialpsykiatrins målgrupp, vill inte jobba nu.")
    assert SlotSet("role", "uppsokare") not in events
    assert not messages[0]["text"].startswith("Jag svarar som till uppsökande personal")


def test_a_misspelt_workplace_without_a_role_entity_still_sets_the_outreach_role_and_gives_the_ways_in():
    # DIET tags no `roll` in "kompetensverkstn"; the intent is inform_role, the words name the role.
    tracker = load_tracker("outreach_question")
    tracker.latest_message.update(
        text="jobbar på kompetensverkstn. en kille 24 ar sitter hemma, hur kan han fa hjalp?", entities=[]
    )
    messages, events = run(ActionSetRole(), tracker)
    assert SlotSet("role", "uppsokare") in events
    assert messages[0]["text"].startswith("Jag svarar som till uppsökande personal")


def _after_the_result(text: str, intent: str = "affirm") -> Tracker:
    tracker = load_tracker(
        "description_of_a_young_woman",
        facts={"alder": 30, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
               "onskar_narma_sig_arbete_eller_studier": False, "forsorjningsstod": False},
        behov_syfte_mal="träffa folk", pending_fact=None,
    )
    tracker.latest_message = {"text": text, "intent": {"name": intent}, "entities": []}
    return tracker


@pytest.mark.parametrize("text, intent", [("ja", "affirm"), ("ok", "nlu_fallback"), ("okej tack", "nlu_fallback")])
def test_a_bare_ok_after_the_result_offers_what_comes_next_instead_of_the_result_again(text, intent):
    action = ActionClarify() if intent == "nlu_fallback" else ActionConsult()
    messages, events = run(action, _after_the_result(text, intent))
    assert [m.get("response") for m in messages] == ["utter_what_next"]
    assert not any(m.get("json_message") for m in messages)
    assert not any(e.get("name") == "facts" for e in events)


def test_a_guess_is_said_to_be_kept_unknown():
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 30}, behov_syfte_mal="arbete",
                           pending_fact="kontakt_specialistpsykiatri")
    tracker.latest_message = {"text": "tror det", "intent": {"name": "nlu_fallback"}, "entities": []}
    messages, events = run(ActionClarify(), tracker)
    assert DOUBT_KEPT_OPEN in messages[0]["text"]
    slots = {e["name"]: e["value"] for e in events}
    assert "kontakt_specialistpsykiatri" not in slots["facts"] and "kontakt_specialistpsykiatri" in slots["facts_left_open"]


def test_a_new_client_with_a_description_restarts_and_reads_the_new_person_at_once():
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 58, "forsorjningsstod": True},
                           pending_fact="malgrupp_socialpsykiatri")
    tracker.latest_message = {"text": "ny klient, kvinna 30 i målgruppen", "intent": {"name": "restart"}, "entities": []}
    messages, events = run(ActionRestartConsultation(), tracker)
    assert messages[0]["response"] == "utter_new_case"
    slots = {e["name"]: e["value"] for e in events}
    assert slots["facts"] == {"alder": 30, "malgrupp_socialpsykiatri": True}
    assert slots["pending_fact"]


def test_a_bare_new_client_only_clears():
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 58}, pending_fact="forsorjningsstod")
    tracker.latest_message = {"text": "ny klient", "intent": {"name": "restart"}, "entities": []}
    messages, events = run(ActionRestartConsultation(), tracker)
    assert [m["response"] for m in messages] == ["utter_restarted"]
    assert {e["name"]: e["value"] for e in events}["facts"] == {}


def test_thanks_in_the_middle_of_a_consultation_ask_the_waiting_question_again():
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 24}, pending_fact="forsorjningsstod")
    messages, events = run(ActionAfterThanks(), tracker)
    assert events == [] and messages[0]["response"] == "utter_thank"
    assert "försörjningsstöd" in messages[1]["text"].lower()


def test_thanks_after_a_finished_result_offer_what_can_be_done_next():
    tracker = load_tracker("description_of_a_young_woman", facts={"alder": 24}, pending_fact=None)
    messages, _ = run(ActionAfterThanks(), tracker)
    assert [m["response"] for m in messages] == ["utter_thank", "utter_what_next"]


def test_thanks_before_any_case_add_nothing_to_the_thank_you():
    tracker = load_tracker("description_of_a_young_woman", facts={}, pending_fact=None)
    messages, events = run(ActionAfterThanks(), tracker)
    assert [m["response"] for m in messages] == ["utter_thank"] and events == []


def test_a_role_statement_that_opens_the_consultation_reads_its_text_once_for_its_conversation(monkeypatch):
    import nlu.turn
    from nlu.facts import extract_facts

    read: list[str] = []
    monkeypatch.setattr(nlu.turn, "READINGS", nlu.turn.ConversationReadings())
    monkeypatch.setattr(nlu.turn, "extract_facts", lambda text: read.append(text) or extract_facts(text))
    tracker = load_tracker("role_uppsokare")
    tracker.latest_message.update(text="Jag har en ansökan om sysselsättning från en kvinna som är 38 år.", entities=[])
    run(ActionSetRole(), tracker)
    assert read == [tracker.latest_message["text"]]
    assert len(nlu.turn.READINGS) == 1
    run(ActionSetRole(), Tracker.from_dict({**tracker.current_state(), "sender_id": "en-annan"}))
    assert read == [tracker.latest_message["text"]] * 2
