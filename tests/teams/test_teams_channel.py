"""The Teams channel end to end: real Rasa and action server behind the HTTP app's webhook proxy,
Microsoft's side played by the local stand-in (tests/teams/standin.py).

Rasa 3.6's own botframework channel fails these: it cannot start without reaching Microsoft's
key endpoint, accepts tokens from any issuer, without a serviceurl check or endorsement, posts
replies to the multi-tenant token URL, and answers 200 when a reply was not delivered.
"""
from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest

from assistant.feedback import list_feedback
from assistant.user_input import IDENTIFIER_ADVICE, MAX_MESSAGE_CHARS, identifier_notice
from tests.assistant.test_personal_data import PNR
from tests.conversation import Conversation
from tests.teams.standin import WEBCHAT_KID

CONSULTATION_START = "Kille 29 år med kontakt med psykiatrin som vill jobba, ingen fbs"


def cards(replies: list[dict], content_type: str) -> list[dict]:
    return [
        attachment["content"]
        for reply in replies
        for attachment in reply.get("attachments", [])
        if attachment["contentType"] == content_type
    ]


def hero_cards(replies: list[dict]) -> list[dict]:
    return cards(replies, "application/vnd.microsoft.card.hero")


def adaptive_cards(replies: list[dict]) -> list[dict]:
    return cards(replies, "application/vnd.microsoft.card.adaptive")


def card_texts(card: dict) -> str:
    def texts(blocks):
        for block in blocks:
            yield block.get("text", "")
            yield from texts(block.get("items", []))
    return "\n".join(texts(card["body"]))


def test_the_channel_starts_without_reaching_microsoft(teams):
    """Rasa's channel fetches the signing keys in its constructor; ours only on the first request."""
    assert teams.metadata_requests_at_start == 0


def test_a_message_gets_a_reply_posted_to_its_conversation_after_a_token_request(teams, conversation_id):
    activity = teams.standin.message("hej", conversation_id)
    processed = teams.channel_status()["processed"]
    response = teams.post(activity)
    assert response.status_code == 202, response.text
    teams.wait_for_turns(processed)

    replies = [r for r in teams.standin.of_kind("activity") if r.body["conversation_id"] == conversation_id]
    assert replies, "no reply reached the Bot Connector stand-in"
    for reply in replies:
        assert reply.path == f"/v3/conversations/{conversation_id}/activities"  # decoded by the stand-in
        assert reply.headers["Authorization"] == f"Bearer {teams.standin.access_token}"
        assert reply.body["activity"]["type"] == "message"
        assert reply.body["activity"]["conversation"]["id"] == conversation_id
        assert reply.body["activity"]["replyToId"] == activity["id"]
        assert reply.body["activity"]["recipient"]["id"] == activity["from"]["id"]
    assert all(r.body["activity"].get("text") or r.body["activity"].get("attachments") for r in replies)

    tokens = [r for r in teams.standin.of_kind("token") if r.at <= replies[0].at]
    assert tokens, "the reply was posted without a token from the configured token endpoint"
    assert tokens[0].path == "/tenant-0000/oauth2/v2.0/token"
    assert tokens[0].body == {
        "grant_type": "client_credentials",
        "client_id": teams.standin.app_id,
        "client_secret": teams.standin.app_password,
        "scope": "https://api.botframework.com/.default",
    }


def _refused_cases(standin, service_url):
    now = int(time.time())
    other = f"http://127.0.0.1:{standin.port + 1}/"
    return {
        "wrong issuer": (standin.token(service_url, iss="https://sts.windows.net/evil/"), service_url),
        "wrong audience": (standin.token(service_url, aud=str(uuid.uuid4())), service_url),
        "no audience": (standin.token(service_url, aud=None), service_url),
        "expired beyond the 5 minute leeway": (standin.token(service_url, exp=now - 400, nbf=now - 1000), service_url),
        "HS256": (standin.token(service_url, algorithm="HS256", signing_key="shared-secret-of-an-attacker-0123456789"), service_url),
        "no kid": (standin.token(service_url, kid=None), service_url),
        "unknown kid": (standin.token(service_url, kid="made-up", signing_key=standin.keys["teams-key"]), service_url),
        "signed by a key not endorsed for msteams": (standin.token(service_url, kid=WEBCHAT_KID), service_url),
        "serviceurl claim differs from the activity's": (standin.token(other), service_url),
        "no serviceurl claim": (standin.token(service_url, serviceurl=None), service_url),
        "serviceUrl host not allowed": (
            standin.token(f"http://localhost:{standin.port}/"), f"http://localhost:{standin.port}/",
        ),
        "not a JWT": ("not-a-token", service_url),
    }


REFUSED = [
    "wrong issuer", "wrong audience", "no audience", "expired beyond the 5 minute leeway", "HS256", "no kid",
    "unknown kid", "signed by a key not endorsed for msteams", "serviceurl claim differs from the activity's",
    "no serviceurl claim", "serviceUrl host not allowed", "not a JWT",
]


@pytest.mark.parametrize("case", REFUSED)
def test_a_forged_or_misdirected_token_is_refused_with_401(teams, conversation_id, case):
    token, service_url = _refused_cases(teams.standin, teams.standin.service_url())[case]
    activity = teams.standin.message("hej", conversation_id, serviceUrl=service_url)
    response = httpx.post(teams.webhook, json=activity, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert response.status_code == 401, (case, response.status_code, response.text)
    assert teams.standin.replies(conversation_id) == []
    assert teams.user_events(conversation_id) == [], "a refused message must not reach Rasa"


def test_a_request_without_authorization_is_refused_with_401(teams, conversation_id):
    response = httpx.post(teams.webhook, content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    response = httpx.post(teams.webhook, json=teams.standin.message("hej", conversation_id),
                          headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401


def test_a_token_expired_within_the_leeway_is_accepted(teams, conversation_id):
    activity = teams.standin.message("hej", conversation_id)
    now = int(time.time())
    response = teams.post(activity, token=teams.standin.token(activity["serviceUrl"], exp=now - 60, nbf=now - 600))
    assert response.status_code == 202, response.text


def test_unknown_key_ids_do_not_refetch_the_keys_more_than_hourly(teams, conversation_id):
    teams.say(conversation_id, "hej")  # keys are fetched by now
    fetched = len(teams.standin.of_kind("metadata"))
    for _ in range(3):
        activity = teams.standin.message("hej", conversation_id)
        token = teams.standin.token(activity["serviceUrl"], kid=f"rotated-{uuid.uuid4().hex[:6]}",
                                    signing_key=teams.standin.keys["teams-key"])
        assert teams.post(activity, token=token).status_code == 401
    assert len(teams.standin.of_kind("metadata")) == fetched


def test_question_buttons_arrive_as_card_actions_carrying_the_payload(teams, conversation_id):
    replies = teams.say(conversation_id, CONSULTATION_START)
    found = hero_cards(replies)
    assert found, replies
    buttons = found[-1]["buttons"]
    assert {"Ja", "Nej", "Vet inte", "Varför frågar du?"} <= {b["title"] for b in buttons}
    for button in buttons:
        assert button["type"] == "messageBack"
        assert button["text"].startswith("/")
        assert button["displayText"] == button["title"]
    assert found[-1]["text"], "the question itself is on the card"


def _rest_say(widget: Conversation, message: str) -> list[dict]:
    return widget.say(message)


@pytest.mark.parametrize("click", ["imBack", "messageBack"])
def test_a_button_click_reaches_the_same_intent_as_the_widget_button(teams, conversation_id, click):
    card = hero_cards(teams.say(conversation_id, CONSULTATION_START))[-1]
    button = next(b for b in card["buttons"] if b["title"] == "Vet inte")
    if click == "imBack":
        # An imBack click arrives as the button's value typed by the user.
        replies = teams.say(conversation_id, button["text"])
    else:
        replies = teams.say(conversation_id, button["text"], value=button["value"])

    widget = Conversation(f"{teams.api_url}/api/chat")
    widget_sender = widget.sender
    widget_question = _rest_say(widget, CONSULTATION_START)[-1]
    widget_button = next(b for b in widget_question["buttons"] if b["title"] == "Vet inte")
    assert widget_button["payload"] == button["text"]
    widget_replies = _rest_say(widget, widget_button["payload"])

    teams_intent = teams.user_events(conversation_id)[-1][0]
    widget_intent = teams.user_events(widget_sender)[-1][0]
    assert teams_intent == widget_intent == "dont_know"
    assert hero_cards(replies)[-1]["text"] == widget_replies[-1]["text"], "the same next question"


def test_the_recommendation_is_an_adaptive_card(teams, conversation_id):
    teams.say(conversation_id, CONSULTATION_START)
    replies = teams.say(conversation_id, "sammanfatta")
    found = adaptive_cards(replies)
    assert len(found) == 1, replies
    card = found[0]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    texts = card_texts(card)
    assert "Regelversion: sha256:" in texts
    assert "Beslutet och den individuella bedömningen är alltid handläggarens." in texts
    assert any(mark in texts for mark in ("✓", "✗", "?"))
    assert "Nästa steg" in texts
    ratings = [a["data"]["feedback"] for a in card["actions"] if a["type"] == "Action.Submit"]
    assert ratings == ["up", "down"]
    assert "{" not in texts, "no raw JSON in what the handläggare reads"


def test_identifiers_are_masked_before_rasa_and_the_notice_comes_once_per_kind(teams, conversation_id):
    replies = teams.say(conversation_id, f"Hon heter Ardian Zeqiri, pnr {PNR[:6]}-{PNR[6:]} och är 28 år, vill jobba.")
    assert replies[0]["text"] == identifier_notice({"namn", "personnummer"}).replace("\n", "\n\n")
    again = teams.say(conversation_id, f"ring {PNR}")
    assert all(IDENTIFIER_ADVICE not in r.get("text", "") for r in again)
    moved = teams.say(conversation_id, "hon bor på Hästhagsvägen 3")
    assert moved[0]["text"] == identifier_notice({"adress"}), "a new kind is told about once too"

    stored = "\n".join(data for _, data in teams.user_events(conversation_id))
    assert "[personnummer]" in stored
    assert PNR not in stored and f"{PNR[:6]}-{PNR[6:]}" not in stored
    assert "Ardian" not in stored and "Zeqiri" not in stored and "Hästhagsvägen" not in stored
    assert "[namn]" in stored and "[adress]" in stored
    assert "Anna Handläggare" not in stored, "the Teams user's name is not kept as metadata"


def test_a_thumbs_down_click_is_stored_masked_as_teams_feedback(teams, conversation_id):
    question = f"Vad gäller för {PNR}?"
    value = {"feedback": "down", "question": question, "answer": "Ett svar.", "passage_id": "002-4.2.3-1",
             "versions": {"rules": "sha256:test"}}
    replies = teams.say(conversation_id, None, value=value)
    assert [r["text"] for r in replies] == ["Tack för återkopplingen!"]
    rows = [row for row in list_feedback(None, teams.feedback_db) if row.answer == "Ett svar."]
    assert len(rows) == 1
    assert rows[0].rating == "down" and rows[0].channel == "teams"
    assert rows[0].question == "Vad gäller för [personnummer]?"
    assert rows[0].passage_id == "002-4.2.3-1" and rows[0].versions["rules"] == "sha256:test"
    assert teams.user_events(conversation_id) == [], "a rating is not a message to the bot"


def test_an_answer_from_the_guidelines_offers_thumbs_up_and_down(teams, conversation_id):
    replies = teams.say(conversation_id, "måste man ha sjukersättning för sysselsättning?")
    answer = next(r for r in replies if hero_cards([r]) and "»" in r.get("text", ""))
    buttons = hero_cards([answer])[0]["buttons"]
    assert [b["displayText"] for b in buttons] == ["👍", "👎"]
    assert buttons[1]["value"]["feedback"] == "down"
    assert buttons[1]["value"]["question"] == "måste man ha sjukersättning för sysselsättning?"


def test_a_reply_the_connector_refuses_is_counted_and_logged(teams, conversation_id):
    teams.standin.failing_conversations.add(conversation_id)
    before = teams.channel_status()
    response = teams.post(teams.standin.message("hej", conversation_id))
    assert response.status_code == 202  # answered at once; the reply follows in the background
    teams.wait_for_turns(before["processed"])
    before, after = before["errors"].get("reply", 0), teams.channel_status()["errors"].get("reply", 0)
    assert after == before + 1
    assert "Teams reply not delivered" in (teams.log_dir / "rasa.log").read_text(errors="replace")


def test_the_webhook_proxy_refuses_an_oversized_body_before_rasa(teams, conversation_id):
    activity = teams.standin.message("x" * 200_000, conversation_id)
    response = teams.post(activity)
    assert response.status_code == 413
    body = json.dumps(activity).encode()
    token = teams.standin.token(activity["serviceUrl"])
    chunked = httpx.post(  # no Content-Length: the cap holds while the body streams in
        teams.webhook, content=(body[i:i + 8192] for i in range(0, len(body), 8192)),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, timeout=30,
    )
    assert chunked.status_code == 413 and "content-length" not in chunked.request.headers
    assert teams.user_events(conversation_id) == []


def test_an_overlong_message_gets_the_widgets_swedish_refusal_and_does_not_reach_rasa(teams, conversation_id):
    replies = teams.say(conversation_id, "ord " * (MAX_MESSAGE_CHARS // 4 + 10))
    assert [r["text"] for r in replies] == [f"Meddelandet är för långt; högst {MAX_MESSAGE_CHARS} tecken."]
    assert teams.user_events(conversation_id) == []


def test_a_non_message_activity_is_acknowledged_without_a_reply(teams, conversation_id):
    activity = teams.standin.message(None, conversation_id, type="conversationUpdate",
                                     membersAdded=[{"id": "29:someone"}])
    assert teams.post(activity).status_code == 200
    assert teams.standin.replies(conversation_id) == []
    assert json.loads(teams.post(activity).text)["status"] == "ignored"
