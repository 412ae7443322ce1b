"""A Swedish tokenizer for Rasa: spaCy's Swedish rules, å/ä/ö folding and chat shorthand.

Handläggare often type without å/ä/ö ("sysselsattning", "forsorjningsstod"). Giving every token
its folded lower-case form as lemma lets the count-vector featurizers (which use `token.lemma`)
see "Sysselsättning" and "sysselsattning" as the same feature, while `token.text` keeps the
original spelling so entity spans stay exact. No downloaded language model is needed. Every
featurizer after this reads the lemma (word and character n-grams, the typo mend), so a message
and its folded copy get the same intent: of the 370 tuning messages with å/ä/ö (2026-12-01),
none changed intent or confidence when folded.

The lemma is the word as the fact reader reads it (nlu.facts.written_out): folded, and chat
shorthand written out from the one list in nlu/fact_patterns.yaml ("e" -> "ar", "o" -> "och",
"ngn" -> "nagon", "int" -> "inte"), so "hon e 26 o har ngn kontakt m psyk" has the words of the
written-out sentence for the intents too.

Each piece the token pattern splits off gets its own lemma: Rasa's `_apply_token_pattern` copies
the whole token's lemma to every piece, so "23åring" became the features "23åring" twice
instead of "23" and "åring", and "28-åring", "23åring" and "35-åring" shared no word feature.

No lookup lemmas: spaCy's Swedish lemma table is keyed by string hashes, so the earlier lookup
with the word itself never matched (every lemma was already the folded word) while loading the
table cost about 2.7 s of CPU at every training and Rasa start. A working lookup (the words of
spacy-lookups-data's table folded, ambiguous folds dropped) was measured for issue 16: on the
tuning half 130 of 131 right against 131, on fresh messages 86 of 87 both
(benchmarks/data/nlu_fresh_check.yaml), for 1.6 s more at every start, so it was left out.
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

from nlu.facts import written_out

# spaCy splits these off as tokens of their own; like Rasa's whitespace tokenizer we drop
# them, but keep tokens such as "4:2", "28-åring" and "§" that carry meaning here.
_DROPPED_PUNCTUATION = set(".,!?;:()[]{}\"'«»”“–—…")


@lru_cache(maxsize=1)
def _swedish_tokenizer():
    return spacy.blank("sv").tokenizer


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
            Token(word.text, word.idx, lemma=written_out(word.text))
            for word in _swedish_tokenizer()(text)
            if not word.is_space and word.text not in _DROPPED_PUNCTUATION
        ]
        if not tokens:
            # Rasa needs at least one token per message (e.g. a lone "?" or emoji).
            tokens = [Token(text, 0, lemma=written_out(text))]
        return [
            Token(token.text, token.start, data=token.data, lemma=written_out(token.text))
            for token in self._apply_token_pattern(tokens)
        ]
