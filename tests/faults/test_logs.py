"""Every line every process logs is a JSON object, at INFO or above, with no identifier in it.

The stack was started with LOG_LEVEL=DEBUG in its environment (conftest), so this also proves
that the environment cannot switch on DEBUG output, which in Rasa contains whole trackers."""
import json
import logging

from assistant.logs import JsonFormatter

PNR = "19850101-1236"
PHONE = "070-123 45 67"
EMAIL = "anna.test@example.se"


def test_a_conversation_with_identifiers_leaves_json_logs_without_them(stack, chat):
    chat.say(f"Hon har pnr {PNR}, tel {PHONE} och mejl {EMAIL}. Hon är 28 och vill jobba.")
    chat.say(f"ja, ring {PHONE} eller {PNR.replace('-', '')}")
    chat.say(f"vad säger riktlinjerna om {EMAIL}?")

    logs = stack.logs()
    assert set(logs) == {"actions.log", "rasa.log", "api.log"}
    for name, text in logs.items():
        for number, line in enumerate(text.splitlines(), 1):
            entry = json.loads(line)  # fails with the line if it is not JSON
            assert {"ts", "level", "logger", "message"} <= set(entry), f"{name}:{number}"
            assert entry["level"] != "DEBUG", f"{name}:{number} {line[:200]}"
        for identifier in (PNR, PNR.replace("-", ""), "123 45 67", EMAIL):
            assert identifier not in text, f"{identifier} in {name}"


def test_the_formatter_masks_identifiers_a_library_logs():
    record = logging.LogRecord("lib", logging.ERROR, __file__, 1, "body: %s", (f"pnr {PNR} mejl {EMAIL}",), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "body: pnr [personnummer] mejl [e-post]"
