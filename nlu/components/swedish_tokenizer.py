"""A Swedish tokenizer for Rasa: spaCy's Swedish rules, lemma lookups and å/ä/ö folding.

Handläggare often type without å/ä/ö ("sysselsattning", "forsorjningsstod") and in inflected
forms ("insatserna", "handläggaren"). Giving every token a lemma that is looked up in spaCy's
Swedish table and then folded lets the count-vector featurizers (which use `token.lemma`) see
"Sysselsättningen" and "sysselsattning" as the same feature, while `token.text` keeps the
original spelling so entity spans stay exact. No downloaded language model is needed.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from knowledge.ingest.swedish import fold

# spaCy splits these off as tokens of their own; like Rasa's whitespace tokenizer we drop
# them, but keep tokens such as "4:2", "28-åring" and "§" that carry meaning here.
_DROPPED_PUNCTUATION = set(".,!?;:()[]{}\"'«»”“–—…")


@lru_cache(maxsize=1)
def _swedish_lemma_table() -> Dict[str, str]:
    from spacy.lookups import load_lookups

    table = load_lookups("sv", ["lemma_lookup"]).get_table("lemma_lookup")
    return dict(table.items())


@lru_cache(maxsize=1)
def _swedish_tokenizer():
    return spacy.blank("sv").tokenizer


def swedish_lemma(word: str) -> str:
    """The folded lookup lemma of one word ("Insatserna" -> "insats", "sysselsattning" stays)."""
    lower = word.lower()
    return fold(_swedish_lemma_table().get(lower, lower))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class SwedishTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return ["sv"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SwedishTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        tokens = [
            Token(word.text, word.idx, lemma=swedish_lemma(word.text))
            for word in _swedish_tokenizer()(text)
            if not word.is_space and word.text not in _DROPPED_PUNCTUATION
        ]
        if not tokens:
            # Rasa needs at least one token per message (e.g. a lone "?" or emoji).
            tokens = [Token(text, 0, lemma=fold(text.lower()))]
        return self._apply_token_pattern(tokens)
