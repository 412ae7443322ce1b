"""GET /api/interventions: the insatser's ids, Swedish names and legal bases, as the rule files give them.

The check result names insatser by id only; the widget's card shows their names from here.
"""
from fastapi import APIRouter
from pydantic import BaseModel

from knowledge.criteria import load_interventions

router = APIRouter(tags=["check"])


class InterventionName(BaseModel):
    id: str
    name: str
    legal_basis: str


@router.get("/api/interventions", response_model=list[InterventionName])
def interventions() -> list[dict]:
    return [{key: item[key] for key in ("id", "name", "legal_basis")} for item in load_interventions()]
