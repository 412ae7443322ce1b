"""Digressions, corrections and "vet inte" in a running consultation, through the REST channel."""


def last_question(messages: list[dict]) -> str:
    return next(m["text"] for m in reversed(messages) if m.get("buttons"))


def test_a_guideline_question_mid_consultation_is_quoted_and_the_question_comes_back(conversation):
    asked = last_question(conversation.say("Kille 29 år med kontakt med psykiatrin som vill jobba, ingen fbs"))
    replies = conversation.say("måste han ha sjukersättning?")
    texts = "\n".join(m.get("text") or "" for m in replies)
    assert "»" in texts and "002 §" in texts
    assert "Tillbaka till ärendet:" in texts
    assert last_question(replies) == asked


def test_a_correction_says_what_changed_and_keeps_the_pending_question(conversation):
    asked = last_question(conversation.say("hon är 28, vill börja plugga och har psykiatrikontakt"))
    replies = conversation.say("nej förlåt, hon är 31")
    texts = "\n".join(m.get("text") or "" for m in replies)
    assert "Ändrat (ålder 28 → 31)" in texts
    assert last_question(replies) == asked


def test_a_correction_that_rules_out_every_insats_says_so_and_asks_nothing_more(conversation):
    conversation.say("hon är 28, vill börja plugga och har psykiatrikontakt")
    replies = conversation.say("nej förlåt, hon är 70")
    texts = "\n".join(m.get("text") or "" for m in replies)
    assert "Ändrat (ålder 28 → 70)" in texts
    assert "ej uppfyllt" in texts
    # Past working age no answer can change the verdict (knowledge/criteria/next_question.py).
    assert not any(m.get("buttons") for m in replies)


def test_vet_inte_moves_on_to_another_question(conversation):
    asked = last_question(conversation.say("man 45 år som vill ha struktur i vardagen"))
    assert last_question(conversation.say("vet inte")) != asked
