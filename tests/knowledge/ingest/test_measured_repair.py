"""The repair measured on the real scans: out-of-vocabulary share and word error rate both fall."""
import pytest

from knowledge.ingest.report import corpus_report


@pytest.fixture(scope="module")
def report():
    return corpus_report()


def test_fewer_words_fall_outside_the_clean_documents_vocabulary(report):
    for numbers in report["ocr"].values():
        assert numbers["oov_clean_documents"]["after"] < 0.6 * numbers["oov_clean_documents"]["before"]
        assert numbers["oov_swedish_lexicon"]["after"] < 0.4 * numbers["oov_swedish_lexicon"]["before"]


def test_the_hand_corrected_sample_has_few_errors_left(report):
    gold = report["gold_word_error_rate"]
    assert gold["words"] > 800
    assert gold["before"] > 0.2 and gold["after"] < 0.03


def test_passages_are_sized_for_quoting(report):
    passages = report["passages"]
    assert passages["above_250_words"] == 0
    assert passages["below_60_words"] <= 0.1 * passages["count"]
