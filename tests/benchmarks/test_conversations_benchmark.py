"""benchmarks/conversations.py: the fresh conversation set is well formed, and the runner answers
what the bot asks and judges the end, shown here with a scripted bot instead of Rasa."""
from benchmarks.conversations import BEHOV_SYFTE_MAL_QUESTION, DONT_KNOW, load, play
from knowledge.criteria import FACTS, check

CASES = load()


def test_every_case_has_a_source_a_subset_and_answers_keyed_by_facts():
    for case in CASES:
        assert case.get("source"), case["id"]
        assert case["subset"] in {"clean", "folded", "typo"}, case["id"]
        assert set(case["answers"]) <= {*FACTS, "behov_syfte_mal"}, case["id"]
        assert set(case["expect"].get("facts", {})) <= set(FACTS), case["id"]


def test_the_halves_alternate_in_file_order_and_ids_are_unique():
    assert [c["split"] for c in CASES] == ["tune" if i % 2 == 0 else "heldout" for i in range(len(CASES))]
    assert len({c["id"] for c in CASES}) == len(CASES)


def test_at_least_a_third_is_typed_without_aao_or_with_typos_and_each_half_has_every_subset():
    assert sum(c["subset"] != "clean" for c in CASES) * 3 >= len(CASES)
    for half in ("tune", "heldout"):
        assert {c["subset"] for c in CASES if c["split"] == half} == {"clean", "folded", "typo"}, half


def scripted_bot(facts_after_answers: dict, questions: list[str]):
    """Asks `questions` in turn, then sends the checker's result for `facts_after_answers`."""
    heard: list[str] = []

    def say(message: str) -> list[dict]:
        heard.append(message)
        asked = len(heard) - 1
        if asked < len(questions):
            name = questions[asked]
            text = BEHOV_SYFTE_MAL_QUESTION if name == "behov_syfte_mal" else FACTS[name]["question"]
            return [{"text": text}]
        return [{"text": "Förslag", "custom": check(facts_after_answers)}]

    return say, heard


SOCIALT = {"alder": 30, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
           "onskar_narma_sig_arbete_eller_studier": False}
CASE = {
    "id": "x", "opening": "Kvinna 30 år", "answers": {"malgrupp_socialpsykiatri": "japp"},
    "expect": {"end": "eligible", "insats": "socialt_inriktad_sysselsattning", "facts": {"alder": 30}},
}


def test_the_runner_answers_from_the_case_and_says_vet_inte_to_the_rest():
    say, heard = scripted_bot(SOCIALT, ["malgrupp_socialpsykiatri", "forsorjningsstod"])
    played = play(say, CASE)
    assert heard == ["Kvinna 30 år", "japp", DONT_KNOW]
    assert played.questions == ["malgrupp_socialpsykiatri", "forsorjningsstod"]
    assert played.outcome == "rätt"


def test_an_end_in_another_insats_is_wrong_and_says_which():
    say, _ = scripted_bot({**SOCIALT, "onskar_narma_sig_arbete_eller_studier": True}, [])
    played = play(say, CASE)
    assert played.outcome == "fel"
    assert any("väntat socialt_inriktad_sysselsattning" in p for p in played.problems)


def test_a_misread_fact_makes_a_right_insats_wrong():
    say, _ = scripted_bot({**SOCIALT, "alder": 31}, [])
    played = play(say, CASE)
    assert played.outcome == "fel" and "alder=31, väntat 30" in played.problems


def test_a_conversation_that_neither_asks_nor_recommends_has_no_answer():
    played = play(lambda message: [{"text": "Jag är inte säker på vad du menar."}], CASE)
    assert played.outcome == "inget svar"


def test_a_question_for_a_fact_the_bot_had_already_noted_is_counted():
    replies = iter([
        [{"text": "Noterat – ålder: 30; tillhör socialpsykiatrins målgrupp: ja.\n" + FACTS["forsorjningsstod"]["question"]}],
        [{"text": FACTS["malgrupp_socialpsykiatri"]["question"]}],
        [{"text": "Förslag", "custom": check(SOCIALT)}],
    ])
    played = play(lambda message: next(replies), CASE)
    assert played.questions == ["forsorjningsstod", "malgrupp_socialpsykiatri"]
    assert played.asked_noted == ["malgrupp_socialpsykiatri"]


def test_a_question_for_a_fact_not_yet_noted_is_not_counted():
    say, _ = scripted_bot(SOCIALT, ["malgrupp_socialpsykiatri", "forsorjningsstod"])
    assert play(say, CASE).asked_noted == []


def test_turns_after_the_end_are_sent_and_a_reply_repeating_the_result_is_wrong():
    say, heard = scripted_bot(SOCIALT, [])
    case = {**CASE, "after_end": [{"message": "ok", "says": "Vill du", "not_says": ["Förslag"]}]}
    played = play(say, case)
    assert heard == ["Kvinna 30 år", "ok"]
    assert played.outcome == "fel"
    assert played.problems == ["efter slutet: svaret saknar ”Vill du”", "efter slutet: svaret innehåller ”Förslag”"]


def test_an_earlier_persons_case_is_typed_before_the_opening_and_not_judged():
    say, heard = scripted_bot(SOCIALT, [])
    played = play(say, {**CASE, "before": ["man 50 har fsd", "ny klient"]})
    assert heard[:3] == ["man 50 har fsd", "ny klient", "Kvinna 30 år"]
    assert played.outcome == "rätt"


def test_an_aside_without_cites_is_judged_by_its_words_only():
    replies = iter([
        [{"text": FACTS["forsorjningsstod"]["question"]}],
        [{"text": "Ändrat (ålder 42 → 24).\n" + FACTS["forsorjningsstod"]["question"]}],
        [{"text": "Förslag", "custom": check(SOCIALT)}],
    ])
    case = {**CASE, "asides": [{"after": 0, "message": "nej hon ar 24 inte 42", "says": "Ändrat"}]}
    played = play(lambda message: next(replies), case)
    assert played.questions == ["forsorjningsstod"]
    assert played.problems == []


def test_a_correction_after_the_result_is_played_on_and_its_new_result_is_judged():
    corrected = {**SOCIALT, "alder": 19, "yrkesverksam_alder_bedoms": True}
    replies = iter([
        [{"text": "Förslag", "custom": check(SOCIALT)}],
        [{"text": "Ändrat (ålder 30 → 19).\n" + FACTS["yrkesverksam_alder_bedoms"]["question"]}],
        [{"text": "Förslag", "custom": check(corrected)}],
    ])
    heard: list[str] = []
    case = {**CASE, "answers": {"yrkesverksam_alder_bedoms": "ja"},
            "asides": [{"after": 0, "message": "nej förresten hon är 19"}],
            "expect": {**CASE["expect"], "facts": {"alder": 19, "yrkesverksam_alder_bedoms": True}}}
    played = play(lambda message: heard.append(message) or next(replies), case)
    assert heard == ["Kvinna 30 år", "nej förresten hon är 19", "ja"]
    assert played.questions == ["yrkesverksam_alder_bedoms"]
    assert played.outcome == "rätt"


def test_a_guideline_question_after_the_result_keeps_the_result():
    say, heard = scripted_bot(SOCIALT, [])
    replies = iter([say("Kvinna 30 år"), [{"text": "Så här står det i riktlinjerna: timmar (002 §2.2)"}]])
    case = {**CASE, "asides": [{"after": 1, "message": "hur många timmar?", "cites": ["002"], "says": "timmar"}]}
    played = play(lambda message: next(replies), case)
    assert played.payload is not None and played.outcome == "rätt"
