"""One user turn in, the new consultation state out; the checker decides, never this module."""
import pytest

from actions.consultation_state import BEHOV_SYFTE_MAL, Consultation, Turn, take_turn
from knowledge.criteria import check


def turn(intent: str, text: str = "", **entities) -> Turn:
    return Turn(intent, text, tuple({"entity": k, "value": v} for k, v in entities.items()))


def test_a_request_without_facts_asks_behov_syfte_och_malsattning_first():
    outcome = take_turn(Consultation(), turn("ask_recommendation", "vilken insats passar?"))
    assert outcome.next_question == BEHOV_SYFTE_MAL


def test_a_description_that_states_the_goal_skips_the_behov_question():
    outcome = take_turn(Consultation(), turn("inform", "28-årig kvinna som vill börja jobba, har kontakt med psykiatrin"))
    assert outcome.learned["alder"] == 28
    assert outcome.learned["kontakt_specialistpsykiatri"] is True
    assert outcome.next_question not in (None, BEHOV_SYFTE_MAL)


def test_the_behov_answer_is_kept_as_text_and_read_for_facts():
    asked = Consultation(pending=BEHOV_SYFTE_MAL)
    outcome = take_turn(asked, turn("inform", "hon vill bryta isoleringen och få struktur i vardagen"))
    assert outcome.consultation.behov_syfte_mal == "hon vill bryta isoleringen och få struktur i vardagen"
    assert outcome.answered_pending


def test_yes_answers_the_pending_yes_no_question():
    asked = Consultation(facts={"alder": 30}, pending="kontakt_specialistpsykiatri", behov_syfte_mal="arbete")
    outcome = take_turn(asked, turn("affirm", "japp"))
    assert outcome.consultation.facts["kontakt_specialistpsykiatri"] is True


def test_no_answers_the_pending_yes_no_question():
    asked = Consultation(facts={"alder": 30}, pending="forsorjningsstod", behov_syfte_mal="arbete")
    outcome = take_turn(asked, turn("deny", "nä"))
    assert outcome.consultation.facts["forsorjningsstod"] is False


def test_vet_inte_leaves_the_fact_unknown_and_it_is_not_asked_again():
    asked = Consultation(facts={"alder": 30, "primart_mal": "arbete"}, pending="kontakt_specialistpsykiatri")
    outcome = take_turn(asked, turn("dont_know", "vet inte"))
    assert "kontakt_specialistpsykiatri" not in outcome.consultation.facts
    assert "kontakt_specialistpsykiatri" in outcome.consultation.left_open
    assert outcome.next_question != "kontakt_specialistpsykiatri"


def test_a_button_value_answers_an_enum_question():
    asked = Consultation(facts={"alder": 30}, pending="primart_mal")
    outcome = take_turn(asked, turn("inform", '/inform{"svar": "studier"}', svar="studier"))
    assert outcome.consultation.facts["primart_mal"] == "studier"


def test_a_correction_reports_the_old_and_new_value():
    known = Consultation(facts={"alder": 28, "primart_mal": "arbete"}, behov_syfte_mal="arbete")
    outcome = take_turn(known, turn("correct_fact", "nej, hon är 31", alder="31"))
    assert outcome.corrected == {"alder": (28, 31)}
    assert outcome.previous_result == check({"alder": 28, "primart_mal": "arbete"})


def test_a_no_then_a_known_fact_restated_answers_the_pending_question():
    known = Consultation(facts={"alder": 31, "saknar_annan_daglig_sysselsattning": True}, pending="kontakt_specialistpsykiatri")
    outcome = take_turn(known, turn("correct_fact", "nej, hon har ingen sysselsättning"))
    assert outcome.learned["kontakt_specialistpsykiatri"] is False and not outcome.corrected
    assert outcome.next_question != "kontakt_specialistpsykiatri"


def test_a_turn_that_corrects_nothing_checks_the_earlier_facts_no_second_time():
    known = Consultation(facts={"alder": 28, "primart_mal": "arbete"}, pending="forsorjningsstod")
    outcome = take_turn(known, turn("affirm", "ja"))
    assert outcome.learned == {"forsorjningsstod": True} and not outcome.corrected
    assert outcome.previous_result is None


def test_an_impossible_age_is_rejected_with_a_message_and_not_stored():
    outcome = take_turn(Consultation(), turn("inform", "han är 250 år", alder="250"))
    assert "alder" not in outcome.consultation.facts
    assert outcome.rejected and "ålder" in " ".join(outcome.rejected).lower()


def test_asking_for_the_recommendation_mid_consultation_answers_now():
    ongoing = Consultation(facts={"alder": 30, "primart_mal": "arbete"}, pending="forsorjningsstod", behov_syfte_mal="x")
    outcome = take_turn(ongoing, turn("ask_recommendation", "vad rekommenderar du?"))
    assert outcome.recommend_now


def test_slots_round_trip():
    state = Consultation(facts={"alder": 40}, left_open=("samtycke_finsam",), pending="forsorjningsstod", behov_syfte_mal="x")
    assert Consultation.from_slots(state.to_slots()) == state


def test_a_correction_does_not_answer_the_pending_question():
    asked = Consultation(facts={"alder": 29, "primart_mal": "arbete"}, pending="forsorjningsstod", behov_syfte_mal="x")
    outcome = take_turn(asked, turn("correct_fact", "nej förresten, han är 31", alder="31"))
    assert outcome.corrected == {"alder": (29, 31)}
    assert "forsorjningsstod" not in outcome.consultation.facts
    assert outcome.next_question == "forsorjningsstod"


def test_an_edge_assessment_without_text_patterns_is_answered_by_a_plain_yes():
    asked = Consultation(facts={"alder": 19}, pending="yrkesverksam_alder_bedoms", behov_syfte_mal="x")
    outcome = take_turn(asked, turn("inform", "ja det gör jag"))
    assert outcome.consultation.facts["yrkesverksam_alder_bedoms"] is True


def test_the_consultation_stops_once_an_insats_is_eligible():
    asked = Consultation(
        facts={"alder": 23, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True},
        pending="onskar_narma_sig_arbete_eller_studier",
        behov_syfte_mal="struktur i vardagen",
    )
    outcome = take_turn(asked, turn("deny", "nej"))
    assert outcome.next_question is None
    assert outcome.result["recommendation"]["primary"] == "socialt_inriktad_sysselsattning"


def test_a_no_that_states_a_new_fact_answers_the_question_even_when_read_as_a_correction():
    asked = Consultation(facts={"alder": 29, "primart_mal": "arbete"}, pending="forsorjningsstod", behov_syfte_mal="x")
    outcome = take_turn(asked, turn("correct_fact", "nej men han har kontakt med psykiatrin"))
    assert outcome.answered_pending
    assert outcome.learned == {"forsorjningsstod": False, "kontakt_specialistpsykiatri": True}


def test_a_yes_with_the_personkrets_answers_and_a_bare_yes_asks_for_the_option():
    asked = Consultation(facts={"alder": 29, "primart_mal": "arbete"}, pending="lss_personkrets", behov_syfte_mal="x")
    bare = take_turn(asked, turn("affirm", "ja"))
    assert bare.needs_choice and not bare.learned and bare.consultation.pending == "lss_personkrets"
    named = take_turn(asked, turn("affirm", "ja, personkrets 2"))
    assert named.learned == {"lss_personkrets": 2} and not named.needs_choice


def test_a_description_stating_age_and_malgrupp_records_no_hours_and_does_not_ask_the_malgrupp():
    text = "Kvinna 34 år, i socialpsykiatrins målgrupp, ingen annan sysselsättning, vill träffa folk"
    outcome = take_turn(Consultation(), turn("inform", text, alder="34", timmar="34"))
    assert outcome.learned["alder"] == 34 and outcome.learned["malgrupp_socialpsykiatri"] is True
    assert "onskad_omfattning_timmar" not in outcome.learned
    assert outcome.next_question != "malgrupp_socialpsykiatri"


def test_an_answer_in_its_own_sentence_beside_a_correction_answers_the_pending_question():
    asked = Consultation(facts={"alder": 43, "malgrupp_socialpsykiatri": True},
                         pending="saknar_annan_daglig_sysselsattning", behov_syfte_mal="x")
    outcome = take_turn(asked, turn("correct_fact", "ja hon har inget. förresten är hon 47, inte 43", alder="47"))
    assert outcome.corrected == {"alder": (43, 47)}
    assert outcome.consultation.facts["saknar_annan_daglig_sysselsattning"] is True
    assert outcome.next_question != "saknar_annan_daglig_sysselsattning"


def test_a_bare_no_sentence_before_a_correction_belongs_to_the_correction():
    asked = Consultation(facts={"alder": 29, "primart_mal": "arbete"}, pending="forsorjningsstod", behov_syfte_mal="x")
    outcome = take_turn(asked, turn("correct_fact", "Nej. Han är 31.", alder="31"))
    assert outcome.corrected == {"alder": (29, 31)}
    assert "forsorjningsstod" not in outcome.consultation.facts
    assert outcome.next_question == "forsorjningsstod"


FINISHED = Consultation(
    facts={"alder": 30, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
           "onskar_narma_sig_arbete_eller_studier": False, "forsorjningsstod": False},
    behov_syfte_mal="träffa folk",
)


@pytest.mark.parametrize("text", ["ja", "ok", "okej tack", "perfekt", "nej"])
def test_a_bare_acknowledgement_after_a_finished_result_is_acknowledged_not_answered(text):
    outcome = take_turn(FINISHED, turn("affirm", text))
    assert outcome.acknowledged and not outcome.learned and outcome.consultation.facts == FINISHED.facts


def test_an_acknowledgement_that_states_a_fact_after_the_result_is_read_as_that_fact():
    outcome = take_turn(FINISHED, turn("affirm", "ja hon är 31"))
    assert not outcome.acknowledged and outcome.corrected == {"alder": (30, 31)}


def test_ok_before_any_consultation_or_while_a_question_waits_is_no_acknowledgement():
    assert not take_turn(Consultation(), turn("affirm", "ok")).acknowledged
    asked = Consultation(facts={"alder": 30}, pending="forsorjningsstod", behov_syfte_mal="arbete")
    assert not take_turn(asked, turn("affirm", "ja")).acknowledged


@pytest.mark.parametrize("intent, text", [
    ("inform", "tror det"), ("deny", "tror inte det"), ("affirm", "ja tror inte det"), ("deny", "nog inte"),
    ("dont_know", "kanske"), ("deny", "nej det tror jag inte"),
])
def test_a_guess_to_a_yes_no_question_stays_unknown_and_is_said_to(intent, text):
    asked = Consultation(facts={"alder": 30}, pending="kontakt_specialistpsykiatri", behov_syfte_mal="arbete")
    outcome = take_turn(asked, turn(intent, text))
    assert "kontakt_specialistpsykiatri" not in outcome.consultation.facts
    assert "kontakt_specialistpsykiatri" in outcome.consultation.left_open
    assert outcome.doubted


def test_a_guess_naming_the_fact_stays_unknown_and_is_said_to():
    asked = Consultation(facts={"alder": 30}, pending="kontakt_specialistpsykiatri", behov_syfte_mal="arbete")
    outcome = take_turn(asked, turn("deny", "tror inte han har nån kontakt m psyk just nu"))
    assert "kontakt_specialistpsykiatri" not in outcome.consultation.facts and outcome.doubted
    assert "kontakt_specialistpsykiatri" in outcome.consultation.left_open


def test_a_new_person_after_okej_drops_the_earlier_persons_facts():
    asked = Consultation(facts={"alder": 61, "forsorjningsstod": True}, pending="onskar_narma_sig_arbete_eller_studier",
                         behov_syfte_mal="vet inte")
    outcome = take_turn(asked, turn("inform", "Okej, nu ett nytt ärende. Man 34 år i personkrets 2 enligt LSS"))
    assert outcome.started_over
    assert outcome.consultation.facts["alder"] == 34 and "forsorjningsstod" not in outcome.consultation.facts


@pytest.mark.parametrize("text", ["nej förlåt, hon är 45", "nej forlat hon ar 45", "oj sorry, hon är 45", "nej vänta, hon är 45",
                                  "nej det var fel, hon är 45", "nej nej jag sa fel, hon är 45"])
def test_a_no_that_takes_back_a_known_fact_corrects_it_and_answers_nothing(text):
    asked = Consultation(facts={"alder": 54}, pending="forsorjningsstod", behov_syfte_mal="struktur")
    outcome = take_turn(asked, turn("deny", text))
    assert outcome.corrected == {"alder": (54, 45)}
    assert "forsorjningsstod" not in outcome.consultation.facts and not outcome.answered_pending


def test_a_guess_to_the_personkrets_question_is_no_ingen():
    asked = Consultation(facts={"alder": 22}, pending="lss_personkrets", behov_syfte_mal="arbete")
    outcome = take_turn(asked, turn("deny", "tror inte det"))
    assert "lss_personkrets" not in outcome.consultation.facts and outcome.doubted


def test_a_plain_no_is_still_a_no_and_no_doubt():
    asked = Consultation(facts={"alder": 30}, pending="kontakt_specialistpsykiatri", behov_syfte_mal="arbete")
    outcome = take_turn(asked, turn("deny", "nej det har han inte"))
    assert outcome.consultation.facts["kontakt_specialistpsykiatri"] is False and not outcome.doubted


def test_a_bare_yes_to_the_behov_question_describes_no_need_and_it_is_asked_again():
    outcome = take_turn(Consultation(facts={"alder": 30}, pending=BEHOV_SYFTE_MAL), turn("affirm", "ja"))
    assert outcome.consultation.behov_syfte_mal is None and not outcome.answered_pending


def test_a_guess_to_the_behov_question_leaves_it_open():
    outcome = take_turn(Consultation(facts={"alder": 30}, pending=BEHOV_SYFTE_MAL), turn("nlu_fallback", "tror det"))
    assert outcome.consultation.behov_syfte_mal is None and BEHOV_SYFTE_MAL in outcome.consultation.left_open
    assert outcome.next_question != BEHOV_SYFTE_MAL


@pytest.mark.parametrize("text", ["nasta arende: kille 26 i malgruppen", "ny klient, kille 26 i målgruppen",
                                  "Nytt ärende. Kille 26 i målgruppen"])
def test_a_new_case_in_the_same_message_starts_over_without_the_earlier_persons_facts(text):
    earlier = Consultation(facts={"alder": 58, "lss_personkrets": 3, "forsorjningsstod": True}, pending="malgrupp_socialpsykiatri")
    outcome = take_turn(earlier, turn("correct_fact", text))
    assert outcome.started_over and not outcome.corrected
    assert outcome.consultation.facts == {"alder": 26, "malgrupp_socialpsykiatri": True}


def test_someone_else_named_in_a_note_is_no_new_case():
    earlier = Consultation(facts={"alder": 58, "forsorjningsstod": False}, behov_syfte_mal="arbete")
    outcome = take_turn(earlier, turn("inform", "en annan person i hushållet har fbs"))
    assert not outcome.started_over and outcome.consultation.facts["alder"] == 58


def test_a_correction_of_the_age_is_no_new_case():
    earlier = Consultation(facts={"alder": 42}, pending=BEHOV_SYFTE_MAL)
    outcome = take_turn(earlier, turn("correct_fact", "nej hon ar 24 inte 42"))
    assert not outcome.started_over and outcome.corrected == {"alder": (42, 24)}
