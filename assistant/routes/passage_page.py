"""The passages for people: GET /passage/{id}, a cited passage as a readable page in its document
with the passages around it (the widget's citations link here), and GET /api/passages, the list the
widget offers when a user names the passage that would have been right.
"""
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from knowledge.corpus import load_metadata, load_passages
from knowledge.criteria.schema import Source

router = APIRouter(tags=["page"])
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")

NEIGHBOURS = 1  # passages shown before and after the cited one


def _in_context(passage_id: str) -> tuple[list, int]:
    """The cited passage's document's passages around it, and the cited one's index among them."""
    passages = load_passages()
    index = next((i for i, p in enumerate(passages) if p.id == passage_id), None)
    if index is None:
        raise KeyError(passage_id)
    doc = passages[index].doc
    same_doc = [i for i, p in enumerate(passages) if p.doc == doc]
    position = same_doc.index(index)
    window = same_doc[max(0, position - NEIGHBOURS): position + NEIGHBOURS + 1]
    return [passages[i] for i in window], window.index(index)


@router.get("/passage/{passage_id}", response_class=HTMLResponse, include_in_schema=False)
def passage_page(passage_id: str, request: Request) -> HTMLResponse:
    try:
        context, cited = _in_context(passage_id)
    except KeyError:
        return templates.TemplateResponse(request, "passage_missing.html", {"passage_id": passage_id}, status_code=404)
    passage = context[cited]
    document = next(meta for meta in load_metadata() if meta.file == passage.doc)
    return templates.TemplateResponse(
        request,
        "passage.html",
        {"passage": passage, "document": document, "before": context[:cited], "after": context[cited + 1:]},
    )


class PassageEntry(BaseModel):
    id: str
    citation: str
    title: str
    document: str


@router.get("/api/passages", response_model=list[PassageEntry])
def passage_list() -> list[dict]:
    """Every passage, document by document in authority order, with its short citation ("002 §4.2.3")."""
    titles = {meta.file: meta.title for meta in load_metadata()}
    return [
        {"id": p.id, "citation": Source(p.doc, p.section).short(), "title": p.title, "document": titles[p.doc]}
        for p in load_passages()
    ]
