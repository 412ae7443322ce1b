"""The socket.io channel serves a conversation only to the socket holding its signed token."""
import httpx
import pytest

from assistant.channels.socketio import SESSION_REFUSED
from assistant.session_tokens import issue
from tests.widget_session.widget_client import WidgetClient


def start(widget, grant: dict) -> WidgetClient:
    """A widget connected and joined to its session, as after the page loads."""
    client = widget()
    client.connect(grant["token"])
    client.emit("session_request", {"session_id": grant["session_id"], "token": grant["token"]})
    client.wait_for(lambda confirmed: confirmed == grant["session_id"], inbox=client.confirmed, timeout=15)
    return client


def say(client, grant: dict, text: str) -> None:
    client.emit("user_uttered", {"message": text, "session_id": grant["session_id"], "token": grant["token"]})


def test_a_widget_with_a_valid_token_gets_the_bots_reply_through_the_relay(stack, widget):
    grant = stack.new_session()
    client = start(widget, grant)
    say(client, grant, "måste han ha sjukersättning?")
    client.wait_for(lambda m: "002 §" in m.get("text", ""))
    # The quotes arrive as the action's custom payload, as one dict (Rasa's own SocketIOOutput
    # raises a TypeError on such a payload and the user gets nothing after the text).
    quotes = client.wait_for(lambda m: "quotes" in m)["quotes"]
    assert quotes and all(q["passage_id"] and q["citation"] for q in quotes)
    stack.wait_until_stored(grant["session_id"], "måste han ha sjukersättning?")
    assert stack.user_texts(grant["session_id"]) == ["måste han ha sjukersättning?"]


def test_a_second_widget_cannot_join_or_write_into_someone_elses_conversation(stack, widget):
    """Proves the binding: Rasa's plain SocketIOInput would confirm the second widget's
    session_request for the first widget's id, join it to that room, and store its message in the
    first conversation; this test fails against it."""
    first = stack.new_session()
    victim = start(widget, first)
    second = stack.new_session()

    joiner = widget()
    joiner.connect(second["token"])
    joiner.emit("session_request", {"session_id": first["session_id"], "token": second["token"]})
    joiner.wait_for(lambda m: m.get("text") == SESSION_REFUSED, timeout=15)
    assert joiner.disconnected.wait(10), "the socket is disconnected after the refusal"
    assert joiner.confirmed == []

    writer = widget()
    writer.connect(second["token"])
    writer.emit("user_uttered", {"message": "KANARIE-FRAN-ANDRA", "session_id": first["session_id"], "token": second["token"]})
    writer.wait_for(lambda m: m.get("text") == SESSION_REFUSED, timeout=15)
    assert writer.disconnected.wait(10)

    say(victim, first, "måste han ha sjukersättning?")
    victim.wait_for(lambda m: "quotes" in m)
    assert joiner.messages == writer.messages == [{"text": SESSION_REFUSED}], "only the refusal reached them"
    assert "KANARIE-FRAN-ANDRA" not in stack.stored_events(first["session_id"])
    assert "KANARIE-FRAN-ANDRA" not in stack.logs()


@pytest.mark.parametrize("forgery", ["no token", "garbage", "other secret", "payload swapped", "expired"])
def test_a_widget_without_a_valid_token_for_the_session_is_refused_at_connect(stack, widget, forgery):
    """The first widget's id with no token or a forged one: the connection itself is refused, so
    the socket never gets as far as a room (Rasa's plain channel accepts every connection)."""
    first = stack.new_session()
    victim = start(widget, first)
    other = stack.new_session()
    token = {
        "no token": None,
        "garbage": "inte.en-token",
        "other secret": issue(first["session_id"], "x" * 43, 3600).token,
        # the first session's claims under the signature of a token issued for the other session
        "payload swapped": first["token"].split(".")[0] + "." + other["token"].split(".")[1],
        "expired": issue(first["session_id"], stack.secret, -60).token,
    }[forgery]
    intruder = widget()
    with pytest.raises(Exception):
        intruder.connect(token)
    assert intruder.refusals and SESSION_REFUSED in str(intruder.refusals[0])

    say(victim, first, "måste han ha sjukersättning?")
    victim.wait_for(lambda m: "quotes" in m)
    assert intruder.messages == [] and intruder.confirmed == []


def test_a_renewed_token_keeps_the_conversation_on_a_new_connection(stack, widget):
    grant = stack.new_session()
    first_tab = start(widget, grant)
    say(first_tab, grant, "måste han ha sjukersättning?")
    first_tab.wait_for(lambda m: "quotes" in m)
    first_tab.close()

    renewed = httpx.post(f"{stack.api_url}/api/session", json={"token": grant["token"]}, timeout=10).json()
    assert renewed["session_id"] == grant["session_id"] and renewed["expires_at"] >= grant["expires_at"]
    reloaded = start(widget, renewed)
    say(reloaded, renewed, "vad är IPS?")
    stack.wait_until_stored(grant["session_id"], "vad är IPS?")
    assert stack.user_texts(grant["session_id"]) == ["måste han ha sjukersättning?", "vad är IPS?"]
