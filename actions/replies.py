"""The Swedish texts the consultation sends, composed from the checker's result and the rule data.

Pure functions: the actions pass in slots and results and send what comes back.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from actions.citations import cite, format_quotes, quote_sources
from actions.consultation_state import BEHOV_SYFTE_MAL
from knowledge.criteria import FACTS, load_interventions
from knowledge.criteria.presentation import CRITERION_LABELS, CRITERION_MARKS, DECISION_NOTE, HEADLINE, STATUS_LABELS

# The one presentation (knowledge/criteria/presentation.yaml), under the names this module used.
STATUS_TEXT = STATUS_LABELS
CRITERION_MARK = CRITERION_MARKS
CRITERION_TEXT = CRITERION_LABELS

BEHOV_SYFTE_MAL_QUESTION = (
    "Vad är personens behov, syfte och målsättning med insatsen? Berätta med egna ord – "
    "t.ex. bryta isolering och få struktur i vardagen, eller närma sig arbete eller studier."
)

# A guess ("tror det") to a question is kept as unknown; said, so it is not taken for an answer.
DOUBT_KEPT_OPEN = "Det låter osäkert, så jag låter det vara okänt tills det är klarlagt."

YES_NO_BUTTONS = [
    {"title": "Ja", "payload": "/affirm"},
    {"title": "Nej", "payload": "/deny"},
    {"title": "Vet inte", "payload": "/dont_know"},
]
WHY_BUTTON = {"title": "Varför frågar du?", "payload": "/why_ask"}


@lru_cache(maxsize=1)
def interventions() -> dict[str, Any]:
    return {item["id"]: item for item in load_interventions()}


@lru_cache(maxsize=1)
def ways_in() -> dict[str, Any]:
    return yaml.safe_load((Path(__file__).parent / "ways_in.yaml").read_text(encoding="utf-8"))


def name_of(intervention_id: str) -> str:
    return interventions()[intervention_id]["name"]


def question(fact: str) -> tuple[str, list[dict[str, str]]]:
    """The question that settles `fact` and the buttons that answer it."""
    if fact == BEHOV_SYFTE_MAL:
        return BEHOV_SYFTE_MAL_QUESTION, [{"title": "Vet inte", "payload": "/dont_know"}]
    schema = FACTS[fact]
    if schema["type"] == "bool":
        buttons = list(YES_NO_BUTTONS)
    elif schema["type"] == "enum":
        buttons = [
            {"title": label, "payload": "/inform" + json.dumps({"svar": value})}
            for value, label in schema["values"].items()
        ] + [{"title": "Vet inte", "payload": "/dont_know"}]
    else:
        buttons = [{"title": "Vet inte", "payload": "/dont_know"}]
    return schema["question"], buttons + [WHY_BUTTON]


def fact_value_text(fact: str, value: Any) -> str:
    schema = FACTS[fact]
    if schema["type"] == "bool":
        return "ja" if value else "nej"
    if schema["type"] == "enum":
        return schema["values"].get(value, str(value))
    return str(value)


def facts_text(facts: Mapping[str, Any], left_open: list[str], behov_syfte_mal: str | None) -> str:
    lines = []
    if behov_syfte_mal:
        lines.append(f"• Behov, syfte och mål: {behov_syfte_mal}")
    lines += [f"• {FACTS[name]['label']}: {fact_value_text(name, value)}" for name, value in facts.items()]
    lines += [f"• {FACTS[name]['label']}: vet inte" for name in left_open if name in FACTS]
    return "\n".join(lines)


# What opens the confirmation of the facts a message stated (benchmarks/conversations.py reads it).
NOTED = "Noterat – "


def learned_text(learned: Mapping[str, Any]) -> str | None:
    if not learned:
        return None
    parts = [f"{FACTS[name]['label'].lower()}: {fact_value_text(name, value)}" for name, value in learned.items()]
    return NOTED + "; ".join(parts) + "."


def verdict_changes(previous: dict | None, current: dict, corrected: Mapping[str, tuple[Any, Any]]) -> str | None:
    """After a correction: which verdicts changed and because of what ("uppfyllt → ej uppfyllt")."""
    if previous is None or not corrected:
        return None
    before = {i["id"]: i for i in previous["interventions"]}
    lines = []
    for intervention in current["interventions"]:
        old = before[intervention["id"]]
        old_criteria = {c["id"]: c["status"] for c in old["criteria"]}
        changed = [
            f"{c['text']}: {CRITERION_TEXT[old_criteria[c['id']]]} → {CRITERION_TEXT[c['status']]}"
            for c in intervention["criteria"]
            if old_criteria.get(c["id"]) not in (None, c["status"])
        ]
        if old["status"] != intervention["status"] or changed:
            head = f"{name_of(intervention['id'])}: {STATUS_TEXT[old['status']]} → {STATUS_TEXT[intervention['status']]}"
            lines.append("• " + head + "".join(f"\n   – {c}" for c in changed))
    reasons = ", ".join(
        f"{FACTS[name]['label'].lower()} {fact_value_text(name, old)} → {fact_value_text(name, new)}"
        for name, (old, new) in corrected.items()
    )
    if not lines:
        return f"Ändrat ({reasons}). Det ändrar ingen bedömning."
    return f"Ändrat ({reasons}). Det här ändrades:\n" + "\n".join(lines)


def _criteria_lines(intervention: Mapping[str, Any], statuses: tuple[str, ...]) -> list[str]:
    return [
        f"{CRITERION_MARK[c['status']]} {c['text']} ({cite(c['source'])})"
        for c in intervention["criteria"]
        if c["status"] in statuses
    ]


def _quotes_for(intervention: Mapping[str, Any]) -> list[dict[str, Any]]:
    # Quote first the passages behind the decisive criteria (what makes this the insats: for
    # arbetsrehabiliterande sysselsättning 002 §3.3 and §4.1, not the target group's §1.1), then
    # what is unmet or open, since that is what the handläggare must look into.
    order = {"unmet": 1, "unknown": 2, "met": 3}
    criteria = sorted(intervention["criteria"], key=lambda c: 0 if c.get("decisive") else order[c["status"]])
    return quote_sources(((c["source"], c["text"]) for c in criteria), limit=2)


def _no_primary(result: Mapping[str, Any], by_id: Mapping[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """While nothing is eligible: the likeliest insats and what it waits for, or, when none is
    left, the routes that remain and what would change the verdict. Never a bare "nothing fits"."""
    rec = result["recommendation"]
    provisional = rec.get("provisional")
    if provisional:
        chosen = by_id[provisional["id"]]
        info = interventions()[provisional["id"]]
        parts = [
            f"{HEADLINE['provisional']}: {info['name']} ({info['legal_basis']}), om det som ännu är okänt visar sig stämma. "
            "Inget är avgjort förrän det är klarlagt.",
            "Det som avgör:\n" + "\n".join(_criteria_lines(chosen, ("unknown",))),
        ]
        met = _criteria_lines(chosen, ("met",))
        if met:
            parts.append("Uppfyllt:\n" + "\n".join(met))
        return parts, _quotes_for(chosen)
    parts = ["Utifrån det du har berättat uppfyller ingen av insatserna kriterierna."]
    not_eligible = [name_of(i["id"]) for i in result["interventions"] if i["status"] == "not_eligible"]
    if not_eligible:
        parts.append("Inte aktuella: " + ", ".join(not_eligible) + ".")
    # Open insatser nothing known points to yet (no "Troligast"): still name the unknown facts that
    # would decide them (issue 14 §3), so open is never read as ruled out.
    still_open = [
        f"• {name_of(i['id'])}: " + ", ".join(FACTS[name]["label"].lower() for name in i["missing_facts"])
        for i in result["interventions"]
        if i["status"] == "undetermined" and interventions()[i["id"]]["bistandsbedomd"] and i["missing_facts"]
    ]
    if still_open:
        parts.append(f"{STATUS_TEXT['undetermined']} – det som avgör:\n" + "\n".join(still_open))
    way_forward = rec.get("way_forward") or {}
    if way_forward.get("would_change"):
        parts.append("Inte uppfyllt – ändras detta, ändras bedömningen:\n" + "\n".join(
            f"{CRITERION_MARK['unmet']} {name_of(w['id'])}: {w['text']} ({cite(w['source'])})"
            for w in way_forward["would_change"]
        ))
    if way_forward.get("routes"):
        parts.append("Vägar vidare:\n" + "\n".join(
            f"• {r['name']}: {r['text']} ({cite(r['source'])})" for r in way_forward["routes"]
        ))
    return parts, []


def recommendation(result: Mapping[str, Any], role: str | None) -> tuple[str, list[dict[str, Any]]]:
    """The answer: recommended insats, why, what is unmet or open, next steps, interval, quotes."""
    rec = result["recommendation"]
    by_id = {i["id"]: i for i in result["interventions"]}
    primary = rec["primary"]
    parts: list[str] = []
    quotes: list[dict[str, Any]] = []
    if primary is None:
        parts, quotes = _no_primary(result, by_id)
    else:
        chosen = by_id[primary]
        info = interventions()[primary]
        parts.append(f"{HEADLINE['primary']}: {info['name']} ({info['legal_basis']}) – kan vara aktuell.")
        met = _criteria_lines(chosen, ("met",))
        if met:
            parts.append("Uppfyllt:\n" + "\n".join(met))
        quotes = _quotes_for(chosen)
    if rec.get("also_consider"):
        parts.append("Överväg också: " + ", ".join(name_of(i) for i in rec["also_consider"]) + ".")
    if result.get("conflicts"):
        parts.append("Att klargöra:\n" + "\n".join(
            f"• {c['text']} ({cite(c['source'])})" for c in result["conflicts"]
        ))
    omfattning = result.get("omfattning") or {}
    if omfattning.get("interval"):
        parts.append(f"Omfattning: {omfattning['interval']} timmar/vecka. {omfattning.get('reason', '')}".strip())
    elif omfattning.get("applies") and omfattning.get("reason"):
        parts.append(f"Omfattning: {omfattning['reason']}")
    if role == "uppsokare":
        parts.append(ways_in_text(primary or (rec.get("provisional") or {}).get("id"), rec.get("referrals", [])))
    else:
        if rec.get("referral_details"):
            parts.append("Hänvisa även:\n" + "\n".join(
                f"• {r['name']}: {r['reason']} ({cite(r['source'])})" for r in rec["referral_details"]
            ))
        steps = [_step_text(step) for step in result.get("next_steps", [])]
        if steps:
            parts.append("Nästa steg:\n" + "\n".join(f"{n}. {s}" for n, s in enumerate(steps, 1)))
    if quotes:
        parts.append("Riktlinjerna:\n" + format_quotes(quotes))
    parts.append(DECISION_NOTE)
    return "\n\n".join(parts), quotes


def _step_text(step: Any) -> str:
    if isinstance(step, Mapping):
        source = step.get("source")
        return f"{step['text']} ({cite(source)})" if source else step["text"]
    return str(step)


def ways_in_text(intervention_id: str | None, referrals: list[str]) -> str:
    data = ways_in()
    lines = []
    if intervention_id in data:
        entry = data[intervention_id]
        sources = ", ".join(cite(s) for s in entry["sources"])
        lines.append(f"Vägen in: {entry['how']}\nVad den unga kan förvänta sig: {entry['expect']} ({sources})")
    lines += [f"• {data['referrals'][r]}" for r in referrals if r in data["referrals"]]
    lines.append("Beslut om insatser fattas av en handläggare på stadsdelsförvaltningen.")
    return "\n".join(lines)


def criteria_overview(intervention_id: str, result: Mapping[str, Any] | None) -> str:
    """The criteria of one insats, with today's status for this person where facts are known."""
    info = interventions()[intervention_id]
    statuses = {}
    if result is not None:
        current = next(i for i in result["interventions"] if i["id"] == intervention_id)
        statuses = {c["id"]: c["status"] for c in current["criteria"]}
    lines = [f"Kriterier för {info['name']} ({info['legal_basis']}):"]
    for criterion in info["criteria"]:
        status = statuses.get(criterion["id"])
        mark = f"{CRITERION_MARK[status]} " if status else "• "
        assessed = " – bedöms av handläggaren" if criterion.get("assessed_by") == "handlaggarens_bedomning" else ""
        lines.append(f"{mark}{criterion['text']}{assessed} ({cite(criterion['source'])})")
    return "\n".join(lines)


def why_text(fact: str | None, result: Mapping[str, Any] | None) -> str:
    """Why the pending question is asked, generated from the criteria that the fact settles."""
    if fact is None:
        return "Jag har ingen fråga till dig just nu."
    if fact == BEHOV_SYFTE_MAL:
        source = {"doc": "002_4c615ea3040924b7.txt", "section": "2.1.3"}
        quote = quote_sources([(source, "behovet, syftet och målsättningen")], limit=1)
        return (
            "Behov, syfte och målsättning är grunden för att avgöra vilken insats som kan tillgodose behovet "
            f"({cite(source)}).\n" + format_quotes(quote)
        )
    settles = [
        (intervention, criterion)
        for intervention in load_interventions()
        for criterion in intervention["criteria"]
        if fact in criterion["facts"]
    ]
    if result is not None:
        undecided = {i["id"] for i in result["interventions"] if i["status"] == "undetermined"}
        settles = [(i, c) for i, c in settles if i["id"] in undecided] or settles
    lines = [f"Jag frågar om {FACTS[fact]['label'].lower()} eftersom det avgör:"]
    lines += [f"• {c['text']} – för {i['name']} ({cite(c['source'])})" for i, c in settles[:4]]
    quotes = quote_sources(((c["source"], c["text"]) for _, c in settles), limit=1)
    if quotes:
        lines.append(format_quotes(quotes))
    return "\n".join(lines)


BEHOV_DESCRIBED = (
    "• Behov, syfte och mål: beskrivet med egna ord i samtalet (fritexten tas inte med här; "
    "skriv den i dokumentationen utan namn och identifierande uppgifter)"
)


def summary(facts: Mapping[str, Any], left_open: list[str], behov_syfte_mal: str | None,
            result: Mapping[str, Any] | None) -> str:
    """A structured summary to paste into documentation; it holds no names or identifiers.

    The behov, syfte och målsättning answer is free text: it is masked on the way in, but masking
    can miss, so the summary headed "utan personuppgifter" says that it was described and leaves
    the words out (what the checker read from it, e.g. the primary goal, is among the facts)."""
    lines = ["Sammanfattning (utan personuppgifter)", "", "Uppgifter:"]
    listing = [BEHOV_DESCRIBED] if behov_syfte_mal else []
    listing += [line for line in [facts_text(facts, left_open, None)] if line]
    lines.append("\n".join(listing) or "• Inga uppgifter ännu.")
    if result is not None:
        lines += ["", "Bedömning enligt riktlinjerna:"]
        for intervention in result["interventions"]:
            lines.append(f"• {name_of(intervention['id'])}: {STATUS_TEXT[intervention['status']]}")
        primary = result["recommendation"]["primary"]
        if primary:
            lines.append(f"Förslag: {name_of(primary)}.")
        sources = sorted({cite(c["source"]) for i in result["interventions"] for c in i["criteria"]})
        lines += ["", "Källor: " + ", ".join(sources)]
        versions = result.get("versions") or {}
        if versions.get("rules"):
            checked = f" (kontrollerad {result['generated_at']})" if result.get("generated_at") else ""
            lines.append(f"Regelversion: {versions['rules']}{checked}")
    lines += ["", DECISION_NOTE]
    return "\n".join(lines)
