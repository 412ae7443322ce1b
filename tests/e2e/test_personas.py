"""The four personas of 003 through the REST channel: the bot asks, the handläggare answers, and
the recommendation it sends is the checker's result for the facts that were stated."""
import statistics
from pathlib import Path

import pytest
import yaml

from knowledge.criteria import FACTS, check
from tests.conversation import Conversation

PERSONAS = yaml.safe_load((Path(__file__).parent / "personas.yaml").read_text(encoding="utf-8"))
MAX_TURNS = 20


def asked_fact(message: dict) -> str | None:
    text = message.get("text") or ""
    return next((name for name, spec in FACTS.items() if spec["question"] in text), None)


def consult(conversation, persona: dict) -> tuple[dict, list[str]]:
    """Describes the persona, answers each question, returns the recommendation payload and the facts asked."""
    replies = conversation.say(persona["description"])
    asked: list[str] = []
    for _ in range(MAX_TURNS):
        payload = next((m["custom"] for m in replies if "interventions" in m.get("custom", {})), None)
        if payload is not None:
            return payload, asked
        question = replies[-1]
        fact = asked_fact(question)
        if fact is None:
            answer = "vet inte"  # behov, syfte och mål when the description left the goal out
        else:
            asked.append(fact)
            answer = persona["answers"].get(fact, "vet inte")
        replies = conversation.say(answer)
    pytest.fail(f"no recommendation after {MAX_TURNS} turns; asked {asked}")


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_persona_gets_the_checkers_recommendation_for_the_stated_facts(conversation, name):
    persona = PERSONAS[name]
    payload, asked = consult(conversation, persona)

    for fact, value in persona["expect_facts"].items():
        assert payload["facts"].get(fact) == value, f"{fact} read wrongly from the description"
    assert len(asked) == len(set(asked)), "a question was asked twice"

    expected = check(payload["facts"])
    assert [(i["id"], i["status"]) for i in payload["interventions"]] == [
        (i["id"], i["status"]) for i in expected["interventions"]
    ]
    assert payload["recommendation"]["primary"] == expected["recommendation"]["primary"] == persona["expect_primary"]
    for referral in persona.get("expect_referrals", []):
        assert referral in payload["recommendation"]["referrals"]


# Issue 14 §3: over 003's four personas, the questions after the opening description stay at a
# median of at most 5 and at most 9 for any one of them.
MEDIAN_QUESTIONS, MAX_QUESTIONS = 5, 9


def test_the_four_personas_take_a_median_of_five_questions_and_never_more_than_nine(servers):
    counts = {}
    for name in sorted(PERSONAS):
        conversation = Conversation(f"{servers.rasa_url}/webhooks/rest/webhook", servers.session_secret)
        said = []
        say = conversation.say
        conversation.say = lambda message: said.append(message) or say(message)
        consult(conversation, PERSONAS[name])
        # Every message after the description answers a question, behov, syfte och mål included.
        counts[name] = len(said) - 1
    assert max(counts.values()) <= MAX_QUESTIONS, counts
    assert statistics.median(counts.values()) <= MEDIAN_QUESTIONS, counts
