"""The first small domain, through the REST channel of a real Rasa server and action server."""


def test_greeting_is_answered_in_swedish_with_role_buttons(conversation):
    messages = conversation.say("Hej!")
    assert "Insatslotsen" in messages[0]["text"]
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["Jag är handläggare", "Jag arbetar uppsökande (Kompetensverkstan)"]


def test_asking_what_the_assistant_can_do_lists_the_insatser(conversation):
    assert "arbetsrehabiliterande sysselsättning" in conversation.texts("vad kan du hjälpa mig med?")


def test_thanks_and_goodbye_get_polite_answers(conversation):
    assert "Varsågod" in conversation.texts("tack så mycket")
    assert "Hej då" in conversation.texts("hej då")


def test_thanks_in_the_middle_of_a_consultation_come_back_to_the_waiting_question(conversation):
    question = conversation.say("Man 45 år i socialpsykiatrins målgrupp, ingen annan sysselsättning, vill träffa folk")[-1]["text"]
    assert question.endswith("?")
    reply = conversation.texts("ok tack")
    assert "Varsågod" in reply and question in reply


def test_out_of_scope_question_gets_a_polite_refusal(conversation):
    assert "kan jag tyvärr inte hjälpa till med" in conversation.texts("vad blir det för väder i morgon?")


def test_restart_is_run_by_the_action_server(conversation):
    conversation.say("28-årig kvinna som vill börja jobba, har kontakt med psykiatrin")
    assert "vi börjar om" in conversation.texts("börja om")
    # The restart action cleared the facts: a yes now has nothing to answer.
    assert "ingen fråga till dig" in conversation.texts("ja")


def test_role_button_payload_sets_the_role(conversation):
    assert "uppsökande personal" in conversation.texts('/inform_role{"roll": "uppsokare"}')
