"""The paraphrase lexicon: everyday question words bridged to the documents' wording."""
import re

import pytest

from knowledge.corpus import load_passages
from knowledge.corpus.passage import Passage
from knowledge.ingest.swedish import fold
from knowledge.retrieval.paraphrase import LEXICON_FILE, lexicon, paraphrase_words
from tests.knowledge.retrieval.tiny import GOVERNING, tiny_retriever


def test_a_question_typed_with_or_without_swedish_letters_gets_the_documents_words():
    assert "tidsbegränsning" in paraphrase_words("Hur länge kan man få stödet?")
    assert "tidsbegränsning" in paraphrase_words("hur lange kan man fa stodet")
    assert "parallellt" in paraphrase_words("kan man kombinera sysselsättning med jobbtorg")


def test_a_question_about_how_often_gets_the_documents_frequency_words():
    assert "sjätte" in paraphrase_words("hur ofta ska insatsen följas upp")
    assert "sjätte" not in paraphrase_words("ska insatsen följas upp")


def test_a_phrase_matches_only_as_consecutive_words():
    assert "tidsbegränsning" not in paraphrase_words("hur gick det, var det länge sedan")
    assert paraphrase_words("kriterier 4:2 socialpsykiatri") == paraphrase_words("kriterier")


def test_a_question_without_lexicon_words_gets_nothing():
    assert paraphrase_words("Younes vårdkontakt") == ""


def test_every_bridged_word_is_a_word_of_the_guidelines():
    corpus_words = {fold(w) for p in load_passages() for w in re.findall(r"[^\W\d_]+", p.text + " " + p.title)}
    bridged = {fold(w) for _, documents in lexicon() for w in documents.split() if not w.isdigit()}
    assert not bridged - corpus_words, sorted(bridged - corpus_words)


def test_an_entry_without_document_words_is_refused(tmp_path):
    broken = tmp_path / "paraphrases.yaml"
    broken.write_text("paraphrases:\n- asked: [hur länge]\n  documents: ''\n", encoding="utf-8")
    with pytest.raises(ValueError, match="documents"):
        lexicon(broken)
    assert lexicon(LEXICON_FILE)  # the shipped lexicon loads


def test_a_question_sharing_no_content_word_with_its_answer_finds_it_through_the_lexicon():
    passages = [
        Passage("002-4.2.2-1", GOVERNING, "4.2.2", ["4.2.2 Ansökan"], "Ansökan",
                "Personer med sysselsättning kan parallellt delta i kommunala arbetsmarknadsinsatser.", 17),
        Passage("002-2.2-1", GOVERNING, "2.2", ["2.2 Omfattning"], "Omfattning",
                "Sysselsättning delas in i tidsintervaller.", 9),
    ]
    retriever = tiny_retriever(passages=passages)
    assert retriever.paraphrase_terms("kombinera sysselsättning")
    assert retriever.search("kombinera sysselsättning", k=1, mode="bm25")[0].passage.id == "002-4.2.2-1"
    assert retriever.paraphrase_terms("sysselsättning omfattning") == ()


def test_the_quote_picks_the_sentence_in_the_documents_wording(monkeypatch):
    passages = [
        Passage("004-tidsbegransning-1", "004_ca182c97e8b47f88.txt", "Tidsbegränsning", ["Tidsbegränsning"], "Tidsbegränsning",
                "Insatsen avser stöd till arbete. Den ges under en begränsad tid om två år.", None),
    ]
    retriever = tiny_retriever(passages=passages)
    # the stand-in model's hashed-word cosines would outweigh the words; the words are under test
    monkeypatch.setattr("knowledge.retrieval.search.QUOTE_DENSE_WEIGHT", 0.0)
    assert "två år" in retriever.quote("hur länge varar det", passages[0], limit=60)
    monkeypatch.setattr("knowledge.retrieval.search.paraphrase_words", lambda query: "")
    retriever = tiny_retriever(passages=passages)  # a retriever keeps what it read of a question
    assert "två år" not in retriever.quote("hur länge varar det", passages[0], limit=60)


def test_asking_what_the_target_group_is_gets_the_words_of_its_definition():
    assert "väsentliga svårigheter" in paraphrase_words("vad ar malgruppen")
    assert "väsentliga svårigheter" in paraphrase_words("Vilka ingår i målgruppen för sysselsättning?")
    assert "väsentliga svårigheter" in paraphrase_words("vad menas med socialpsykiatrins malgrupp?")
    assert "väsentliga svårigheter" not in paraphrase_words("tillhör hon målgruppen")
