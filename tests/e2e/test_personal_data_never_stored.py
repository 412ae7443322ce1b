"""Identifiers typed into the chat never reach the tracker store, the logs or the replies."""
import json
import re
import sqlite3
import time


from assistant.personal_data import PLACEHOLDERS
from assistant.personal_data.names import corpus_words
from assistant.user_input import IDENTIFIER_ADVICE
from benchmarks.masking import load, parse
from tests.assistant.test_personal_data import PNR

PHONE = "070-123 45 67"
EMAIL = "anna.test@example.se"


def stored_and_logged(servers) -> tuple[str, str]:
    with sqlite3.connect(servers.tracker_db) as db:
        stored = "\n".join(row[0] for row in db.execute("select data from events"))
    logs = "\n".join(p.read_text(errors="replace") for p in servers.log_dir.glob("*.log"))
    return stored, logs


def test_identifiers_are_masked_before_rasa_stores_the_conversation(servers, chat):
    replies = chat.say(f"Hon har pnr {PNR[:6]}-{PNR[6:]}, tel {PHONE}, mejl {EMAIL}. Hon är 28 och vill jobba.")
    assert IDENTIFIER_ADVICE in replies[0]["text"]
    second = chat.say(f"ring {PHONE}")
    assert all(IDENTIFIER_ADVICE not in m.get("text", "") for m in second), "the notice comes once"

    stored, logs = stored_and_logged(servers)
    for identifier in (PNR, f"{PNR[:6]}-{PNR[6:]}", "123 45 67", EMAIL):
        assert identifier not in stored
        assert identifier not in logs
    assert "[personnummer]" in stored and "[telefon]" in stored and "[e-post]" in stored


def say_within_the_rate_limit(chat, message: str) -> list[dict]:
    """One turn through /api/chat, waiting as told when the app's rate limit (120 a minute, burst
    30) answers 429: fifty turns in a row are more than a handläggare types."""
    for _ in range(10):
        response = chat.post({"sender": chat.sender, "message": message})
        if response.status_code != 429:
            response.raise_for_status()
            return response.json()
        time.sleep(float(response.headers.get("Retry-After", "1")))
    raise AssertionError("still rate limited after ten waits")


def _traces(identifier: str, ordinary: set[str]) -> list[re.Pattern]:
    """What of an identifier must not be found anywhere: the identifier as typed, its digits run
    together (6 or more: shorter runs occur in any tracker's timestamps), and each of its words of
    three letters or more that is no ordinary word of the domain."""
    traces = [re.escape(identifier)]
    digits = re.sub(r"\D", "", identifier)
    if len(digits) >= 6:
        traces.append(rf"(?<!\d){digits}(?!\d)")
    traces += [rf"(?<!\w){re.escape(w)}(?!\w)" for w in re.findall(r"[^\W\d_]{3,}", identifier) if w.lower() not in ordinary]
    return [re.compile(t, re.IGNORECASE) for t in traces]


def test_the_held_out_personal_data_messages_leave_no_identifier_in_store_logs_or_replies(servers, chat):
    # The handwritten held-out sentences (tests/data/masking): never tuned on, one conversation.
    examples = [e for e in load("heldout") if e.source.startswith("handwritten") and e.identifiers]
    assert len(examples) >= 40
    replies = []
    for example in examples:
        replies += [m.get("text", "") for m in say_within_the_rate_limit(chat, example.text)]

    stored, logs = stored_and_logged(servers)
    shown = "\n".join(replies)
    # Words that are the domain's own (an ort such as Spånga is also a stadsdel the documents name).
    ordinary = {w.lower() for e in load("heldout") if not e.identifiers for w in re.findall(r"[^\W_]+", e.text)}
    ordinary |= corpus_words() | {"lgh", "lma", "nr"}
    for example in examples:
        for start, end, kind in example.identifiers:
            for trace in _traces(example.text[start:end], ordinary):
                for place, text in (("tracker store", stored), ("logs", logs), ("replies", shown)):
                    assert not trace.search(text), f"{trace.pattern} of a {kind} in the {place} ({example.source})"


# One message for each kind of identifier, marked up as tests/data/masking is; invented values.
EVERY_KIND = [
    "Klienten heter [[namn:Hodan Warsame-Lindqvist]] och är 34",
    "pnr [[personnummer:19760514-2396]], hon vill jobba",
    "samordningsnummer [[samordningsnummer:760574-2391]]",
    "ring [[telefon:+46 70 555 12 12]] efter lunch",
    "mejl [[epost:hodan.w@example.se]]",
    "bor på [[adress:Hjulstavägen 3 nb, 163 45 Tensta]]",
    "född [[fodelsedatum:14 maj 1976]]",
    "ärendenr [[dnr:2025-004512]]",
    "LMA-kort [[lma:23-456789]]",
    "clearing [[konto:8327-9]], konto [[konto:914 123 456-7]]",
]


def test_every_kind_of_identifier_sent_through_the_chat_leaves_no_trace(servers, chat):
    examples = [parse(line, f"EVERY_KIND[{n}]") for n, line in enumerate(EVERY_KIND)]
    assert {kind for e in examples for _, _, kind in e.identifiers} == set(PLACEHOLDERS), "a kind without a message"
    for example in examples:
        say_within_the_rate_limit(chat, example.text)

    stored, logs = stored_and_logged(servers)
    ordinary = corpus_words() | {"lgh", "lma", "nr", "nb", "tensta"}  # Tensta: the stadsdel, also an ort
    for example in examples:
        for start, end, kind in example.identifiers:
            # The events are JSON: "[födelsedatum]" is stored as "[f\\u00f6delsedatum]".
            assert json.dumps(PLACEHOLDERS[kind])[1:-1] in stored, f"{kind} was not masked as such"
            for trace in _traces(example.text[start:end], ordinary):
                for place, text in (("tracker store", stored), ("logs", logs)):
                    assert not trace.search(text), f"{trace.pattern} of a {kind} in the {place}"
