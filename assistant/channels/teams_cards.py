"""Rasa's messages as Teams understands them: card actions for buttons, an Adaptive Card for the
recommendation, and 👍/👎 on answers.

Rasa 3.6 puts its own button dicts (`title`, `payload`) into a hero card, which Teams shows as
nothing clickable. Here each button becomes a `messageBack` action: Teams shows the title in
the conversation and sends the payload back as the message text, so the click reaches the same
intent as the widget's button.
"""
from __future__ import annotations

from typing import Any, Mapping

from knowledge.criteria.presentation import DECISION_NOTE, HEADLINE

HERO_CARD = "application/vnd.microsoft.card.hero"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
FEEDBACK_RATINGS = {"up": "👍", "down": "👎"}
FEEDBACK_PROMPT = "Var svaret till hjälp?"
# A card action's value travels back in the activity; keep the stored answer within reason.
MAX_FEEDBACK_ANSWER_CHARS = 2000


def card_actions(buttons: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "type": "messageBack",
            "title": button["title"],
            "displayText": button["title"],
            "text": button["payload"],
            "value": {"payload": button["payload"]},
        }
        for button in buttons
    ]


def hero_card(text: str, buttons: list[Mapping[str, Any]]) -> dict[str, Any]:
    return {"contentType": HERO_CARD, "content": {"text": text, "buttons": card_actions(buttons)}}


def feedback_value(rating: str, question: str, answer: str, custom: Mapping[str, Any]) -> dict[str, Any]:
    """What a 👍/👎 click sends back: enough to store the feedback without server-side state."""
    value: dict[str, Any] = {
        "feedback": rating,
        "question": question,
        "answer": answer[:MAX_FEEDBACK_ANSWER_CHARS],
    }
    if custom.get("versions"):
        value["versions"] = custom["versions"]
    return value


def feedback_card(question: str, answer: str, custom: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "contentType": HERO_CARD,
        "content": {
            "text": FEEDBACK_PROMPT,
            "buttons": [
                {
                    "type": "messageBack",
                    "title": symbol,
                    "displayText": symbol,
                    "value": feedback_value(rating, question, answer, custom),
                }
                for rating, symbol in FEEDBACK_RATINGS.items()
            ],
        },
    }


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


# Names, labels, marks and citations come with the result (knowledge.criteria.presentation),
# the same words the text reply and the widget show.
def _status_line(intervention: Mapping[str, Any]) -> str:
    return f"{intervention['name']} – {intervention['status_label']}"


def _criteria_blocks(intervention: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        _text(f"{c['mark']} {c['text']} ({c['status_label']}; {c['citation']})", spacing="Small")
        for c in intervention["criteria"]
    ]


def recommendation_card(custom: Mapping[str, Any], question: str, answer: str) -> dict[str, Any]:
    """The check result as an Adaptive Card: insats and status, criteria, interval, next steps,
    quoted guidelines, rules version, and 👍/👎."""
    rec = custom.get("recommendation") or {}
    primary = rec.get("primary")
    by_id = {item["id"]: item for item in custom["interventions"]}
    body: list[dict[str, Any]] = []
    provisional = (rec.get("provisional") or {}).get("id")
    if primary in by_id:
        body.append(_text(f"{HEADLINE['primary']}: {_status_line(by_id[primary])}", size="Medium", weight="Bolder"))
        body += _criteria_blocks(by_id[primary])
    elif provisional in by_id:
        body.append(_text(f"{HEADLINE['provisional']}: {_status_line(by_id[provisional])}", size="Medium", weight="Bolder"))
        body += _criteria_blocks(by_id[provisional])
    else:
        body.append(_text("Ingen insats uppfyller kriterierna utifrån det som är känt.", size="Medium", weight="Bolder"))
        way_forward = rec.get("way_forward") or {}
        if way_forward.get("routes"):
            body.append(_text("Vägar vidare", weight="Bolder"))
            body += [_text(f"• {r['name']}: {r['text']} ({r['citation']})", spacing="Small") for r in way_forward["routes"]]
    shown = primary if primary in by_id else provisional
    others = [item for item in custom["interventions"] if item["id"] != shown]
    if others:
        body.append(_text("Övriga insatser", weight="Bolder"))
        body += [_text(_status_line(item), spacing="Small") for item in others]
        # Every criterion of every insats is long; shown on request.
        body.append({
            "type": "Container",
            "id": "ovriga",
            "isVisible": False,
            "items": [block for item in others for block in [_text(_status_line(item), weight="Bolder"), *_criteria_blocks(item)]],
        })
    omfattning = custom.get("omfattning") or {}
    if omfattning.get("interval"):
        body.append(_text(f"Omfattning: {omfattning['interval']} timmar/vecka. {omfattning.get('reason', '')}".strip()))
    steps = [step if isinstance(step, str) else step.get("text", "") for step in custom.get("next_steps") or []]
    if steps:
        body.append(_text("Nästa steg", weight="Bolder"))
        body += [_text(f"{number}. {step}", spacing="Small") for number, step in enumerate(steps, 1)]
    if rec.get("also_consider"):
        body.append(_text("Överväg också: " + ", ".join(by_id[i]["name"] for i in rec["also_consider"]) + "."))
    if custom.get("conflicts"):
        body.append(_text("Att klargöra", weight="Bolder"))
        body += [_text(f"• {c['text']} ({c['citation']})", spacing="Small") for c in custom["conflicts"]]
    quotes = custom.get("quotes") or []
    if quotes:
        body.append(_text("Riktlinjerna", weight="Bolder"))
        body += [_text(f"» {q['text']} « ({q['citation']})", isSubtle=True, spacing="Small") for q in quotes]
        # Sent along with 👎 (Action.Submit merges the card's inputs into its data).
        body.append({
            "type": "Input.ChoiceSet",
            "id": "passage_id",
            "label": "Vid 👎: vilket avsnitt hade varit rätt?",
            "isRequired": False,
            "choices": [{"title": q["citation"], "value": q["passage_id"]} for q in quotes if q.get("passage_id")],
        })
    versions = custom.get("versions") or {}
    if versions.get("rules"):
        body.append(_text(f"Regelversion: {versions['rules']}", size="Small", isSubtle=True))
    body.append(_text(DECISION_NOTE, size="Small", isSubtle=True))
    actions: list[dict[str, Any]] = []
    if others:
        actions.append({"type": "Action.ToggleVisibility", "title": "Visa kriterierna för övriga insatser", "targetElements": ["ovriga"]})
    actions += [
        {"type": "Action.Submit", "title": symbol, "data": feedback_value(rating, question, answer, custom)}
        for rating, symbol in FEEDBACK_RATINGS.items()
    ]
    return {
        "contentType": ADAPTIVE_CARD,
        "content": {
            "type": "AdaptiveCard",
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.4",
            "body": body,
            "actions": actions,
        },
    }


def is_check_result(custom: Any) -> bool:
    return isinstance(custom, Mapping) and isinstance(custom.get("interventions"), list)


def feedback_of(activity: Mapping[str, Any]) -> dict[str, Any] | None:
    """The 👍/👎 value a card click sent, or None for an ordinary message."""
    value = activity.get("value")
    # The value comes back from the client: anything may be in it, an unhashable list too.
    if isinstance(value, Mapping) and isinstance(value.get("feedback"), str) and value["feedback"] in FEEDBACK_RATINGS:
        return dict(value)
    return None
