"""👍/👎 feedback: stored masked with the versions, refused clearly when wrong, exported for labelling."""
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.feedback import Feedback, evaluation_candidates, list_feedback, record_feedback
from assistant.processes import ROOT
from assistant.routes import feedback
from assistant.settings import get_settings
from knowledge.provenance import knowledge_versions

PNR = "19900101-1239"  # Luhn-valid
ANSWER = "Socialt inriktad sysselsättning passar (002, avsnitt 4.2.3)."


@pytest.fixture
def database(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    monkeypatch.setenv("INSATSLOTSEN_FEEDBACK_DB", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def client(database) -> TestClient:
    app = FastAPI()
    app.include_router(feedback.router)
    return TestClient(app)


def test_a_thumbs_down_is_stored_with_the_masked_question_and_the_versions(client, database):
    response = client.post("/api/feedback", json={
        "rating": "down", "question": f"vad gäller för {PNR}, ring 070-123 45 67", "answer": ANSWER,
        "passage_id": "002-4.2.3-1", "versions": {"rules": "sha256:shown-in-card"},
    })
    assert response.status_code == 201
    [row] = list_feedback(database_url=database)
    assert row.id == response.json()["id"] and row.rating == "down" and row.channel == "widget"
    assert PNR not in row.question and "070-123 45 67" not in row.question
    assert "[personnummer]" in row.question and "[telefon]" in row.question
    assert row.passage_id == "002-4.2.3-1"
    assert row.versions["rules"] == "sha256:shown-in-card"
    assert row.versions["corpus"] == knowledge_versions()["corpus"]


def test_a_thumbs_up_without_a_passage_is_stored_and_not_listed_as_a_complaint(client, database):
    assert client.post("/api/feedback", json={"rating": "up", "question": "vad är FINSAM", "answer": ANSWER}).status_code == 201
    assert list_feedback(database_url=database) == []
    assert [row.rating for row in list_feedback(rating=None, database_url=database)] == ["up"]


@pytest.mark.parametrize(
    "body, wording",
    [
        ({"rating": "down", "question": "q", "answer": "a", "passage_id": "999-finns-inte"}, "inget avsnitt"),
        ({"rating": "meh", "question": "q", "answer": "a"}, "rating"),
        ({"rating": "up", "question": "q" * 5000, "answer": "a"}, "question"),
        ({"rating": "up", "question": "q", "answer": "a", "versions": {f"k{i}": "v" for i in range(11)}}, "högst 10"),
    ],
)
def test_bad_feedback_is_refused_with_a_422_that_says_what_is_wrong(client, database, body, wording):
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 422
    assert wording in response.text
    assert list_feedback(rating=None, database_url=database) == []


def test_an_unreachable_feedback_store_is_a_503_in_swedish(tmp_path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("INSATSLOTSEN_FEEDBACK_DB", f"sqlite:///{blocker / 'sub' / 'feedback.db'}")
    get_settings.cache_clear()
    app = FastAPI()
    app.include_router(feedback.router)
    response = TestClient(app).post("/api/feedback", json={"rating": "up", "question": "q", "answer": "a"})
    get_settings.cache_clear()
    assert response.status_code == 503 and "kunde inte sparas" in response.json()["detail"]


def test_thumbs_down_answers_export_as_unlabelled_retrieval_cases(database):
    record_feedback(Feedback("down", "hur många timmar insteg", ANSWER, "teams", passage_id="002-4.2.3-1"), database)
    record_feedback(Feedback("down", "vad gäller för jobbtorg", ANSWER, "widget"), database)
    record_feedback(Feedback("up", "bra svar", ANSWER, "widget"), database)
    cases = evaluation_candidates(list_feedback(database_url=database))["questions"]
    assert [case["q"] for case in cases] == ["hur många timmar insteg", "vad gäller för jobbtorg"]
    assert cases[0]["answers"] == [{"passage": "002-4.2.3-1", "doc": "002_4c615ea3040924b7.txt", "section": "4.2.3"}]
    assert cases[1]["answers"] == [] and all(case["split"] == "unlabelled" for case in cases)


def test_the_export_command_writes_yaml_a_person_can_label(database, tmp_path):
    record_feedback(Feedback("down", f"fel svar om {PNR}", ANSWER, "widget"), database)
    out = tmp_path / "candidates.yaml"
    env = {"INSATSLOTSEN_FEEDBACK_DB": database, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "assistant", "feedback", "export", "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    exported = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert exported["questions"][0]["q"] == "fel svar om [personnummer]"
    listed = subprocess.run([sys.executable, "-m", "assistant", "feedback", "list"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "👎" in listed.stdout and PNR not in listed.stdout


def _run(database: str, *args: str) -> subprocess.CompletedProcess:
    env = {"INSATSLOTSEN_FEEDBACK_DB": database, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "assistant", "feedback", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _age(database: str, feedback_id: int, days: int) -> None:
    import sqlalchemy as sa

    from assistant.feedback import feedback_table

    engine = sa.create_engine(database)
    with engine.begin() as connection:
        connection.execute(feedback_table.update().where(feedback_table.c.id == feedback_id).values(
            created_at=datetime.now(timezone.utc) - timedelta(days=days)))
    engine.dispose()


def test_feedback_retention_deletes_ratings_older_than_the_limit_and_keeps_the_rest(database):
    old = record_feedback(Feedback("down", "gammal fråga", ANSWER, "widget"), database)
    recent = record_feedback(Feedback("down", "ny fråga", ANSWER, "widget"), database)
    _age(database, old, 400)
    _age(database, recent, 10)
    done = _run(database, "retention")  # the default: INSATSLOTSEN_FEEDBACK_RETENTION_DAYS, 365
    assert done.returncode == 0, done.stderr
    assert "Raderade 1 återkopplingar äldre än 365 dagar" in done.stdout
    assert [row.id for row in list_feedback(rating=None, database_url=database)] == [recent]
    assert _run(database, "retention", "--days", "0").returncode == 2


def test_erasing_a_rating_removes_it_and_its_words_from_the_sqlite_file(database, tmp_path):
    kept = record_feedback(Feedback("down", "behall denna fraga", ANSWER, "widget"), database)
    erased = record_feedback(Feedback("down", "Kanariefageln Zlatoustova fragade om Hemliga gatan", ANSWER, "widget"), database)
    done = _run(database, "erase", str(erased))
    assert done.returncode == 0 and f"Raderade återkoppling #{erased}" in done.stdout
    assert [row.id for row in list_feedback(rating=None, database_url=database)] == [kept]
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("feedback.db*"))
    assert b"Kanariefageln" not in raw and b"behall denna fraga" in raw
    missing = _run(database, "erase", str(erased))
    assert missing.returncode == 1 and "Ingen återkoppling med nummer" in missing.stderr
