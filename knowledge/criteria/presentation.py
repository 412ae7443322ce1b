"""One presentation of a check result: the labels, marks and citation format that the text
reply, the Teams card and the widget card all use (presentation.yaml), and `present()`, which
writes them into the result itself so a client never keeps its own copy.

    present(result) adds: per insats `name`, `legal_basis`, `status_label`; per criterion `mark`,
    `status_label`, `citation`, `assessed_by_label`; `citation` on every step, referral and route
    detail; `recommendation.provisional.name`; top-level `labels` (the whole table, for clients).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from knowledge.criteria.schema import Source, load_rulebook

LABELS: Mapping[str, Any] = yaml.safe_load((Path(__file__).parent / "presentation.yaml").read_text(encoding="utf-8"))
STATUS_LABELS: Mapping[str, str] = LABELS["status"]
CRITERION_MARKS: Mapping[str, str] = {key: value["mark"] for key, value in LABELS["criterion"].items()}
CRITERION_LABELS: Mapping[str, str] = {key: value["label"] for key, value in LABELS["criterion"].items()}
ASSESSED_BY_LABELS: Mapping[str, str | None] = LABELS["assessed_by"]
HEADLINE: Mapping[str, str] = LABELS["headline"]
DECISION_NOTE: str = LABELS["decision_note"]


def citation(source: Mapping[str, str]) -> str:
    """`{"doc": "002_4c61….txt", "section": "4.2.3"}` -> "002 §4.2.3" (Source.short)."""
    return Source(source["doc"], source["section"]).short()


def present(result: dict[str, Any]) -> dict[str, Any]:
    """The result with its display fields filled in (in place, and returned)."""
    info = {item.id: item for item in load_rulebook().interventions}
    for entry in result["interventions"]:
        item = info[entry["id"]]
        entry.update(name=item.name, legal_basis=item.legal_basis, status_label=STATUS_LABELS[entry["status"]])
        for criterion in entry["criteria"]:
            criterion.update(
                mark=CRITERION_MARKS[criterion["status"]],
                status_label=CRITERION_LABELS[criterion["status"]],
                citation=citation(criterion["source"]),
                assessed_by_label=ASSESSED_BY_LABELS[criterion["assessed_by"]],
            )
    recommendation = result["recommendation"]
    details = [*result.get("next_step_details", []), *recommendation.get("referral_details", [])]
    details += [*(recommendation.get("way_forward") or {}).get("routes", [])]
    details += [*(recommendation.get("way_forward") or {}).get("would_change", [])]
    for detail in details:
        detail["citation"] = citation(detail["source"])
    if recommendation.get("provisional"):
        recommendation["provisional"]["name"] = info[recommendation["provisional"]["id"]].name
    for conflict in result.get("conflicts", []):
        conflict["citation"] = citation(conflict["source"])
    result["labels"] = {"status": dict(STATUS_LABELS), "criterion": dict(LABELS["criterion"]), "headline": dict(HEADLINE)}
    return result
