"""GET /api/search and GET /api/passages/{id}: SPEC's shape, Swedish 422s and 404s, 503 without an index."""
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.deps import get_retriever
from assistant.routes import search
from knowledge.retrieval import IndexMissingError
from tests.knowledge.retrieval.tiny import tiny_retriever


@pytest.fixture(scope="module")
def client():
    app = FastAPI()
    app.include_router(search.router)
    retriever = tiny_retriever(max_query_chars=200)
    app.dependency_overrides[get_retriever] = lambda: retriever
    return TestClient(app)


def test_search_returns_best_first_hits_in_specs_shape(client):
    response = client.get("/api/search", params={"q": "kriterier 4:2", "k": 3})
    assert response.status_code == 200
    hits = response.json()
    assert len(hits) == 3 and hits[0]["id"] == "002-4.2.3-1"
    assert {"doc", "section", "title", "text", "score", "id", "heading_path", "page"} == set(hits[0])
    assert hits[0]["doc"] == "002_4c615ea3040924b7.txt" and hits[0]["section"] == "4.2.3"


def test_search_rejects_an_empty_query(client):
    response = client.get("/api/search", params={"q": "  "})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Frågan är tom.")


def test_search_rejects_a_missing_query(client):
    assert client.get("/api/search").status_code == 422


def test_search_rejects_an_oversized_query(client):
    response = client.get("/api/search", params={"q": "x" * 201})
    assert response.status_code == 422
    assert response.json()["detail"] == "Frågan är för lång (201 tecken). Korta den till högst 200 tecken."


@pytest.mark.parametrize("k", [0, 51])
def test_search_rejects_k_outside_1_to_50(client, k):
    response = client.get("/api/search", params={"q": "insats", "k": k})
    assert response.status_code == 422 and "mellan 1 och 50" in response.json()["detail"]


def test_passage_returns_one_passage_with_its_context(client):
    response = client.get("/api/passages/002-2.2-1")
    assert response.status_code == 200
    assert response.json() == {
        "id": "002-2.2-1",
        "doc": "002_4c615ea3040924b7.txt",
        "section": "2.2",
        "heading_path": ["2.2 Omfattning"],
        "title": "Omfattning",
        "text": "Sysselsättning delas in i tre tidsintervaller: 1-12, 10-24 och 22-40 timmar i veckan.",
        "page": 9,
    }


def test_an_unknown_passage_is_404_in_swedish(client):
    response = client.get("/api/passages/999-x-1")
    assert response.status_code == 404 and response.json()["detail"] == "Passagen '999-x-1' finns inte i sökindexet."


def test_without_an_index_the_api_answers_503_naming_the_command(monkeypatch):
    def missing():
        raise IndexMissingError("det finns inget index i /tmp/x")

    monkeypatch.setattr("assistant.deps.load_retriever", missing)
    app = FastAPI()
    app.include_router(search.router)
    response = TestClient(app).get("/api/search", params={"q": "insats"})
    assert response.status_code == 503 and "python -m knowledge build-index" in response.json()["detail"]
