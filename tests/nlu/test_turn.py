"""nlu.turn.read_turn: the one place a turn's facts are read (lexicon, DIET entities, intent, pending question)."""
from __future__ import annotations

import pytest

from nlu.turn import Turn, read_turn


def turn(intent: str, text: str, **entities) -> Turn:
    return Turn(intent, text, tuple({"entity": name, "value": value} for name, value in entities.items()))


def test_a_number_read_as_the_age_is_not_also_taken_as_hours_from_diet():
    reading = read_turn(turn("inform", "Kvinna 34 år, i socialpsykiatrins målgrupp, vill träffa folk", alder="34", timmar="34"))
    assert reading.facts["alder"] == 34
    assert "onskad_omfattning_timmar" not in reading.facts


def test_diet_fills_a_number_fact_the_lexicon_did_not_read():
    reading = read_turn(turn("inform", "Lisa 29 vill plugga", alder="29"))
    assert reading.facts["alder"] == 29


def test_a_diet_entity_that_is_no_number_is_ignored():
    assert "alder" not in read_turn(turn("inform", "hon vill plugga", alder="tjugo-nåt")).facts


def test_a_number_outside_the_schemas_range_is_not_read_as_the_fact():
    # facts.yaml owns the range: onskad_omfattning_timmar is 1–40.
    assert "onskad_omfattning_timmar" not in read_turn(turn("inform", "han vill ha 45 timmar i veckan")).facts
    assert read_turn(turn("inform", "han vill ha 40 timmar i veckan")).facts["onskad_omfattning_timmar"] == 40


def test_a_bare_yes_to_the_personkrets_question_asks_for_the_option_and_records_nothing():
    reading = read_turn(turn("affirm", "ja"), pending="lss_personkrets")
    assert reading.needs_choice and not reading.answered and reading.facts == {}


def test_a_bare_yes_to_the_goal_question_asks_for_the_option_too():
    assert read_turn(turn("affirm", "jajamän"), pending="primart_mal").needs_choice


def test_yes_with_the_option_answers_the_personkrets_question():
    reading = read_turn(turn("affirm", "ja, personkrets 1"), pending="lss_personkrets")
    assert reading.answered and reading.facts == {"lss_personkrets": 1} and not reading.needs_choice


def test_no_to_the_personkrets_question_means_no_personkrets():
    assert read_turn(turn("deny", "nej"), pending="lss_personkrets").facts == {"lss_personkrets": 0}


def test_a_yes_that_also_states_another_fact_records_both():
    reading = read_turn(turn("affirm", "ja, och hon har försörjningsstöd"), pending="kontakt_specialistpsykiatri")
    assert reading.facts == {"kontakt_specialistpsykiatri": True, "forsorjningsstod": True}


def test_what_the_text_states_wins_over_the_yes_or_no_intent():
    reading = read_turn(turn("deny", "nej, hon har faktiskt fbs"), pending="forsorjningsstod")
    assert reading.facts == {"forsorjningsstod": True}


def test_vet_inte_answers_the_question_but_records_no_value():
    reading = read_turn(turn("dont_know", "vet inte"), pending="forsorjningsstod")
    assert reading.answered and reading.facts == {}


def test_a_bare_ingen_that_diet_reads_as_dont_know_still_answers_no_personkrets():
    reading = read_turn(turn("dont_know", "ingen"), pending="lss_personkrets")
    assert reading.answered and reading.facts == {"lss_personkrets": 0}


@pytest.mark.parametrize("text", ["ingen aning", "vet inte", "har ingen koll", "/dont_know"])
def test_dont_know_in_words_leaves_the_personkrets_open(text):
    reading = read_turn(turn("dont_know", text), pending="lss_personkrets")
    assert reading.answered and reading.facts == {}


def test_a_button_value_answers_the_question():
    reading = read_turn(turn("inform", '/inform{"svar": 2}', svar=2), pending="lss_personkrets")
    assert reading.facts == {"lss_personkrets": 2}


def test_an_unknown_pending_fact_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="known facts: .*alder"):
        read_turn(turn("affirm", "ja"), pending="personkrets")


@pytest.mark.parametrize("text", ["hur kan hon fa hjalp fran socialpsykiatrin", "undrar vem han ska ringa", "Vart vänder hon sig?"])
def test_a_question_is_recognised_with_or_without_a_question_mark(text):
    from nlu.turn import asks_something

    assert asks_something(text)


def test_a_role_statement_asks_nothing():
    from nlu.turn import asks_something

    assert not asks_something("jag jobbar på Kompetensverkstan i Spånga")


@pytest.mark.parametrize(
    "text",
    [
        "han jobbar 15 timmar i veckan i en butik",  # hours of a job he has, not hours he wishes
        "hon vill ha 12-16 tim/v",  # a range, not one value
        "kanske 16 timmar, vet inte",  # doubt
    ],
)
def test_an_hours_entity_the_lexicon_rules_out_in_that_role_is_not_a_fact(text):
    assert "onskad_omfattning_timmar" not in read_turn(turn("inform", text, timmar="16" if "16" in text else "15")).facts


def test_an_entity_the_lexicon_has_no_reading_of_still_fills_the_fact():
    from nlu.facts import extract_facts

    assert extract_facts("hon har tänkt sig 16 i veckan") == {}
    assert read_turn(turn("inform", "hon har tänkt sig 16 i veckan", timmar="16")).facts["onskad_omfattning_timmar"] == 16


def test_a_note_whose_yes_and_no_belong_to_other_facts_does_not_answer_the_pending_question():
    reading = read_turn(turn("affirm", "fbs: ja. jobbtorg i planeringen: ja"), pending="kontakt_specialistpsykiatri")
    assert "kontakt_specialistpsykiatri" not in reading.facts and reading.facts["forsorjningsstod"] is True


def test_a_yes_in_words_with_another_fact_still_answers_the_pending_question():
    reading = read_turn(turn("affirm", "ja det har hon, och hon är 30"), pending="kontakt_specialistpsykiatri")
    assert reading.facts == {"kontakt_specialistpsykiatri": True, "alder": 30}


def test_an_age_given_to_the_hours_question_is_the_age_only():
    reading = read_turn(turn("inform", "hon är 20"), pending="onskad_omfattning_timmar")
    assert reading.facts == {"alder": 20} and not reading.answered


@pytest.mark.parametrize(
    "intent, text", [("affirm", "ja kanske"), ("deny", "nej, osäker faktiskt"), ("affirm", "tror det"), ("inform", "ja tror det")]
)
def test_doubt_wins_over_the_yes_or_no_the_classifier_heard(intent, text):
    reading = read_turn(turn(intent, text), pending="forsorjningsstod")
    assert reading.answered and reading.facts == {}


def test_yes_to_the_personkrets_question_with_an_article_asks_for_the_option():
    reading = read_turn(turn("affirm", "ja, hon tillhör en personkrets"), pending="lss_personkrets")
    assert reading.needs_choice and reading.facts == {}


def test_a_belief_confirmed_with_a_yes_is_a_yes():
    reading = read_turn(turn("affirm", "tror det, ja"), pending="forutsattningar_med_jobbcoach")
    assert reading.facts == {"forutsattningar_med_jobbcoach": True}


def test_the_words_win_over_the_classifiers_yes_or_no():
    reading = read_turn(turn("affirm", "ja det har hon inte"), pending="forsorjningsstod")
    assert reading.facts == {"forsorjningsstod": False}


@pytest.mark.parametrize("text", ["tror det", "ja tror inte det", "tror inte det", "nog inte", "antagligen"])
def test_a_guess_answers_the_question_but_leaves_it_unknown(text):
    reading = read_turn(turn("deny", text), pending="forsorjningsstod")
    assert reading.answered and reading.facts == {}


@pytest.mark.parametrize("text, value", [("tror det, ja", True), ("nej, tror inte det", False)])
def test_a_guess_with_a_yes_or_no_of_its_own_answers(text, value):
    reading = read_turn(turn("affirm" if value else "deny", text), pending="forsorjningsstod")
    assert reading.facts == {"forsorjningsstod": value}


def test_a_doubt_inside_a_statement_is_the_lexicons_not_a_bare_guess():
    from nlu.turn import hedged
    assert not hedged("han har nog fbs") and not hedged("ingen") and hedged("nej det tror jag inte")


def test_a_misspelt_workplace_names_the_outreach_role_when_diet_tags_no_entity():
    from nlu.turn import role_of
    assert role_of(turn("inform_role", "jobbar på kompetensverkstn i spånga")) == "uppsokare"


@pytest.mark.parametrize("text", ["ungdomscoah här, tjejen har inget att göra", "fältasistent, killen e 20", "fältare i Tensta, en kille utan skola"])
def test_a_youth_coach_or_field_worker_typed_in_a_hurry_names_the_outreach_role(text):
    from nlu.turn import role_of
    assert role_of(turn("inform_role", text)) == "uppsokare"


def test_diets_role_entity_wins_and_words_naming_no_role_give_none():
    from nlu.turn import role_of
    assert role_of(turn("inform_role", "jag är uppsökare", roll="handlaggare")) == "handlaggare"
    assert role_of(turn("inform_role", "jag jobbar här i stan")) is None


def test_vet_inte_with_a_reason_read_as_inform_answers_the_question_and_leaves_it_open():
    reading = read_turn(turn("inform", "vet ej, vi väntar på bedömningen"), pending="bedoms_kunna_borja_arbeta_med_arbetsspecialist")
    assert reading.answered and reading.facts == {}


def test_an_answer_read_as_inform_that_says_nothing_is_not_taken_as_an_answer():
    assert not read_turn(turn("inform", "blå bil"), pending="forsorjningsstod").answered


@pytest.mark.parametrize("text", ["Det vet vi inte ännu.", "Inte vad jag vet.", "det vet hon inte själv"])
def test_doubt_in_a_whole_sentence_never_becomes_a_no(text):
    for intent in ("dont_know", "inform", "deny", "affirm"):
        reading = read_turn(turn(intent, text), pending="onskar_narma_sig_arbete_eller_studier")
        assert reading.answered and reading.facts == {}, (intent, text)


def test_a_number_of_years_from_the_entity_extractor_is_no_hours():
    assert read_turn(turn("inform", "han har bott i Stockholm i 10 år och är 34 nu", timmar="10")).facts == {"alder": 34}


def test_a_share_in_percent_from_the_entity_extractor_is_no_age():
    reading = read_turn(turn("inform", "hon är sjukskriven 100% och har ingen sysselsättning", alder="100"))
    assert reading.facts == {"saknar_annan_daglig_sysselsattning": True}


def test_a_corrected_number_of_hours_is_not_taken_as_the_age_the_extractor_tagged():
    reading = read_turn(turn("correct_fact", "ändra timmarna till 25 istället", alder="25"))
    assert reading.facts == {"onskad_omfattning_timmar": 25}


def test_a_new_person_typed_with_decomposed_letters_keeps_the_whole_description():
    from nlu.turn import new_person

    assert new_person("na\u0308sta a\u0308rende: kille 26") == "kille 26"


@pytest.mark.parametrize("intent, text", [
    ("deny", "tror inte han har nån kontakt m psyk just nu"), ("affirm", "han har nog kontakt med psykiatrin"),
    ("affirm", "hon har antagligen kontakt med psykiatrin"), ("inform", "troligen har hon kontakt m psykiatrin"),
])
def test_a_guess_that_names_the_pending_fact_leaves_it_open_and_says_so(intent, text):
    reading = read_turn(turn(intent, text), pending="kontakt_specialistpsykiatri")
    assert reading.answered and reading.facts == {} and reading.doubted


def test_a_no_beside_a_guess_about_another_fact_answers_and_records_no_guess():
    reading = read_turn(turn("deny", "nej, men hon har nog kontakt med psykiatrin"), pending="forsorjningsstod")
    assert reading.facts == {"forsorjningsstod": False} and not reading.doubted


def test_someone_elses_fact_named_under_the_pending_question_is_no_guess_and_no_answer():
    reading = read_turn(turn("inform", "hennes sambo har fbs"), pending="forsorjningsstod")
    assert not reading.answered and not reading.doubted


@pytest.mark.parametrize("text", ["oklart om hon har fbs", "inte säkert att hon har fsd", "det är ovisst"])
def test_unclear_and_not_certain_leave_the_question_open(text):
    for intent in ("inform", "deny", "affirm"):
        reading = read_turn(turn(intent, text), pending="forsorjningsstod")
        assert reading.answered and reading.facts == {}, (intent, text)


def test_a_bare_oklart_is_still_the_goal_oklart():
    assert read_turn(turn("inform", "oklart"), pending="primart_mal").facts == {"primart_mal": "oklart"}


@pytest.mark.parametrize("text, rest", [
    ("Okej, nu ett nytt ärende. Man 34 år", "Man 34 år"), ("tack! ny klient, kvinna 40", "kvinna 40"),
    ("ok nästa klient: tjej 20", "tjej 20"), ("då tar vi nästa ärende. kille 22", "kille 22"),
    ("jag har en ny klient: man 40", "man 40"), ("ok, ny klient", ""), ("hej igen, ny klient: man 50", "man 50"),
    ("nästa: man 40 i målgruppen", "man 40 i målgruppen"), ("en till: kille 22", "kille 22"), ("nytt case: kvinna 44", "kvinna 44"),
])
def test_a_new_person_announced_after_an_acknowledgement_or_a_lead_in_starts_afresh(text, rest):
    from nlu.turn import new_person
    assert new_person(text) == rest


@pytest.mark.parametrize("text", ["okej en annan person i hushållet har fbs", "ok så hon har nya kläder", "tack för det nya beskedet",
                                  "hej, hon har fbs", "nästa steg: ansökan"])
def test_an_acknowledgement_before_other_words_is_no_new_person(text):
    from nlu.turn import new_person
    assert new_person(text) is None


@pytest.mark.parametrize("text", ["tror int det", "kansk", "nä tror inte", "antaglien"])
def test_a_guess_typed_in_shorthand_or_with_a_typo_is_still_a_guess(text):
    reading = read_turn(turn("affirm", text), pending="forsorjningsstod")
    assert reading.answered and reading.facts == {} and reading.doubted


def test_a_folded_no_set_off_on_its_own_before_a_guess_answers():
    assert read_turn(turn("deny", "nä, tror inte det"), pending="forsorjningsstod").facts == {"forsorjningsstod": False}


@pytest.mark.parametrize("text, value", [("ja, ettan", 1), ("tvåan", 2), ("trean", 3)])
def test_an_option_named_by_its_place_answers_the_personkrets_question(text, value):
    assert read_turn(turn("affirm", text), pending="lss_personkrets").facts == {"lss_personkrets": value}


def test_a_place_word_is_no_number_for_the_age_or_the_hours():
    assert read_turn(turn("inform", "hon går i ettan"), pending="alder").facts == {}
    assert read_turn(turn("inform", "trean"), pending="onskad_omfattning_timmar").facts == {}


@pytest.mark.parametrize(
    ("text", "answers"),
    [
        ("ja, jag bedömer att sysselsättning kan beviljas", True),
        ("nej det har han inte, men han kan tänka sig AF", True),
        ("ja", True),
        ("ja, vad krävs för IPS?", False),
        ("ja kan hon fa 4:2", False),
        ("nej, vilka kriterier gäller då", False),
        ("ja men stämmer det att alfa kräver beslut?", False),
        ("hon bedöms kunna få sysselsättning", False),
        ("ja kanske, hon har nämnt FK", False),
    ],
)
def test_a_yes_or_no_that_goes_on_to_state_answers_outright_and_one_that_asks_does_not(text, answers):
    from nlu.turn import answers_outright
    assert answers_outright(text) is answers
