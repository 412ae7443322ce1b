"""The widget is told in Swedish when the bot cannot reach its knowledge, as /api/chat is."""
from assistant.user_input import KNOWLEDGE_UNREACHABLE
from tests.widget_session.test_socketio_session_binding import say, start


def test_action_server_down_the_widget_is_told_and_the_conversation_resumes(stack, widget):
    """Rasa 3.6 ends such a turn without any message; without the channel's notice the widget
    user would wait for an answer that never comes."""
    grant = stack.new_session()
    client = start(widget, grant)
    stack.stop("actions")
    try:
        say(client, grant, "måste han ha sjukersättning?")
        client.wait_for(lambda m: m.get("text") == KNOWLEDGE_UNREACHABLE)
        assert client.messages == [{"text": KNOWLEDGE_UNREACHABLE}]
    finally:
        stack.start_again("actions")
    turn = len(client.messages)
    say(client, grant, "måste han ha sjukersättning?")
    client.wait_for(lambda m: "quotes" in m, start=turn)
    assert KNOWLEDGE_UNREACHABLE not in client.texts()[turn:]
