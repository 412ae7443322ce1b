"""Two Rasa replicas sharing PostgreSQL (tracker store) and Redis (lock store), one action server:
one conversation's turns alternate or arrive at the same time at both replicas, and its stored
history stays complete, in order and without duplicates. Also: a PostgreSQL outage mid-conversation
is told to the user and loses nothing that was confirmed."""
import concurrent.futures
import time
from pathlib import Path

import httpx
import pytest

import tests.stores.replicas as replicas_module

from assistant.processes import MODEL_PATH
from assistant.session_tokens import APP_KEY_HEADER, app_channel_key
from assistant.stores.health import STORE_DISTURBED_MESSAGE
from tests.conversation import Conversation
from tests.conversation import ready as operator_ready
from tests.stores.replicas import REPLICA_ENDPOINTS, Replicas, more_replicas, start_replicas, turn_problems, user_texts
from tests.stores.services import MissingService

# A consultation with follow-up answers and guideline questions, as a handläggare would type it.
TURNS = [
    "kvinna 28 år med psykiatrikontakt som vill studera",
    "ja",
    "vad är IPS?",
    "nej",
    "vet inte",
    "vad vet du om personen?",
    "vad är Insteg?",
    "sammanfatta",
    "måste hon ha sjukersättning?",
    "varför frågar du?",
]


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    try:
        started, stop = start_replicas(tmp_path_factory.mktemp("replicas"))
    except MissingService as error:
        pytest.fail(str(error), pytrace=False)
    yield started
    stop()


def interleaved_conversation(replicas, sender: str) -> list[str]:
    """25 rounds, each sending two turns of one conversation at the same moment, one to each
    replica; returns what is wrong with the stored conversation afterwards."""
    rounds = [(TURNS[i % len(TURNS)], TURNS[(i + 3) % len(TURNS)]) for i in range(25)]
    problems = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for first, second in rounds:
            responses = list(pool.map(lambda job: replicas.post(*job), [(0, sender, first), (1, sender, second)]))
            refused = [r.status_code for r in responses if r.status_code != 200]
            if refused:
                problems.append(f"a replica answered {refused} in round {first!r} / {second!r}")
            elif not all(r.json() for r in responses):
                problems.append(f"a replica answered nothing in round {first!r} / {second!r}")
    events = replicas.events(sender)
    texts = user_texts(events)
    if len(texts) != 2 * len(rounds):
        problems.append(f"{len(texts)} of {2 * len(rounds)} user messages stored")
    misplaced = sum(sorted(texts[2 * n:2 * n + 2]) != sorted(pair) for n, pair in enumerate(rounds))
    if misplaced:
        problems.append(f"{misplaced} rounds not in their place")
    return problems + turn_problems(events)


def test_turns_alternating_between_two_replicas_form_one_conversation(replicas):
    sender = "alternating-replicas"
    sent = []
    for number, text in enumerate(TURNS):
        assert replicas.say(number % 2, sender, text), f"no reply to {text!r}"
        sent.append(text)
    events = replicas.events(sender)
    assert user_texts(events) == sent
    assert turn_problems(events) == []
    # Rasa's own view of the stored conversation, as either replica restores it.
    restored = [e.text for e in replicas.rasa_view(sender) if type(e).__name__ == "UserUttered"]
    assert restored == sent


def test_two_threads_asking_at_once_for_one_conversation_get_one_session(monkeypatch):
    """The interleaved test's first round asks for its conversation from both threads at once.
    A session issued slowly (as when a garbage collection of the test process falls between the
    check and the issue) must still be issued once, or that round's turns go to two
    conversations and the stored one has 49 of 50 messages."""
    issue = replicas_module.rasa_rest_session
    issued = []

    def slow_issue(secret: str) -> tuple[str, dict[str, str]]:
        time.sleep(0.05)
        issued.append(secret)
        return issue(secret)

    monkeypatch.setattr(replicas_module, "rasa_rest_session", slow_issue)
    stack = Replicas([], "", "", None, Path("."), "test-secret", {})
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda _: stack.session("interleaved"), range(2))
    assert first == second
    assert len(issued) == 1


def test_fifty_interleaved_turns_on_two_replicas_keep_order_without_duplicates(replicas):
    """The lock store must serialise two turns of one conversation that arrive at two replicas
    at once (AtomicRedisLockStore)."""
    assert interleaved_conversation(replicas, "interleaved-replicas") == []


def test_with_rasas_stock_redis_lock_store_interleaved_turns_corrupt_the_conversation(replicas, tmp_path_factory):
    """The same 50 turns with `type: redis` (Rasa's RedisLockStore): its get/modify/set ticket
    issue lets both replicas process the conversation at once, and turns go missing or out of
    order (measured: 43 and 48 of 50 user messages stored, 17 and 22 of 25 rounds misplaced).
    Shows the interleaved test catches the race the atomic store closes. Two Rasa replicas with
    the stock store beside the module's, on its action server, PostgreSQL and Redis."""
    workdir = tmp_path_factory.mktemp("stock-lock")
    endpoints = workdir / "endpoints.stock-lock.yml"
    endpoints.write_text(REPLICA_ENDPOINTS.read_text().replace(
        "type: assistant.stores.lock_store.AtomicRedisLockStore", "type: redis"))
    assert "type: redis\n" in endpoints.read_text()
    with more_replicas(replicas, workdir, endpoints, lock_store_db="2") as stock:
        assert interleaved_conversation(stock, "interleaved-stock-lock") != []


def test_postgres_outage_mid_conversation_is_told_and_loses_no_confirmed_turn(replicas):
    chat = Conversation(f"{replicas.api_url}/api/chat")
    sender = chat.sender

    def say(text: str) -> httpx.Response:
        return chat.post({"sender": sender, "message": text}, timeout=120)

    confirmed = []
    for text in TURNS[:2]:
        assert say(text).status_code == 200
        confirmed.append(text)
    assert httpx.get(f"{replicas.api_url}/api/ready", timeout=10).status_code == 200

    replicas.postgres.stop()
    try:
        for text in TURNS[2:5]:
            response = say(text)
            assert response.status_code == 503
            assert response.json()["detail"] == STORE_DISTURBED_MESSAGE
        ready = operator_ready(replicas.api_url, timeout=10)
        assert ready.status_code == 503 and not ready.json()["delar"]["samtalslager"]["ok"]
        # Straight to a replica, past the HTTP app: the REST channel cannot check the session in
        # the database that is down, so the turn never reaches Rasa's fail-safe (which would
        # answer from an empty conversation).
        direct = httpx.post(f"{replicas.rasa_urls[1]}/webhooks/rest/webhook",
                            json={"sender": sender, "message": "direkt till repliken under avbrottet"},
                            headers={**chat.headers, APP_KEY_HEADER: app_channel_key(replicas.secret)}, timeout=60)
        assert direct.status_code == 503
    finally:
        replicas.postgres.start()

    assert httpx.get(f"{replicas.api_url}/api/ready", timeout=10).status_code == 200
    for text in TURNS[5:7]:
        response = say(text)
        assert response.status_code == 200, response.text
        confirmed.append(text)
    events = replicas.events(sender)
    assert user_texts(events) == confirmed
    assert turn_problems(events) == []
    assert "tracker store unreachable" in (replicas.log_dir / "api.log").read_text(errors="replace")
    assert "sessions cannot be checked now" in (replicas.log_dir / "rasa-b.log").read_text(errors="replace")
