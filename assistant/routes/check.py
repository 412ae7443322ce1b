"""POST /api/check: a facts object in, the criteria checker's result out.

The body is read by hand rather than through a pydantic model so that every problem —
bad JSON, an unknown fact, a wrong type, an impossible value — comes back as one Swedish
422 detail that names what is wrong and what is valid.
"""
import json
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request

from knowledge.criteria import FACTS, FactsError
from knowledge.criteria import check as check_facts
from knowledge.provenance import stamp

router = APIRouter(tags=["check"])

MAX_BODY_BYTES = 64 * 1024
INVALID_FACTS = "Fakta kunde inte kontrolleras."

FACTS_SCHEMA = {
    "type": "object",
    "description": "Kända fakta om personen; okända fakta utelämnas eller sätts till null.",
    "properties": {
        name: {
            "description": spec["label"],
            **(
                {"type": "boolean"}
                if spec["type"] == "bool"
                else {"type": "integer", "minimum": spec["min"], "maximum": spec["max"]}
                if spec["type"] == "int"
                else {"enum": list(spec["values"])}
            ),
        }
        for name, spec in FACTS.items()
    },
    "additionalProperties": False,
}


@router.post(
    "/api/check",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": FACTS_SCHEMA}}}},
)
async def check(
    request: Request,
    on: str | None = Query(None, description="Datum (ÅÅÅÅ-MM-DD) då reglerna ska gälla; standard är i dag."),
) -> dict[str, Any]:
    day = _day(on)
    facts = await _facts(request)
    try:
        return stamp(check_facts(facts, on=day))
    except FactsError as error:
        raise _invalid(error.errors) from None


async def _facts(request: Request) -> Any:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise _invalid([f"Förfrågan är för stor; högst {MAX_BODY_BYTES // 1024} kB fakta tas emot."])
    if not body.strip():
        raise _invalid(["Skicka fakta som ett JSON-objekt, till exempel {\"alder\": 30}."])
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise _invalid([f"Förfrågan är inte giltig JSON (rad {error.lineno}, kolumn {error.colno})."]) from None
    except UnicodeDecodeError:
        raise _invalid(["Förfrågan är inte giltig UTF-8-kodad JSON."]) from None
    except ValueError:
        # Python refuses integers of more than 4300 digits (int_max_str_digits); no fact is one.
        raise _invalid(["Förfrågan innehåller ett tal med för många siffror."]) from None
    except RecursionError:
        raise _invalid(["Förfrågan är för djupt nästlad; fakta är ett platt JSON-objekt."]) from None


def _day(on: str | None) -> date | None:
    if on is None:
        return None
    try:
        return date.fromisoformat(on)
    except ValueError:
        raise _invalid([f"Ogiltigt datum {on!r} i 'on'; använd ÅÅÅÅ-MM-DD."]) from None


def _invalid(errors: list[str]) -> HTTPException:
    return HTTPException(status_code=422, detail={"message": INVALID_FACTS, "errors": errors})
