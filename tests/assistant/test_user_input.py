"""The one way in every channel shares: checked, a stray "/" removed, identifiers masked, and a
notice that names the kinds removed without repeating them."""
import pytest

from assistant.user_input import IDENTIFIER_ADVICE, WarnedSenders, identifier_notice, incoming


@pytest.mark.parametrize("payload", ["/affirm", "/dont_know", '/inform{"svar": "studier"}', '/inform_role{"roll": "handlaggare"}',
                                     '/inform{"svar": 0}'])
def test_the_assistants_own_button_payloads_reach_rasa_unchanged(payload):
    assert incoming(payload).text == payload


@pytest.mark.parametrize("typed, expected", [
    ("/hjälp, jag heter Nuurto Gaas", "hjälp, jag heter [namn]"),
    ("/affirm och lite till", "affirm och lite till"),
    ('/inform{"okänd": "x"}', 'inform{"okänd": "x"}'),
    ('/inform{"svar": "' + "x" * 80 + '"}', 'inform{"svar": "' + "x" * 80 + '"}'),
    ("/session_start", "session_start"),
    ("// vad gäller", "vad gäller"),
])
def test_a_message_starting_with_a_slash_that_is_no_button_is_read_as_text(typed, expected):
    assert incoming(typed).text == expected


def test_a_message_of_slashes_only_is_refused_as_empty():
    with pytest.raises(ValueError, match="tomt"):
        incoming("///")


def test_identifiers_in_a_payload_are_masked_too():
    assert incoming('/inform{"svar": "Nuurto Gaas"}').text == '/inform{"svar": "[namn]"}'


def test_the_notice_names_the_kinds_and_never_the_identifiers():
    message = incoming("Hon heter Nuurto Gaas, tel 070-123 45 67, bor på Hästhagsvägen 3")
    notice = identifier_notice(message.kinds)
    assert notice.startswith("Jag har tagit bort namn, telefonnummer och adress ur ditt meddelande")
    assert IDENTIFIER_ADVICE in notice
    for part in ("Nuurto", "Gaas", "070", "Hästhagsvägen"):
        assert part not in notice


def test_each_kind_is_told_about_once_per_conversation():
    warned = WarnedSenders()
    assert warned.notice_for("a", frozenset({"personnummer"})) == identifier_notice({"personnummer"})
    assert warned.notice_for("a", frozenset({"personnummer"})) is None
    assert warned.notice_for("a", frozenset({"personnummer", "namn"})) == identifier_notice({"namn"})
    assert warned.notice_for("b", frozenset({"personnummer"})) is not None, "another conversation is told too"
    assert warned.notice_for("a", frozenset()) is None


def test_the_oldest_conversations_are_forgotten_beyond_the_capacity():
    warned = WarnedSenders(capacity=2)
    for sender in ("a", "b", "c"):
        warned.notice_for(sender, frozenset({"namn"}))
    assert warned.notice_for("a", frozenset({"namn"})) is not None
    assert warned.notice_for("c", frozenset({"namn"})) is None


def test_every_channel_takes_messages_in_through_incoming_and_none_masks_on_its_own():
    """One masking for every way in: the channels call `incoming`; only feedback (questions and
    answers, no Rasa turn) and the log formatter call `mask` themselves."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "assistant"
    maskers = set()
    for path in root.rglob("*.py"):
        if path.parent.name == "personal_data":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("assistant.personal_data"):
                maskers.add(path.relative_to(root).as_posix())
    assert maskers == {"user_input.py", "feedback.py", "logs.py"}
    for channel in ("routes/chat.py", "channels/socketio.py", "channels/botframework.py"):
        assert "incoming(" in (root / channel).read_text(encoding="utf-8"), channel
