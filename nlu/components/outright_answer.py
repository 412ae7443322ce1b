"""A reply that opens with a yes or no word answers the question, whatever content follows.

"ja han har haft ek bistånd sen i våras" and "nä hon har redan en praktik" share their content
words with the case descriptions of the inform examples, and a long reply has more of them than
the one "ja" or "nej", so the classifier reads them as inform (docs/benchmarks.md, rounds five to
seven: training examples of yes + content moved other messages away from inform). The opening
word decides instead: where the classifier's intent is inform (or already the answer) and
nlu.facts.outright_answer hears an outright yes or no (its words are the fact lexicon's,
nlu/fact_patterns.yaml `answers.outright`; a doubt or a "ja" that opens a no is neither), the
intent becomes affirm or deny, with the confidence of both readings together (it is the same message read as an answer).
A yes or no word before a statement is the answer also where the classifier heard a guideline
or criteria question: "ja vi bedömer att sysselsättning behövs trots jobbtorg" and "Ja, både
Försäkringskassan och Arbetsförmedlingen är inblandade." share their words with the guideline
questions (docs/benchmarks.md, tenth round); "ja, vad krävs för IPS?" stays ask_criteria, a
question after the yes (nlu.facts.opens_a_question). Every other intent stands: "nej förlåt, hon
är 70" read as correct_fact. A yes or no word that opens a doubt ("ja kanske, hon har nämnt FK",
"nej vet inte riktigt", or a doubt of its own before a comma, "kanske, han hade en läkare där förut";
nlu.facts.opens_with_doubt) is dont_know where the classifier heard a yes, a
no or a description: the content after the "ja" outweighs the one "kanske" for the classifier
(docs/benchmarks.md, eighth round). Runs after the intent classifier and before the fallback.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.facts import opens_a_question, opens_with_doubt, outright_answer

_ANSWER_INTENTS = {True: "affirm", False: "deny"}
_DESCRIPTION = "inform"
_QUESTIONS = ("ask_guideline", "ask_criteria")
_DOUBT = "dont_know"
Reading = Dict[Text, Any]


def answered(intent: Reading, ranking: List[Reading], text: Text) -> tuple[Reading, List[Reading]] | None:
    """The intent and ranking with inform read as the answer the opening word gives (a yes, a no
    or, before a doubt, dont_know), or None where the classifier heard another intent. Where it heard that answer already but unsure, the
    two readings together may lift it over the fallback floor (deny 0.28 and inform 0.11 on a
    "nej" with a sentence of content)."""
    polarity = outright_answer(text or "")
    if polarity is not None:
        name, merged = _ANSWER_INTENTS[polarity], (_ANSWER_INTENTS[polarity], _DESCRIPTION)
        if intent.get(INTENT_NAME_KEY) in _QUESTIONS and not opens_a_question(text or ""):
            merged = (*merged, *_QUESTIONS)
    elif opens_with_doubt(text or ""):
        name, merged = _DOUBT, (*_ANSWER_INTENTS.values(), _DESCRIPTION, _DOUBT)
    else:
        return None
    if intent.get(INTENT_NAME_KEY) not in merged:
        return None
    confidence = sum(entry[PREDICTED_CONFIDENCE_KEY] for entry in ranking if entry[INTENT_NAME_KEY] in merged)
    rest = [entry for entry in ranking if entry[INTENT_NAME_KEY] not in merged]
    top = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    return top, [top, *rest]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OutrightAnswerIntent(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> OutrightAnswerIntent:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT)
            if not intent:
                continue
            changed = answered(intent, message.get(INTENT_RANKING_KEY) or [intent], message.get(TEXT))
            if changed is not None:
                top, ranking = changed
                message.set(INTENT, top, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
