from knowledge.retrieval.typos import TypoIndex

TERMS = ["sysselsattning", "rehabilitering", "arbetsrehabiliterande", "insats"]


def test_one_missing_extra_changed_or_swapped_letter_is_corrected():
    typos = TypoIndex(TERMS)
    assert typos.corrections("sysselsatning") == ["sysselsattning"]
    assert typos.corrections("rehabiliterig") == ["rehabilitering"]
    assert typos.corrections("arbetsrehabiliternde") == ["arbetsrehabiliterande"]
    assert typos.corrections("sysselsattning") == []  # already right
    assert typos.corrections("ssyelsattning") == []  # two edits away


def test_short_tokens_are_not_guessed():
    assert TypoIndex(TERMS).corrections("insa") == []
    assert TypoIndex(TERMS).corrections("4kap2") == []
