"""Whatever arrives at /api/chat — broken JSON, nothing, 100 KB, control characters, emoji,
other languages — gets a sensible reply or a clear 4xx from the real stack, never a 500."""
import httpx
import pytest

ODD_BUT_VALID = [
    "hej\x00\x07\x1b[31m där",  # NUL, bell and an ANSI escape
    "\u202ehej\u202c och \ufeffzero\u200bwidth",  # bidi override, BOM, zero-width space
    "👩‍💼🧑‍🦽 vill jobba 💪🏽",
    "She is 28 and wants to work, what support is there?",
    "هي تبلغ من العمر ٢٨ عامًا وتريد العمل",
    "Hän on 28-vuotias ja haluaa tehdä töitä",
    "Она хочет работать",
    "😀" * 900,  # under the 4000-character limit, 3.6 kB of UTF-8
    "a" * 4000,
    "1" * 40,
    "/restart",
    '/inform{"alder": "abc"}',
    "{{slot}} ${ACTION_ENDPOINT_URL} %s %(x)s",
]


def post(chat, headers: dict[str, str] | None = None, **kwargs) -> httpx.Response:
    """With the session's valid token, so each refusal is about the body, not a missing token."""
    return httpx.post(chat.url, headers={**chat.headers, **(headers or {})}, timeout=60, **kwargs)


@pytest.mark.parametrize("message", ODD_BUT_VALID, ids=range(len(ODD_BUT_VALID)))
def test_odd_messages_get_a_reply(chat, message):
    replies = chat.say(message)
    assert replies and all(m.get("text") or m.get("custom") for m in replies)


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"[]", "application/json"),
        (b'{"sender": "abcdefgh12"}', "application/json"),
        (b'{"sender": "abcdefgh12", "message": null}', "application/json"),
        (b'{"sender": "abcdefgh12", "message": ""}', "application/json"),
        (b'{"sender": "abcdefgh12", "message": "\\u0000\\u0000 "}', "application/json"),
        (b'{"sender": "abcdefgh12", "message": "' + b"x" * 100_000 + b'"}', "application/json"),
        (b'{"sender": "abcdefgh12", "message": "\xff\xfe"}', "application/json"),
        (b"sender=abcdefgh12&message=hej", "application/x-www-form-urlencoded"),
    ],
    ids=["malformed", "empty", "array", "no-message", "null", "blank", "only-nul", "100kb", "not-utf8", "form"],
)
def test_bad_bodies_are_a_clear_4xx(chat, body, content_type):
    response = post(chat, content=body, headers={"content-type": content_type})
    assert 400 <= response.status_code < 500, response.text[:300]
    assert response.json()["detail"]


def test_the_100_kb_refusal_is_in_swedish(chat):
    response = post(chat, json={"sender": "abcdefgh12", "message": "x" * 100_000})
    assert response.status_code == 413
    assert response.json()["detail"] == "Förfrågan är för stor; högst 64 kB tas emot."


def test_a_message_just_over_the_length_limit_is_refused_in_swedish(chat):
    response = post(chat, json={"sender": "abcdefgh12", "message": "x" * 4001})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Meddelandet är för långt; högst 4000 tecken."
