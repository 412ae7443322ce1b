"""POST /api/check: the check result, and Swedish 422s that never leak a traceback."""
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.routes import check

JOHAN = {
    "alder": 23,
    "malgrupp_socialpsykiatri": True,
    "saknar_annan_daglig_sysselsattning": True,
    "onskar_narma_sig_arbete_eller_studier": False,
    "forsorjningsstod": False,
}


@pytest.fixture(scope="module")
def client():
    app = FastAPI()
    app.include_router(check.router)
    return TestClient(app)


def test_check_returns_the_check_result(client):
    response = client.post("/api/check", json=JOHAN)
    assert response.status_code == 200
    body = response.json()
    assert body["recommendation"]["primary"] == "socialt_inriktad_sysselsattning"
    assert {"interventions", "recommendation", "omfattning", "next_steps"} <= set(body)


def test_check_result_carries_the_rule_corpus_and_index_versions_and_when_it_was_made(client):
    body = client.post("/api/check", json=JOHAN).json()
    assert {"rules", "corpus", "index", "model"} <= set(body["versions"])
    assert body["versions"]["model"] is None  # no Rasa model takes part in a direct check
    assert body["generated_at"].endswith("+00:00")


def test_check_applies_the_rules_in_force_on_the_given_day(client):
    response = client.post("/api/check", params={"on": "2022-06-30"}, json=JOHAN)
    ids = [item["id"] for item in response.json()["interventions"]]
    assert "stodinsats_4_2_socialpsykiatri" not in ids and response.json()["on"] == "2022-06-30"


def test_check_rejects_an_impossible_age_with_the_valid_range(client):
    response = client.post("/api/check", json={"alder": -3})
    assert response.status_code == 422
    assert response.json()["detail"] == {
        "message": "Fakta kunde inte kontrolleras.",
        "errors": ["'alder' (Ålder) ska vara ett heltal från 0 till 120, inte -3."],
    }


def test_check_rejects_an_unknown_fact_listing_the_valid_names(client):
    response = client.post("/api/check", json={"diagnos": True})
    assert response.status_code == 422
    [message] = response.json()["detail"]["errors"]
    assert message.startswith("Okänt faktum 'diagnos'.") and "kontakt_specialistpsykiatri" in message


def test_check_rejects_a_wrong_type(client):
    response = client.post("/api/check", json={"forsorjningsstod": "ja", "alder": 250})
    assert response.status_code == 422
    assert len(response.json()["detail"]["errors"]) == 2


def test_check_rejects_a_body_that_is_not_an_object(client):
    response = client.post("/api/check", json=[1, 2])
    assert response.status_code == 422
    assert response.json()["detail"]["errors"][0].startswith("Fakta ska vara ett JSON-objekt")


def test_check_rejects_broken_json(client):
    response = client.post("/api/check", content=b'{"alder": ', headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"]["errors"] == ["Förfrågan är inte giltig JSON (rad 1, kolumn 11)."]


def test_check_rejects_an_empty_body(client):
    response = client.post("/api/check", content=b"")
    assert response.status_code == 422
    assert response.json()["detail"]["errors"][0].startswith("Skicka fakta som ett JSON-objekt")


def test_check_rejects_a_malformed_date(client):
    response = client.post("/api/check", params={"on": "igår"}, json={})
    assert response.status_code == 422
    assert response.json()["detail"]["errors"] == ["Ogiltigt datum 'igår' i 'on'; använd ÅÅÅÅ-MM-DD."]


def test_the_openapi_schema_documents_the_facts(client):
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/api/check"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["alder"] == {"description": "Ålder", "type": "integer", "minimum": 0, "maximum": 120}


@pytest.mark.parametrize("body, reason", [
    (b'{"alder": ' + b"9" * 5000 + b"}", "för många siffror"),
    (b"[" * 30_000 + b"]" * 30_000, "för djupt nästlad"),
    (b'{"alder": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", "för djupt nästlad"),
], ids=["5000 digits", "30000 nested arrays", "30000 nested in a fact"])
def test_check_answers_a_huge_number_or_deep_nesting_with_a_swedish_422_not_a_500(client, body, reason):
    response = client.post("/api/check", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert any(reason in error for error in response.json()["detail"]["errors"])
