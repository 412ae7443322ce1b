"""A process of the stack goes away mid-conversation: the user is told in Swedish, readiness
names what is down, and the conversation goes on from the tracker store when it is back."""

from assistant.user_input import KNOWLEDGE_UNREACHABLE
from tests.conversation import Conversation

DESCRIPTION = "Kvinna 25 år med psykisk funktionsnedsättning som sitter hemma och vill börja arbetsträna."


def texts(replies: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in replies)


def known_facts(chat) -> str:
    return texts(chat.say("vad vet du om personen?"))


def test_ready_when_every_part_answers(stack):
    response = stack.ready()
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "redo"
    assert set(body["delar"]) == {"sokindex", "rasa", "actionserver", "samtalslager"}


def test_action_server_down_the_bot_says_so_and_the_conversation_resumes(stack, chat):
    chat.say(DESCRIPTION)
    before = known_facts(chat)
    assert "25" in before

    stack.service("actions").stop()
    try:
        replies = chat.say("ja")
        assert texts(replies) == KNOWLEDGE_UNREACHABLE
        ready = stack.ready()
        assert ready.status_code == 503
        assert ready.json()["delar"]["actionserver"]["ok"] is False
        assert "actionserver" in ready.json()["meddelande"]
    finally:
        stack.restart("actions")

    assert stack.ready().status_code == 200
    after = known_facts(chat)
    assert "25" in after, "the facts gathered before the outage are still there"
    assert KNOWLEDGE_UNREACHABLE not in texts(chat.say("ja"))


def test_rasa_restarted_mid_conversation_continues_from_the_tracker_store(stack, chat):
    chat.say(DESCRIPTION)
    chat.say("ja")
    before = known_facts(chat)

    stack.service("rasa").stop()
    try:
        refused = chat.post({"sender": chat.sender, "message": "ja"}, timeout=30)
        assert refused.status_code == 503
        assert "samtalet finns kvar" in refused.json()["detail"]
        assert stack.ready().json()["delar"]["rasa"]["ok"] is False
    finally:
        stack.restart("rasa")

    assert known_facts(chat) == before


def test_the_rasa_server_itself_says_the_knowledge_is_unreachable(stack):
    """Stock Rasa 3.6 sends nothing when the action server is down. The notice must come from the
    Rasa server itself, for the channels whose replies no proxy sees (Teams): this conversation
    talks to Rasa's REST channel directly, without the app."""
    direct = Conversation(f"{stack.rasa_url}/webhooks/rest/webhook", stack.session_secret)
    direct.say(DESCRIPTION)
    stack.service("actions").stop()
    try:
        assert texts(direct.say("ja")) == KNOWLEDGE_UNREACHABLE
    finally:
        stack.restart("actions")
    assert KNOWLEDGE_UNREACHABLE not in texts(direct.say("ja"))



def test_a_tracker_store_failing_mid_conversation_is_told_and_keeps_nothing_of_the_turn(stack, chat):
    """The session check still passes (its table is there), but Rasa cannot read the conversation:
    stock Rasa would answer from a new, empty conversation; here the user is told and nothing of
    the turn is kept (Rasa workaround 11), and the conversation goes on once the store is back."""
    import sqlite3

    from assistant.stores.health import STORE_DISTURBED_MESSAGE

    chat.say(DESCRIPTION)
    before = known_facts(chat)
    assert "25" in before

    def rename(old: str, new: str) -> None:
        with sqlite3.connect(stack.tracker_db) as db:
            db.execute(f"ALTER TABLE {old} RENAME TO {new}")

    rename("events", "events_away")
    try:
        refused = chat.post({"sender": chat.sender, "message": "hon har ingen annan sysselsättning"}, timeout=60)
        assert refused.status_code == 503
        assert refused.json()["detail"] == STORE_DISTURBED_MESSAGE
    finally:
        rename("events_away", "events")

    with sqlite3.connect(stack.tracker_db) as db:
        stored = "\n".join(row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (chat.sender,)))
    assert "ingen annan sysselsättning" not in stored, "nothing of the refused turn was kept"
    assert known_facts(chat) == before, "the conversation goes on from what was stored"
    assert "tracker store disturbed" in stack.logs()["rasa.log"]
