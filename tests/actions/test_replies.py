"""What the consultation says, composed from the checker's result."""
from actions import replies
from knowledge.criteria import check

WANTS_WORK_WITH_PSYCHIATRY = {
    "alder": 29, "malgrupp_socialpsykiatri": True, "primart_mal": "arbete",
    "onskar_narma_sig_arbete_eller_studier": True, "kontakt_specialistpsykiatri": True,
    "kan_ej_finna_fa_behalla_arbete_pa_egen_hand": True, "inforstadd_och_beredd": True,
    "samtycker_samordning_specialistpsykiatri": True, "bedoms_kunna_borja_arbeta_med_arbetsspecialist": True,
    "af_kan_erbjuda_lamplig_atgard": False, "forsorjningsstod": False, "stodbehov_storre_an_jobbtorg": False,
}


def test_a_recommendation_names_the_insats_its_basis_quotes_and_the_decision_note():
    result = check(WANTS_WORK_WITH_PSYCHIATRY)
    text, quotes = replies.recommendation(result, role="handlaggare")
    primary = result["recommendation"]["primary"]
    assert replies.name_of(primary) in text
    assert "Nästa steg:" in text
    assert 1 <= len(quotes) <= 3 and all(q["text"] and q["citation"] for q in quotes)
    assert text.rstrip().endswith(replies.DECISION_NOTE)
    assert text.count(replies.DECISION_NOTE) == 1


def test_outreach_staff_get_the_way_in_instead_of_the_decision_checklist():
    result = check(WANTS_WORK_WITH_PSYCHIATRY)
    text, _ = replies.recommendation(result, role="uppsokare")
    assert "Vägen in:" in text and "Nästa steg:" not in text


def test_referrals_are_explained_with_their_source():
    result = check({"alder": 25, "forsorjningsstod": True, "jobbtorg_del_av_planering": True})
    text, _ = replies.recommendation(result, role=None)
    assert "Jobbtorg Stockholm:" in text and "002 §2.1.2" in text


def test_a_correction_lists_the_verdicts_that_changed_and_why():
    before = check(WANTS_WORK_WITH_PSYCHIATRY)
    after = check({**WANTS_WORK_WITH_PSYCHIATRY, "forsorjningsstod": True})
    text = replies.verdict_changes(before, after, {"forsorjningsstod": (False, True)})
    assert text.startswith("Ändrat (försörjningsstöd nej → ja)")
    assert "→" in text.split("\n", 1)[1]


def test_a_correction_that_changes_nothing_says_so():
    before = check(WANTS_WORK_WITH_PSYCHIATRY)
    after = check({**WANTS_WORK_WITH_PSYCHIATRY, "alder": 30})
    assert replies.verdict_changes(before, after, {"alder": (29, 30)}) == "Ändrat (ålder 29 → 30). Det ändrar ingen bedömning."


def test_why_ask_is_generated_from_the_criteria_the_fact_settles():
    text = replies.why_text("kontakt_specialistpsykiatri", check({"alder": 30, "primart_mal": "arbete"}))
    assert "specialistpsykiatri" in text and "002 §4.2.3" in text


def test_the_summary_holds_facts_verdicts_sources_and_rules_version_but_no_free_identifiers():
    result = check(WANTS_WORK_WITH_PSYCHIATRY)
    text = replies.summary(WANTS_WORK_WITH_PSYCHIATRY, ["samtycke_finsam"], "vill börja arbeta", result)
    assert "Ålder: 29" in text and "Källor:" in text and "Regelversion:" in text
    assert "vet inte" in text


def test_the_summary_says_behov_was_described_but_does_not_repeat_the_free_text():
    typed = "Nuurto vill bryta isoleringen efter skilsmässan från Abdi"
    text = replies.summary({"alder": 29}, [], typed, check({"alder": 29}))
    assert "Behov, syfte och mål: beskrivet med egna ord" in text
    for word in ("Nuurto", "isoleringen", "skilsmässan", "Abdi"):
        assert word not in text


def test_every_question_offers_why_and_yes_no_questions_offer_dont_know():
    text, buttons = replies.question("forsorjningsstod")
    assert [b["title"] for b in buttons] == ["Ja", "Nej", "Vet inte", "Varför frågar du?"]
    _, enum_buttons = replies.question("lss_personkrets")
    assert enum_buttons[0]["payload"] == '/inform{"svar": 0}'


JOSEF = {
    "alder": 30, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
    "onskar_narma_sig_arbete_eller_studier": True, "stodbehov_storre_an_jobbtorg": True, "forsorjningsstod": False,
}


def test_arbetsrehabiliterande_sysselsattning_quotes_the_passages_behind_its_decisive_criteria():
    _, quotes = replies.recommendation(check(JOSEF), role="handlaggare")
    assert [q["citation"] for q in quotes] == ["002 §3.3", "002 §4.1"]


def test_with_a_fact_open_the_reply_names_the_likeliest_insats_and_what_it_waits_for():
    facts = {key: value for key, value in JOSEF.items() if key != "stodbehov_storre_an_jobbtorg"}
    text, _ = replies.recommendation(check(facts), role="handlaggare")
    assert text.startswith("Troligast: Arbetsrehabiliterande sysselsättning (4 kap. 1 § SoL), om")
    assert "Det som avgör:\n? Personen bedöms ha större stödbehov än vad Jobbtorg" in text
    assert "passar ingen" not in text


def test_when_nothing_fits_the_reply_names_the_ways_forward_and_what_would_change_it():
    facts = {**JOSEF, "forsorjningsstod": True, "jobbtorg_del_av_planering": True,
             "sysselsattning_trots_jobbtorg_bedoms": False, "lss_personkrets": 0, "kontakt_specialistpsykiatri": True,
             "flera_myndigheter_involverade": False}
    text, _ = replies.recommendation(check(facts), role="handlaggare")
    assert "uppfyller ingen av insatserna kriterierna" in text
    assert "Vägar vidare:\n• Ny ansökan: Informera om rätten att ansöka på nytt" in text
    assert "• Jobbtorg via ekonomiskt bistånd:" in text and "• Arbetsförmedlingen:" in text
    assert "Inte uppfyllt – ändras detta, ändras bedömningen:\n✗ Arbetsrehabiliterande sysselsättning:" in text


def test_open_insatser_nothing_points_to_are_named_with_the_facts_that_decide_them():
    # Wanting work, no psychiatric contact, no larger need than Jobbtorg: only the LSS insatser are
    # open, and with the personkrets unknown nothing points to them; no "Troligast", but not ruled out.
    facts = {**JOSEF, "stodbehov_storre_an_jobbtorg": False, "kontakt_specialistpsykiatri": False}
    text, _ = replies.recommendation(check(facts), role="handlaggare")
    assert not text.startswith("Troligast")
    block = text.split("Öppen – uppgifter saknas – det som avgör:\n", 1)[1].split("\n\n", 1)[0]
    lines = block.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == [
        "• Särskilt individanpassat stöd till arbete eller studier (LSS personkrets 1 eller 2)",
        "• Särskilt individanpassat stöd till arbete eller studier, Insteg (LSS personkrets 1 eller 2)",
    ]
    assert all("personkrets enligt lss" in line for line in lines)
    assert "FINSAM" not in block


def test_arbetsrehabiliterande_sysselsattning_without_hours_says_the_upper_intervals_are_recommended():
    text, _ = replies.recommendation(check(JOSEF), role="handlaggare")
    assert "Omfattning: Önskad omfattning är inte känd" in text and "de övre intervallen" in text


def test_a_conflict_is_listed_for_the_handlaggare_to_clarify():
    text, _ = replies.recommendation(check({**JOSEF, "primart_mal": "social_samvaro"}), role="handlaggare")
    assert "Att klargöra:\n• Det primära målet är socialt" in text


def test_an_18_year_old_in_personkrets_1_gets_insteg_provisionally_pending_the_age_assessment():
    # 004's Insteg list: "Den enskilde ska vara i yrkesverksam ålder", undefined; at 18 it is the
    # handläggare's assessment (docs/criteria.md, interpretation 2), never "ej uppfyllt".
    result = check({"alder": 18, "lss_personkrets": 1, "onskar_narma_sig_arbete_eller_studier": True,
                    "forutsattningar_med_jobbcoach": True, "kan_ej_finna_fa_behalla_arbete_pa_egen_hand": True,
                    "forsorjningsstod": False})
    assert result["recommendation"]["provisional"]["id"] == "stodinsats_4_2_lss_insteg"
    assert result["recommendation"]["provisional"]["pending_facts"] == ["yrkesverksam_alder_bedoms"]
    text, _ = replies.recommendation(result, "handlaggare")
    assert text.startswith("Troligast: Särskilt individanpassat stöd till arbete eller studier, Insteg")
    assert "vid 18–19 och 65–66 år är det handläggarens bedömning" in text.split("Uppfyllt:")[0]
    assert "Ej uppfyllt" not in text
