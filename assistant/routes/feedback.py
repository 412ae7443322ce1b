"""POST /api/feedback: a 👍/👎 on an answer, with an optional "which passage would have been right?"."""
from typing import Any, Literal

import sqlalchemy.exc
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field, validator

from assistant.feedback import Feedback, record_feedback
from knowledge.corpus import get_passage

router = APIRouter(tags=["feedback"])


class FeedbackIn(BaseModel):
    rating: Literal["up", "down"] = Field(description="up = 👍, down = 👎")
    question: str = Field(max_length=4000, description="Frågan som besvarades (maskeras innan den sparas).")
    answer: str = Field(max_length=20000, description="Svaret som bedöms.")
    channel: Literal["widget", "teams"] = "widget"
    passage_id: str | None = Field(None, max_length=64, description="Avsnittet som hade varit rätt, t.ex. 002-4.2.3-1.")
    versions: dict[str, str | None] = Field(default_factory=dict, description="Versionerna som svaret visade.")

    @validator("passage_id")
    def _known_passage(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return get_passage(value.strip()).id
        except KeyError:
            raise ValueError(f"Det finns inget avsnitt med id {value!r}.") from None

    @validator("versions")
    def _few_versions(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > 10 or any(len(k) > 32 or (v is not None and len(v) > 80) for k, v in value.items()):
            raise ValueError("versions får ha högst 10 korta fält.")
        return value


@router.post("/api/feedback", status_code=201)
def feedback(body: FeedbackIn) -> dict[str, int]:
    try:
        feedback_id = record_feedback(Feedback(**body.dict()))
    except (sqlalchemy.exc.SQLAlchemyError, OSError):
        # The store is down: say so plainly rather than lose the rating silently.
        raise HTTPException(status_code=503, detail="Återkopplingen kunde inte sparas just nu. Försök igen om en stund.")
    return {"id": feedback_id}
