"""Two Rasa replicas sharing PostgreSQL (tracker store) and Redis (lock store), one action server:
one conversation's turns alternate or arrive at the same time at both replicas, and its stored
history stays complete, in order and without duplicates. Also: a PostgreSQL outage mid-conversation
is told to the user and loses nothing that was confirmed."""
import concurrent.futures
import json

import httpx
import pytest

from assistant.processes import MODEL_PATH
from assistant.stores.health import STORE_DISTURBED_MESSAGE
from tests.stores.replicas import start_replicas
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


def user_texts(events: list[dict]) -> list[str]:
    return [e["text"] for e in events if e["type"] == "user"]


def assert_each_turn_complete_and_unique(events: list[dict]) -> None:
    """Every user message is followed by its own processing (an action and at least one bot
    message) that ends listening, before the next user message; no row is stored twice;
    timestamps never go backwards."""
    rows = [json.dumps(e, sort_keys=True) for e in events]
    assert len(rows) == len(set(rows)), "an event is stored twice"
    timestamps = [e["timestamp"] for e in events]
    assert timestamps == sorted(timestamps), "events are out of order"
    starts = [i for i, e in enumerate(events) if e["type"] == "user"]
    for start, end in zip(starts, starts[1:] + [len(events)]):
        turn = events[start + 1:end]
        kinds = [e["type"] for e in turn]
        assert "bot" in kinds, f"no reply stored for {events[start]['text']!r}"
        assert turn[-1]["type"] == "action" and turn[-1]["name"] == "action_listen", (
            f"turn {events[start]['text']!r} did not finish before the next one"
        )


def test_turns_alternating_between_two_replicas_form_one_conversation(replicas):
    sender = "alternating-replicas"
    sent = []
    for number, text in enumerate(TURNS):
        assert replicas.say(number % 2, sender, text), f"no reply to {text!r}"
        sent.append(text)
    events = replicas.events(sender)
    assert user_texts(events) == sent
    assert_each_turn_complete_and_unique(events)
    # Rasa's own view of the stored conversation, as either replica restores it.
    restored = [e.text for e in replicas.rasa_view(sender) if type(e).__name__ == "UserUttered"]
    assert restored == sent


def test_fifty_interleaved_turns_on_two_replicas_keep_order_without_duplicates(replicas):
    """Each round sends two turns of the same conversation at the same moment, one to each
    replica; the lock store must serialise them. With Rasa's stock RedisLockStore the two can
    get the same ticket and be processed at once (see test_lock_store for the race itself)."""
    sender = "interleaved-replicas"
    rounds = [(TURNS[i % len(TURNS)], TURNS[(i + 3) % len(TURNS)]) for i in range(25)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for first, second in rounds:
            replies = list(pool.map(lambda job: replicas.say(*job), [(0, sender, first), (1, sender, second)]))
            assert all(replies), f"a replica answered nothing in round {first!r} / {second!r}"
    events = replicas.events(sender)
    texts = user_texts(events)
    assert len(texts) == 50
    for number, (first, second) in enumerate(rounds):
        assert sorted(texts[2 * number:2 * number + 2]) == sorted([first, second]), f"round {number}"
    assert_each_turn_complete_and_unique(events)


def test_postgres_outage_mid_conversation_is_told_and_loses_no_confirmed_turn(replicas):
    sender = "outage-conversation-1"
    chat = f"{replicas.api_url}/api/chat"

    def say(text: str) -> httpx.Response:
        return httpx.post(chat, json={"sender": sender, "message": text}, timeout=120)

    confirmed = []
    for text in TURNS[:2]:
        assert say(text).status_code == 200
        confirmed.append(text)
    assert httpx.get(f"{replicas.api_url}/api/health", timeout=10).status_code == 200

    replicas.postgres.stop()
    try:
        for text in TURNS[2:5]:
            response = say(text)
            assert response.status_code == 503
            assert response.json()["detail"] == STORE_DISTURBED_MESSAGE
    finally:
        replicas.postgres.start()

    for text in TURNS[5:7]:
        response = say(text)
        assert response.status_code == 200, response.text
        confirmed.append(text)
    events = replicas.events(sender)
    assert user_texts(events) == confirmed
    assert_each_turn_complete_and_unique(events)
    logs = "\n".join(p.read_text(errors="replace") for p in replicas.log_dir.glob("*.log"))
    assert "tracker store unreachable" in logs
