"""What fresh free-text conversations (benchmarks/conversations.py, tune half) found broken, through
the REST channel of the real stack. Phrasings are new, not the benchmark's."""
from knowledge.criteria import FACTS


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def payload(messages: list[dict]) -> dict | None:
    return next((m["custom"] for m in messages if "interventions" in (m.get("custom") or {})), None)


def asks(messages: list[dict], fact: str) -> bool:
    return FACTS[fact]["question"] in texts(messages)


def test_a_misspelt_kompetensverkstan_still_gets_the_ways_in(conversation):
    replies = conversation.say("jag jobbar pa kompetensverkstn, en kille 24 ar mar daligt. hur kan han fa hjalp?")
    assert "Jag svarar som till uppsökande personal" in texts(replies)
    assert not any(asks(replies, fact) for fact in FACTS)


def test_an_application_named_with_an_age_opens_the_consultation_instead_of_listing_criteria(conversation):
    replies = conversation.say("ansökan om sysselsättning, kvinna 57")
    assert "Kriterier för" not in texts(replies)
    assert any(m.get("buttons") for m in replies), "the consultation's first question"


def test_an_answer_and_a_correction_in_one_message_record_both_and_move_on(conversation):
    replies = conversation.say("Man 36 år i socialpsykiatrins målgrupp. Han vill inte arbeta nu, han vill träffa folk.")
    assert asks(replies, "saknar_annan_daglig_sysselsattning")
    # Read as correct_fact: the first sentence still answers the question asked.
    replies = conversation.say("ja han har inget. förresten är han 39, inte 36")
    result = payload(replies)
    assert result is not None and result["facts"]["alder"] == 39
    assert result["recommendation"]["primary"] == "socialt_inriktad_sysselsattning"


def test_no_personkrets_typed_as_ingen_is_recorded(conversation):
    replies = conversation.say("Kvinna 30 år som vill arbeta men inte klarar att hitta jobb själv, inget försörjningsstöd.")
    for _ in range(8):
        if asks(replies, "lss_personkrets") or payload(replies) is not None:
            break
        replies = conversation.say("vet inte")
    assert asks(replies, "lss_personkrets")
    replies = conversation.say("ingen")
    assert "Tillhör ingen personkrets enligt LSS" in texts(replies)
    assert not asks(replies, "lss_personkrets")


SOCIALT_DONE = ("Kvinna 41 år i socialpsykiatrins målgrupp utan annan sysselsättning och utan försörjningsstöd. "
                "Hon vill inte arbeta nu, hon vill få struktur på dagarna och träffa folk.")


def _finished(conversation) -> None:
    replies = conversation.say(SOCIALT_DONE)
    if payload(replies) is None:
        replies = conversation.say("få struktur och bryta isoleringen")
    assert payload(replies) is not None


def test_ok_after_the_result_offers_what_comes_next_instead_of_repeating_it(conversation):
    _finished(conversation)
    for text in ("okej", "ja"):
        replies = conversation.say(text)
        assert payload(replies) is None and "Förslag:" not in texts(replies)
        assert "fråga om riktlinjerna" in texts(replies)


def test_a_guess_to_a_question_is_kept_unknown_and_said_so(conversation):
    replies = conversation.say("man 33 i malgruppen, inget fsd. vill kanske jobba sen")
    if not any(asks(replies, fact) for fact in FACTS):
        replies = conversation.say("få struktur i vardagen")
    pending = next(fact for fact in FACTS if asks(replies, fact))
    replies = conversation.say("tror inte det")
    assert "osäkert" in texts(replies)
    result = payload(conversation.say("vad rekommenderar du?"))
    assert result is not None and pending not in result["facts"]


def test_the_next_case_in_the_same_message_carries_none_of_the_earlier_persons_facts(conversation):
    conversation.say("man 58 pk3 har fsd och vill jobba")
    replies = conversation.say("nasta arende: kvinna 26 i malgruppen, ingen syss, vill inte jobba nu")
    assert "Ändrat" not in texts(replies) and "Nytt ärende" in texts(replies)
    result = payload(conversation.say("vad rekommenderar du?"))
    assert result is not None and "lss_personkrets" not in result["facts"] and "forsorjningsstod" not in result["facts"]
