"""The Swedish tokenizer (nlu/components/swedish_tokenizer.py): folded lemmas, exact spans."""
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components.swedish_tokenizer import SwedishTokenizer


def _tokens(text: str, **config):
    return SwedishTokenizer({**SwedishTokenizer.get_default_config(), **config}).tokenize(Message({TEXT: text}), TEXT)


def test_text_with_and_without_aao_gets_the_same_lemmas():
    assert [t.lemma for t in _tokens("Krävs läkarintyg för sysselsättning?")] == [
        t.lemma for t in _tokens("kravs lakarintyg for sysselsattning")
    ]


def test_tokens_keep_the_spelling_and_offsets_of_the_text_and_digits_split_off():
    text = "Hon är 28-åring och vill ha 4:2"
    tokens = _tokens(text, token_pattern="\\d+|\\D+")
    assert [t.text for t in tokens] == ["Hon", "är", "28", "-åring", "och", "vill", "ha", "4", ":", "2"]
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert [t.lemma for t in tokens][:2] == ["hon", "ar"]


def test_punctuation_is_dropped_but_a_lone_symbol_still_gives_one_token():
    assert [t.text for t in _tokens("ja, det stämmer!")] == ["ja", "det", "stämmer"]
    assert [t.text for t in _tokens("?")] == ["?"]


def test_each_piece_the_token_pattern_splits_off_gets_its_own_folded_lemma():
    # Rasa's _apply_token_pattern copies the whole token's lemma to every piece ("23aring" twice).
    tokens = _tokens("23åring pk1", token_pattern="\\d+|\\D+")
    assert [(t.text, t.lemma) for t in tokens] == [("23", "23"), ("åring", "aring"), ("pk", "pk"), ("1", "1")]


def test_chat_shorthand_gets_the_lemma_of_the_word_it_stands_for_as_the_fact_reader_reads_it():
    # One owner of the shorthand (nlu/fact_patterns.yaml): "hon e 26 o har ngn kontakt m psyk"
    # is the same words to the intent features as written out.
    assert [t.lemma for t in _tokens("hon e 26 o har ngn kontakt m psyk")] == [
        t.lemma for t in _tokens("Hon är 26 och har någon kontakt med psyk")
    ]


def test_shorthand_changes_the_lemma_only_so_spans_keep_the_text_as_typed():
    tokens = _tokens("vet int")
    assert [(t.text, t.lemma) for t in tokens] == [("vet", "vet"), ("int", "inte")]
