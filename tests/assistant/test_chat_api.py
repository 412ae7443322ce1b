"""POST /api/chat: bound to the Bearer session token; Swedish 4xx for bad input, a Swedish 503
when Rasa cannot be reached, and what reaches Rasa's REST channel."""
import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.deps import app_settings
from assistant.http_client import get_client, get_rasa, rasa_transport
from assistant.main import create_app
from assistant.processes import free_port
from assistant.routes.chat import NOT_YOUR_SESSION
from assistant.channels.rest import message_text
from assistant.session_tokens import APP_KEY_HEADER, MASKED_TAG_HEADER, app_channel_key, masked_text_tag
from assistant.settings import Settings
from tests.session_fixtures import TEST_SECRET, bearer


def make_client(session_store, rasa=None, **overrides):
    """The app without its lifespan (no search index needed): the HTTP client to Rasa is given here."""
    app = create_app()
    closed_port = free_port()
    settings = Settings(rasa_url=f"http://127.0.0.1:{closed_port}", rasa_timeout_seconds=2,
                        session_secret=TEST_SECRET, **overrides)
    app.dependency_overrides[app_settings] = lambda: settings
    transport = httpx.MockTransport(rasa) if rasa is not None else rasa_transport(settings.rasa_url)
    app.dependency_overrides[get_client] = lambda: httpx.AsyncClient(transport=transport)
    app.dependency_overrides[get_rasa] = lambda: transport
    return TestClient(app)


@pytest.fixture
def client(session_store):
    return make_client(session_store)


def new_session(client) -> dict:
    return client.post("/api/session").json()


def say(client, session: dict, message: str, sender: str | None = None, token: str | None = None):
    return client.post("/api/chat", json={"sender": sender or session["session_id"], "message": message},
                       headers=bearer(token or session["token"]))


def messages(response) -> list[str]:
    return [error["msg"] for error in response.json()["detail"]]


def test_an_empty_message_is_refused_in_swedish(client):
    response = say(client, new_session(client), "   ")
    assert response.status_code == 422 and messages(response) == ["Meddelandet är tomt."]


def test_a_message_over_4000_characters_is_refused_in_swedish(client):
    response = say(client, new_session(client), "x" * 5000)
    assert response.status_code == 422 and messages(response) == ["Meddelandet är för långt; högst 4000 tecken."]


def test_a_100_kb_body_is_refused_before_it_is_read(client):
    response = client.post("/api/chat", json={"sender": "abcdefgh12", "message": "x" * 100_000})
    assert response.status_code == 413 and "för stor" in response.json()["detail"]


def test_an_oversized_chunked_body_gets_the_swedish_413_not_fastapis_english_400(client):
    session = new_session(client)
    chunks = iter([b'{"sender": "' + session["session_id"].encode() + b'", "message": "', b"x" * 40_000, b"x" * 40_000, b'"}'])
    response = client.post("/api/chat", content=chunks,
                           headers={**bearer(session["token"]), "content-type": "application/json"})
    assert response.status_code == 413 and "för stor" in response.json()["detail"]


@pytest.mark.parametrize("sender", ["short", "../../etc", "a" * 65, "med mellanslag"])
def test_a_malformed_sender_id_is_refused(client, sender):
    response = say(client, new_session(client), "hej", sender=sender)
    assert response.status_code == 422 and "sender ska vara" in messages(response)[0]


def test_malformed_json_is_a_422_not_a_server_error(client):
    response = client.post("/api/chat", content=b"{not json",
                           headers={**bearer(new_session(client)["token"]), "content-type": "application/json"})
    assert response.status_code == 422


def test_rasa_unreachable_gives_a_swedish_503_that_the_conversation_is_kept(client):
    response = say(client, new_session(client), "hej 😀")
    assert response.status_code == 503
    assert response.json()["detail"] == "Assistenten kan inte nås just nu. Försök igen om en stund; samtalet finns kvar."


def test_a_turn_rasa_could_not_store_gives_the_swedish_store_notice(session_store):
    from assistant.stores.health import STORE_DISTURBED_ERROR, STORE_DISTURBED_MESSAGE

    client = make_client(session_store, rasa=lambda request: httpx.Response(503, json={"error": STORE_DISTURBED_ERROR}))
    response = say(client, new_session(client), "hej")
    assert response.status_code == 503 and response.json()["detail"] == STORE_DISTURBED_MESSAGE


@pytest.mark.parametrize("reply", [httpx.Response(503, json={"error": "något annat"}), httpx.Response(503, text="<html>"),
                                   httpx.Response(503, json=["inte ett objekt"])])
def test_any_other_503_from_rasa_says_the_assistant_cannot_be_reached(session_store, reply):
    client = make_client(session_store, rasa=lambda request: reply)
    response = say(client, new_session(client), "hej")
    assert response.status_code == 503 and "Assistenten kan inte nås" in response.json()["detail"]


def test_rasas_replies_reach_the_client_as_rasa_wrote_them(session_store):
    body = '[{"recipient_id":"x","text":"Troligast: socialt inriktad sysselsättning","custom":{"interventions":[]}}]'.encode()
    client = make_client(session_store, rasa=lambda request: httpx.Response(200, content=body,
                                                                            headers={"content-type": "application/json"}))
    response = say(client, new_session(client), "hej")
    assert response.status_code == 200 and response.content == body
    assert response.headers["content-type"] == "application/json"


def test_a_removed_identifier_is_told_before_rasas_replies(session_store):
    client = make_client(session_store, rasa=lambda request: httpx.Response(200, json=[{"recipient_id": "x", "text": "svar"}]))
    response = say(client, new_session(client), "Hon har personnummer 19850312-2383 och vill träffa folk")
    texts = [reply["text"] for reply in response.json()]
    assert response.status_code == 200 and len(texts) == 2
    assert texts[0].startswith("Jag har tagit bort") and "19850312" not in texts[0] and texts[1] == "svar"


def test_a_reply_that_is_no_json_list_is_not_passed_on(session_store):
    client = make_client(session_store, rasa=lambda request: httpx.Response(200, text="<html>fel</html>"))
    response = say(client, new_session(client), "hej")
    assert response.status_code == 503 and "Assistenten kan inte nås" in response.json()["detail"]


def test_a_message_of_only_control_characters_is_empty(client):
    response = say(client, new_session(client), "\x00\x07\u202e \x1b")
    assert response.status_code == 422 and messages(response) == ["Meddelandet är tomt."]


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer inget-token", "Basic dXNlcjpwYXNz"])
def test_a_turn_without_a_valid_session_token_is_a_401(client, authorization):
    session = new_session(client)
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.post("/api/chat", json={"sender": session["session_id"], "message": "hej"}, headers=headers)
    assert response.status_code == 401 and "Sessionen är ogiltig" in response.json()["detail"]


def test_a_second_session_cannot_write_into_or_restart_another_conversation(session_store):
    seen = []

    def rasa(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"recipient_id": "x", "text": "svar"}])

    client = make_client(session_store, rasa=rasa)
    victim, intruder = new_session(client), new_session(client)
    for message in ("sammanfatta", "/restart", "vad vet du om personen?"):
        refused = say(client, victim, message, token=intruder["token"])
        assert refused.status_code == 403 and refused.json()["detail"] == NOT_YOUR_SESSION
    assert seen == [], "nothing of the intruder's reached Rasa"
    assert say(client, victim, "hej").status_code == 200
    assert len(seen) == 1


def test_rasa_gets_the_tokens_own_session_with_the_app_key_the_token_and_the_tag_of_the_masked_text(session_store):
    seen = []

    def rasa(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    client = make_client(session_store, rasa=rasa)
    session = new_session(client)
    say(client, session, "Hon heter Anna Svensson och har tel 070-123 45 67.")
    request = seen[0]
    assert request.url.path == "/webhooks/rest/webhook"
    assert request.headers["authorization"] == f"Bearer {session['token']}"
    assert request.headers[APP_KEY_HEADER] == app_channel_key(TEST_SECRET)
    body = httpx.Response(200, content=request.content).json()
    assert body["sender"] == session["session_id"]
    assert "070-123 45 67" not in body["message"] and "Svensson" not in body["message"]
    # Rasa's REST channel takes the text the app tagged as it was sent, without masking it again.
    assert request.headers[MASKED_TAG_HEADER] == masked_text_tag(body["message"], TEST_SECRET)
    assert message_text(body["message"], request.headers[MASKED_TAG_HEADER], TEST_SECRET) == body["message"]


def test_rasas_channel_masks_a_text_the_app_has_not_tagged():
    typed = "Hon har tel 070-123 45 67."
    for tag in (None, "", masked_text_tag("Hon har tel [telefonnummer].", TEST_SECRET), masked_text_tag(typed, "another-" + TEST_SECRET)):
        assert "070-123 45 67" not in message_text(typed, tag, TEST_SECRET)
    with pytest.raises(ValueError):
        message_text("   ", masked_text_tag("   ", TEST_SECRET), "another-" + TEST_SECRET)
    # With the tag of exactly this text the channel takes the app's word: it does not mask again.
    assert message_text(typed, masked_text_tag(typed, TEST_SECRET), TEST_SECRET) == typed


def test_a_renewed_or_erased_session_refuses_its_old_token(session_store):
    from assistant.sessions import sessions_from

    client = make_client(session_store, rasa=lambda request: httpx.Response(200, json=[]))
    first = new_session(client)
    renewed = client.post("/api/session", json={"token": first["token"]}).json()
    assert say(client, first, "hej", token=first["token"]).status_code == 401
    assert say(client, renewed, "hej").status_code == 200
    settings = client.app.dependency_overrides[app_settings]()
    sessions_from(settings).revoke(renewed["session_id"])
    assert say(client, renewed, "hej").status_code == 401


def test_one_session_is_limited_whatever_address_its_turns_come_from(session_store):
    client = make_client(session_store, rasa=lambda request: httpx.Response(200, json=[]),
                         chat_turns_per_minute=6, chat_turns_burst=2, rate_limit_per_minute=0)
    busy, other = new_session(client), new_session(client)
    assert [say(client, busy, f"fråga {i}").status_code for i in range(3)] == [200, 200, 429]
    assert say(client, other, "hej").status_code == 200, "another session has its own budget"
