"""Identifiers typed into the chat never reach the tracker store or the logs."""
import sqlite3

from tests.assistant.test_personal_data import PNR

PHONE = "070-123 45 67"
EMAIL = "anna.test@example.se"


def test_identifiers_are_masked_before_rasa_stores_the_conversation(servers, chat):
    replies = chat.say(f"Hon har pnr {PNR[:6]}-{PNR[6:]}, tel {PHONE}, mejl {EMAIL}. Hon är 28 och vill jobba.")
    assert "Skriv inga identifierande uppgifter" in replies[0]["text"]
    second = chat.say(f"ring {PHONE}")
    assert all("Skriv inga identifierande" not in m.get("text", "") for m in second), "the notice comes once"

    with sqlite3.connect(servers.tracker_db) as db:
        stored = "\n".join(row[0] for row in db.execute("select data from events"))
    logs = "\n".join(p.read_text(errors="replace") for p in servers.log_dir.glob("*.log"))
    for identifier in (PNR, f"{PNR[:6]}-{PNR[6:]}", "123 45 67", EMAIL):
        assert identifier not in stored
        assert identifier not in logs
    assert "[personnummer]" in stored and "[telefonnummer]" in stored and "[e-post]" in stored
