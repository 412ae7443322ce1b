"""50 consultations through the load balancer while the cluster loses a Rasa replica, and while
every replica is restarted in turn: nothing is lost or stored twice, every consultation ends with
the recommendation its persona should get (the conversation went on where it was), and every
stored conversation is one session whose turns are complete and in order. The figures go to
test-artifacts/balanced-replicas.json and docs/benchmarks.md."""
import json
import threading
import time

import httpx
import pytest

from assistant.processes import MODEL_PATH, ROOT
from tests.deploy.cluster import start_cluster
from tests.deploy.consultations import PERSONAS, figures, run_consultations
from tests.stores.replicas import stored_events, turn_problems, user_texts
from tests.stores.services import MissingService
from tests.widget_session.widget_client import WidgetClient

# Starting the cluster, five replacements of replicas and the teardown take longer than the
# suite's 600 s per test on this busy 2-core machine (measured: 17.5 min for the module).
pytestmark = pytest.mark.timeout(1800)

CONSULTATIONS = 50
THINK_SECONDS = (1.0, 4.0)  # between the bot's answer and the handläggare's next message
ARTIFACT = ROOT / "test-artifacts" / "balanced-replicas.json"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}; `make test` trains it first.")
    try:
        started = start_cluster(tmp_path_factory.mktemp("cluster"))
    except (MissingService, FileNotFoundError) as error:
        pytest.fail(str(error), pytrace=False)
    yield started
    started.stop()


def under_load(cluster, spread_seconds: float, disruption) -> tuple[list, list[tuple[str, float, float]]]:
    """Runs the consultations and, once they are under way, `disruption(step)`; `step(name, fn)`
    times each part. Returns the consultations and (step, start, end) times."""
    results, steps = [], []

    def load():
        results.extend(run_consultations(cluster.web_url, CONSULTATIONS, spread_seconds, THINK_SECONDS))

    def step(name, action):
        began = time.monotonic()
        action()
        steps.append((name, began, time.monotonic()))

    runner = threading.Thread(target=load)
    runner.start()
    time.sleep(min(10.0, spread_seconds / 3))
    try:
        disruption(step)
    finally:
        runner.join()
    return results, steps


def problems(cluster, records) -> list[str]:
    found = []
    for record in records:
        persona = PERSONAS[record.persona]
        where = f"{record.persona} {record.sender}"
        if record.failure:
            found.append(f"{where}: {record.failure}")
            continue
        facts = record.payload["facts"]
        if record.payload["recommendation"]["primary"] != persona["expect_primary"]:
            found.append(f"{where}: recommended {record.payload['recommendation']['primary']}")
        wrong = {f: facts.get(f) for f, v in persona["expect_facts"].items() if facts.get(f) != v}
        if wrong:
            found.append(f"{where}: facts {wrong}")
        events = stored_events(cluster.database_url, record.sender)
        if user_texts(events) != record.sent:
            found.append(f"{where}: stored {len(user_texts(events))} user messages, sent {len(record.sent)}")
        found += [f"{where}: {p}" for p in turn_problems(events)]
        sessions = sum(e["type"] == "session_started" for e in events)
        if sessions != 1:
            found.append(f"{where}: {sessions} sessions stored")
    return found


def overlap(records, steps) -> dict[str, int]:
    """How many consultations were under way during each step."""
    return {name: sum(r.started < end and r.ended > start for r in records) for name, start, end in steps}


def record_figures(name: str, records, steps, cluster) -> dict:
    result = {**figures(records), "steps": {n: round(e - s) for n, s, e in steps},
              "active_during": overlap(records, steps), "log": list(cluster.log)}
    ARTIFACT.parent.mkdir(exist_ok=True)
    saved = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
    saved[name] = result
    ARTIFACT.write_text(json.dumps(saved, indent=2, ensure_ascii=False))
    print(f"\n{name}: {json.dumps(result, ensure_ascii=False)}")
    return result


def test_a_widget_websocket_through_the_balancer_gets_its_replies(cluster):
    grant = httpx.post(f"{cluster.web_url}/api/session", timeout=30).json()
    client = WidgetClient(cluster.web_url)
    try:
        client.connect(grant["token"])
        client.emit("session_request", {"session_id": grant["session_id"], "token": grant["token"]})
        client.wait_for(lambda confirmed: confirmed == grant["session_id"], inbox=client.confirmed, timeout=30)
        for text in ("hej", "vad är IPS?"):
            before = len(client.messages)
            client.emit("user_uttered", {"message": text, "session_id": grant["session_id"], "token": grant["token"]})
            client.wait_for(lambda m: bool(m.get("text")), start=before, timeout=60)
    finally:
        client.close()
    # Both turns went over the one websocket and its relay to Rasa, and were stored once, in order.
    # Rasa stores a turn after its replies went out, so the last one may not be there yet.
    deadline = time.monotonic() + 30
    while len(stored := user_texts(stored_events(cluster.database_url, grant["session_id"]))) < 2:
        assert time.monotonic() < deadline, f"stored after 30 s: {stored}"
        time.sleep(0.2)
    assert stored == ["hej", "vad är IPS?"]


def test_fifty_consultations_lose_nothing_when_a_rasa_replica_is_killed(cluster):
    records, steps = under_load(cluster, 30.0, lambda step: step(
        "kill rasa-a and restart it", lambda: cluster.crash_and_restart("rasa", "a")))
    result = record_figures("kill", records, steps, cluster)
    found = problems(cluster, records)
    assert not found, "\n".join(found)
    assert result["active_during"]["kill rasa-a and restart it"] >= 10


def test_fifty_consultations_lose_nothing_during_a_rolling_restart_of_every_replica(cluster):
    """Every replica in turn, as `kubectl rollout restart` does: the replacement is started and
    loaded first; then 10 consultations begin, and while they run the replacement takes over and
    the old process is stopped. Each switch happens with consultations under way on both sides.
    The next replica's replacement loads meanwhile, as when the Deployments restart together; the
    order alternates the Deployments, so each still has one new pod at a time (maxSurge 1)."""
    order = [("actions", "a"), ("rasa", "a"), ("web", "a"), ("rasa", "b"), ("web", "b")]
    assert all(this[0] != following[0] for this, following in zip(order, order[1:]))
    per_switch = CONSULTATIONS // len(order)
    records, steps, batches = [], [], []

    def batch():
        records.extend(run_consultations(cluster.web_url, per_switch, 8.0, THINK_SECONDS, seed=len(batches)))

    upcoming = cluster.begin_replacement(*order[0])
    for index, (backend, replica) in enumerate(order):
        replacement = cluster.wait_ready(upcoming)
        batches.append(threading.Thread(target=batch))
        batches[-1].start()
        if index + 1 < len(order):
            upcoming = cluster.begin_replacement(*order[index + 1])
        time.sleep(6.0)  # the first turns are answered by the old process
        began = time.monotonic()
        cluster.switch_to(backend, replica, replacement)
        steps.append((f"{backend}-{replica}", began, time.monotonic()))
    for thread in batches:
        thread.join()
    result = record_figures("rolling", records, steps, cluster)
    assert len(records) == CONSULTATIONS
    found = problems(cluster, records)
    assert not found, "\n".join(found)
    assert all(active >= 3 for active in result["active_during"].values()), result["active_during"]
