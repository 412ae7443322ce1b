"""GET /passage/{id} (a cited passage in its document, for people), GET /api/passages (the list the
widget offers for feedback) and GET /api/interventions (the names the card shows)."""
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.routes import interventions, passage_page
from knowledge.corpus import load_passages
from knowledge.criteria import load_interventions


@pytest.fixture(scope="module")
def client():
    app = FastAPI()
    app.include_router(passage_page.router)
    app.include_router(interventions.router)
    return TestClient(app)


def test_a_passage_page_shows_the_passage_with_its_document_and_headings(client):
    response = client.get("/passage/002-4.2.3-1")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="sv">' in page
    assert "Tillämpningsanvisningar för sysselsättning" in page and "Dnr SOF 2023/434" in page
    assert "Citerat avsnitt:</strong> 4.2.3" in page
    passage = next(p for p in load_passages() if p.id == "002-4.2.3-1")
    assert passage.title in page and passage.text.split("\n")[0][:60] in page


def test_a_passage_page_shows_its_neighbours_in_the_same_document_with_links(client):
    passages = [p for p in load_passages() if p.doc.startswith("002")]
    middle = passages[10]
    page = client.get(f"/passage/{middle.id}").text
    assert f'href="/passage/{passages[9].id}"' in page and f'href="/passage/{passages[11].id}"' in page
    assert "Före:" in page and "Efter:" in page


def test_the_first_passage_of_a_document_has_no_passage_before_it(client):
    first = next(p for p in load_passages() if p.doc.startswith("004"))
    page = client.get(f"/passage/{first.id}").text
    assert "Före:" not in page and "Efter:" in page


def test_an_unknown_passage_is_a_swedish_404_page(client):
    response = client.get("/passage/002-99.9-1")
    assert response.status_code == 404
    assert "Avsnittet finns inte" in response.text and "002-99.9-1" in response.text


def test_markup_in_an_unknown_id_is_escaped(client):
    response = client.get("/passage/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert response.status_code == 404
    assert "<img" not in response.text and "&lt;img src=x onerror=alert(1)&gt;" in response.text


def test_the_passage_list_cites_every_passage_in_authority_order(client):
    entries = client.get("/api/passages").json()
    assert [e["id"] for e in entries] == [p.id for p in load_passages()]
    by_id = {e["id"]: e for e in entries}
    assert by_id["002-4.2.3-1"]["citation"] == "002 §4.2.3"
    assert set(by_id["002-4.2.3-1"]) == {"id", "citation", "title", "document"}


def test_interventions_are_listed_with_their_swedish_names_and_legal_basis(client):
    names = {e["id"]: e for e in client.get("/api/interventions").json()}
    assert set(names) == {i["id"] for i in load_interventions()}
    assert names["socialt_inriktad_sysselsattning"] == {
        "id": "socialt_inriktad_sysselsattning",
        "name": "Socialt inriktad sysselsättning",
        "legal_basis": "4 kap. 1 § SoL",
    }


def test_a_neighbour_in_the_same_section_is_named_as_its_continuation(client):
    first = next(p for p in load_passages() if p.id == "002-1.1-1")
    page = client.get(f"/passage/{first.id}").text
    assert f'href="/passage/002-1.1-2">{first.title} (fortsättning)</a>' in page
