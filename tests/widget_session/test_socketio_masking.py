"""Identifiers typed into the widget never reach Rasa: not the tracker store, not the logs, not
the action server. The channel masks them before the UserMessage exists."""
from assistant.user_input import identifier_notice
from tests.assistant.test_personal_data import PNR
from tests.widget_session.test_socketio_session_binding import say, start

PHONE = "070-123 45 67"
EMAIL = "anna.test@example.se"
NAME = "Nuurto Gaas"
ADDRESS = "Hästhagsvägen 3, 165 62 Hässelby"
IDENTIFIERS = (PNR, f"{PNR[:6]}-{PNR[6:]}", "123 45 67", EMAIL, "Nuurto", "Gaas", "Hästhagsvägen", "165 62")


def test_identifiers_sent_over_socketio_are_masked_everywhere_rasa_keeps_or_sends_them(stack, widget):
    grant = stack.new_session()
    client = start(widget, grant)
    client.emit("user_uttered", {
        "message": f"Hon heter {NAME}, bor på {ADDRESS}, pnr {PNR[:6]}-{PNR[6:]}, tel {PHONE}, mejl {EMAIL}. "
                   "Hon är 28 och vill jobba.",
        "session_id": grant["session_id"],
        "token": grant["token"],
        # Rasa's channel would store client metadata with the event, unmasked.
        "metadata": {"anteckning": EMAIL},
    })
    client.wait_for(lambda m: m.get("quick_replies"))  # the consultation's first follow-up question
    first_turn = len(client.messages)
    say(client, grant, f"ring {PHONE}")
    client.wait_for(lambda m: True, start=first_turn)
    stack.wait_until_stored(grant["session_id"], "ring [telefon]")
    clean_turn = len(client.messages)
    say(client, grant, "vet inte")
    client.wait_for(lambda m: True, start=clean_turn)

    notice = identifier_notice({"namn", "adress", "personnummer", "telefon", "epost"})
    assert client.texts()[0] == notice
    # The widget is given the masked text of each message that held identifiers, and nothing else.
    assert [m["text"] for m in client.masked] == [
        "Hon heter [namn], bor på [adress], pnr [personnummer], tel [telefon], mejl [e-post]. "
        "Hon är 28 och vill jobba.",
        "ring [telefon]",
    ]
    assert client.texts().count(notice) == 1, "the notice comes once per session"
    stored, logs, actions = stack.stored_events(grant["session_id"]), stack.logs(), stack.actions.received()
    for identifier in IDENTIFIERS:
        assert identifier not in stored
        assert identifier not in logs
        assert identifier not in actions
    for placeholder in ("[namn]", "[adress]", "[personnummer]", "[telefon]", "[e-post]"):
        assert placeholder in stored and placeholder in actions
