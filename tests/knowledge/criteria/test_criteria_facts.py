"""The fact schema and the validation of incoming facts."""
import pytest

from knowledge.criteria import FACTS, FactsError, check, validate_facts

SPEC_FACTS = {
    "alder": "int", "malgrupp_socialpsykiatri": "bool", "lss_personkrets": "enum", "primart_mal": "enum",
    "onskar_narma_sig_arbete_eller_studier": "bool", "kontakt_specialistpsykiatri": "bool",
    "kan_ej_finna_fa_behalla_arbete_pa_egen_hand": "bool", "stodbehov_storre_an_jobbtorg": "bool",
    "inforstadd_och_beredd": "bool", "samtycker_samordning_specialistpsykiatri": "bool",
    "bedoms_kunna_borja_arbeta_med_arbetsspecialist": "bool", "af_kan_erbjuda_lamplig_atgard": "bool",
    "forutsattningar_med_jobbcoach": "bool", "klarar_anpassat_arbete_med_jobbcoach": "bool",
    "behov_stod_overgangsperiod": "bool", "forsorjningsstod": "bool", "jobbtorg_del_av_planering": "bool",
    "saknar_annan_daglig_sysselsattning": "bool", "flera_myndigheter_involverade": "bool",
    "samtycke_finsam": "bool", "nedsatt_arbetsformaga": "bool", "onskad_omfattning_timmar": "int",
}


def _errors(raw):
    with pytest.raises(FactsError) as caught:
        validate_facts(raw)
    return caught.value.errors


# Added beside SPEC's list (add, don't rename): the handläggare's assessments that 002 §2.1.2 and
# the edges of working age (000 §1.1) call for; asked only when they can decide something.
ADDED_FACTS = {"yrkesverksam_alder_bedoms": "bool", "sysselsattning_trots_jobbtorg_bedoms": "bool"}


def test_the_schema_has_the_spec_facts_with_their_types_plus_the_named_additions():
    assert {name: spec["type"] for name, spec in FACTS.items()} == {**SPEC_FACTS, **ADDED_FACTS}


def test_the_added_facts_are_the_handlaggarens_assessments():
    assert all(FACTS[name]["assessed_by"] == "handlaggarens_bedomning" for name in ADDED_FACTS)


def test_every_fact_has_a_swedish_label_and_question():
    for name, spec in FACTS.items():
        assert spec["label"] and spec["question"].endswith("?"), name


def test_spec_enum_values_are_allowed():
    assert {"arbete", "studier", "social_samvaro", "struktur_i_vardagen", "meningsfull_aktivitet", "oklart"} == set(
        FACTS["primart_mal"]["values"]
    )
    assert {1, 2, 3} <= set(FACTS["lss_personkrets"]["values"])


def test_none_means_unknown_and_is_dropped():
    assert validate_facts({"alder": None, "forsorjningsstod": False}) == {"forsorjningsstod": False}


def test_a_whole_float_age_becomes_an_int():
    assert validate_facts({"alder": 30.0}) == {"alder": 30}


@pytest.mark.parametrize("age", [-3, 250, 30.5])
def test_an_impossible_age_names_the_valid_range(age):
    assert _errors({"alder": age}) == [f"'alder' (Ålder) ska vara ett heltal från 0 till 120, inte {age!r}."]


def test_hours_outside_the_intervals_name_the_valid_range():
    assert _errors({"onskad_omfattning_timmar": 0}) == [
        "'onskad_omfattning_timmar' (Önskad omfattning (timmar/vecka)) ska vara ett heltal från 1 till 40, inte 0."
    ]


def test_an_unknown_fact_is_named_with_a_suggestion_and_the_valid_names():
    [message] = _errors({"alderr": 30})
    assert message.startswith("Okänt faktum 'alderr'. Menade du 'alder'? Giltiga namn: malgrupp_socialpsykiatri, alder,")


def test_a_bool_given_as_text_is_refused():
    assert _errors({"forsorjningsstod": "ja"}) == ["'forsorjningsstod' (Försörjningsstöd) ska vara true eller false, inte 'ja'."]


def test_a_bool_is_not_an_age():
    assert _errors({"alder": True})[0].startswith("'alder' (Ålder) ska vara ett heltal")


def test_an_invalid_enum_value_lists_the_allowed_values_with_labels():
    [message] = _errors({"lss_personkrets": 4})
    assert message.startswith("'lss_personkrets' (Personkrets enligt LSS) har det ogiltiga värdet 4. Tillåtna värden: 0 (")
    assert "1 (Personkrets 1 enligt LSS)" in message


def test_an_unhashable_enum_value_is_refused_not_crashed():
    assert _errors({"primart_mal": ["arbete"]})[0].startswith("'primart_mal' (Primärt mål) har det ogiltiga värdet")


def test_every_problem_is_reported_at_once():
    assert len(_errors({"alder": -3, "x": 1, "samtycke_finsam": "nej"})) == 3


def test_facts_must_be_an_object():
    assert _errors([1, 2])[0].startswith("Fakta ska vara ett JSON-objekt")


def test_check_validates_before_checking():
    with pytest.raises(FactsError):
        check({"alder": 250})
