"""Every line every process logs is a JSON object, at INFO or above, with no identifier in it, and
nothing of a message that Rasa would quote in a warning.

The stack was started with LOG_LEVEL=DEBUG in its environment (conftest), so this also proves
that the environment cannot switch on DEBUG output, which in Rasa contains whole trackers."""
import json
import logging

from assistant.logs import REMOVED, JsonFormatter

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


def test_a_message_starting_with_a_slash_leaves_nothing_of_it_in_the_logs(stack, chat):
    # Rasa would read "/..." as an intent and warn with the whole message (issue 15).
    chat.say("/hjälp oklart ärende om Nuurto Gaas och hennes ekonomi")
    chat.say('/greet{"namn": "Qwerty"} igen')
    for name, text in stack.logs().items():
        for fragment in ("oklart ärende", "Nuurto", "Gaas", "ekonomi", "Qwerty", "igen"):
            assert fragment not in text, f"{fragment} in {name}"


def test_rasas_structured_events_lose_the_user_text_they_carry():
    event = '{"user_text": "/ok Nuurto har skuld", "event": "message.parsing.failed", "log_level": "warning"}'
    record = logging.LogRecord("rasa.shared", logging.WARNING, __file__, 1, event, (), None)
    message = json.loads(json.loads(JsonFormatter().format(record))["message"])
    assert message == {"user_text": REMOVED, "event": "message.parsing.failed", "log_level": "warning"}


def test_rasas_warning_quoting_a_message_loses_the_quote():
    warning = ("yaml_story_reader.py:650: UserWarning: Failed to parse arguments in line '/greet har skulder'. "
               "Failed to interpret some parts. Continuing without  har skulder. ")
    record = logging.LogRecord("py.warnings", logging.WARNING, __file__, 1, "%s", (warning,), None)
    message = json.loads(JsonFormatter().format(record))["message"]
    assert "skulder" not in message and message.count(REMOVED) == 2


def test_a_library_warning_keeps_its_class_names_while_names_and_numbers_go():
    warning = "'BaseCommand' is deprecated and will be removed in Click 9.0; body: heter Anna Svensson, pnr 19850101-1236"
    record = logging.LogRecord("py.warnings", logging.WARNING, __file__, 1, "%s", (warning,), None)
    message = json.loads(JsonFormatter().format(record))["message"]
    assert message == "'BaseCommand' is deprecated and will be removed in Click 9.0; body: heter [namn], pnr [personnummer]"


def test_the_formatter_masks_identifiers_a_library_logs():
    record = logging.LogRecord("lib", logging.ERROR, __file__, 1, "body: %s", (f"pnr {PNR} mejl {EMAIL}",), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "body: pnr [personnummer] mejl [e-post]"


def test_a_line_logged_again_is_masked_as_the_first_time_short_or_long():
    short = f"pnr {PNR} mejl {EMAIL}"
    long = short + " " + "x" * 600  # past the kept length: masked every time
    for text, expected in ((short, "pnr [personnummer] mejl [e-post]"), (long, "pnr [personnummer] mejl [e-post] " + "x" * 600)):
        record = logging.LogRecord("lib", logging.INFO, __file__, 1, "%s", (text,), None)
        first, again = (json.loads(JsonFormatter().format(record))["message"] for _ in range(2))
        assert first == again == expected
