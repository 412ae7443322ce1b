"""Teams cards built from real checker results and the bot's real buttons (no servers needed)."""
from actions.replies import name_of, question
from assistant.channels import teams_cards
from knowledge.criteria import check

SOCIAL_CASE = {
    "alder": 45, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
    "forsorjningsstod": False, "onskar_narma_sig_arbete_eller_studier": False,
    "primart_mal": "struktur_i_vardagen", "onskad_omfattning_timmar": 8,
}
QUOTES = [{"citation": "002 §3.2", "passage_id": "002-3.2-1", "text": "Socialt inriktad sysselsättning riktar sig till …"}]


def _texts(blocks):
    for block in blocks:
        if block.get("type") == "TextBlock":
            yield block["text"]
        yield from _texts(block.get("items", []))


def _card(custom, answer="Förslag: …"):
    return teams_cards.recommendation_card(custom, "kvinna 45 som vill ha struktur", answer)["content"]


def test_rasa_buttons_become_message_back_actions_with_the_payload():
    text, buttons = question("primart_mal")
    card = teams_cards.hero_card(text, buttons)
    assert card["contentType"] == "application/vnd.microsoft.card.hero"
    actions = card["content"]["buttons"]
    assert len(actions) == len(buttons)
    for action, button in zip(actions, buttons):
        assert action == {
            "type": "messageBack", "title": button["title"], "displayText": button["title"],
            "text": button["payload"], "value": {"payload": button["payload"]},
        }
    assert any(a["text"].startswith('/inform{"svar": ') for a in actions)


def test_the_recommendation_card_shows_insats_status_criteria_interval_steps_and_rules_version():
    result = {**check(SOCIAL_CASE), "quotes": QUOTES}
    card = _card(result)
    texts = "\n".join(_texts(card["body"]))
    assert "Förslag: Socialt inriktad sysselsättning – Kriterierna uppfyllda" in texts
    assert "✓ Personen tillhör socialpsykiatrins målgrupp" in texts and "(uppfyllt; 002 §1.1)" in texts
    assert "✗" in texts, "the other insatser's unmet criteria are on the card (behind a toggle)"
    assert f"{name_of('stodinsats_4_2_socialpsykiatri')} – Inte aktuell" in texts
    assert "Omfattning: 1-12 timmar/vecka." in texts
    assert "Nästa steg" in texts and "1. " in texts
    assert f"Regelversion: {result['versions']['rules']}" in texts
    assert "» Socialt inriktad sysselsättning riktar sig till … « (002 §3.2)" in texts
    assert "Överväg också: FINSAM" in texts


def test_the_recommendation_card_asks_for_a_rating_and_which_passage_would_have_been_right():
    result = {**check(SOCIAL_CASE), "quotes": QUOTES}
    card = _card(result, answer="x" * 5000)
    submits = [a for a in card["actions"] if a["type"] == "Action.Submit"]
    assert [a["title"] for a in submits] == ["👍", "👎"]
    down = submits[1]["data"]
    assert down["feedback"] == "down"
    assert down["question"] == "kvinna 45 som vill ha struktur"
    assert len(down["answer"]) == teams_cards.MAX_FEEDBACK_ANSWER_CHARS
    assert down["versions"] == result["versions"]
    choice = next(b for b in card["body"] if b["type"] == "Input.ChoiceSet")
    assert choice["id"] == "passage_id" and choice["choices"] == [{"title": "002 §3.2", "value": "002-3.2-1"}]
    toggle = next(a for a in card["actions"] if a["type"] == "Action.ToggleVisibility")
    assert toggle["targetElements"] == ["ovriga"]


def test_a_card_without_a_primary_insats_names_the_likeliest_one():
    result = check({"alder": 29, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True})
    assert result["recommendation"]["primary"] is None
    texts = "\n".join(_texts(_card(result)["body"]))
    assert f"Troligast: {name_of(result['recommendation']['provisional']['id'])} – Öppen – uppgifter saknas" in texts
    assert "? Personen uttrycker" in texts


def test_a_card_where_nothing_fits_shows_the_ways_forward():
    result = check({"alder": 30, "malgrupp_socialpsykiatri": False, "lss_personkrets": 0,
                    "onskar_narma_sig_arbete_eller_studier": True, "flera_myndigheter_involverade": False})
    texts = "\n".join(_texts(_card(result)["body"]))
    assert "Ingen insats uppfyller kriterierna utifrån det som är känt." in texts
    assert "• Ny ansökan: Informera om rätten att ansöka på nytt" in texts and "• Arbetsförmedlingen:" in texts


def test_the_card_flags_conflicts_with_their_source():
    result = check({**SOCIAL_CASE, "primart_mal": "arbete"})
    texts = "\n".join(_texts(_card(result)["body"]))
    assert "Att klargöra" in texts and "(002 §2.1.3)" in texts


def test_only_a_rating_value_counts_as_feedback():
    assert teams_cards.feedback_of({"value": {"feedback": "up", "question": "q"}})["feedback"] == "up"
    assert teams_cards.feedback_of({"value": {"feedback": "meh"}}) is None
    assert teams_cards.feedback_of({"value": {"payload": "/affirm"}}) is None
    assert teams_cards.feedback_of({"text": "hej"}) is None
