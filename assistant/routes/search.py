"""GET /api/search (passages for a question, best first) and GET /api/passages/{id} (one passage)."""
from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from assistant.deps import Retriever
from knowledge.retrieval import QueryError

router = APIRouter(tags=["search"])


class PassageOut(BaseModel):
    id: str
    doc: str
    section: str
    heading_path: list[str]
    title: str
    text: str
    page: int | None


class SearchHitOut(BaseModel):
    doc: str
    section: str
    title: str
    text: str
    score: float
    id: str
    heading_path: list[str]
    page: int | None


@router.get("/api/search", response_model=list[SearchHitOut])
def search(
    retriever: Retriever,
    q: str = Query("", description="Frågan, t.ex. ”kriterier 4:2 socialpsykiatri”."),
    k: int = Query(5, description="Antal träffar, 1–50."),
) -> list[dict]:
    try:
        hits = retriever.search(q, k=k)
    except QueryError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    return [hit.to_dict() for hit in hits]


@router.get("/api/passages/{passage_id}", response_model=PassageOut)
def passage(passage_id: str, retriever: Retriever) -> dict:
    try:
        return retriever.passage(passage_id).to_dict()
    except KeyError:
        raise HTTPException(status_code=404, detail=f"Passagen {passage_id!r} finns inte i sökindexet.") from None
