"""The labelled question sets are big enough, varied, split, and their labels point at real passages
and quote words the passage really holds."""
from collections import Counter

import pytest

from knowledge.corpus import load_passages
from knowledge.ingest.swedish import fold
from knowledge.retrieval.evaluate import (EVAL_FILE, FRESH2_EVAL_FILE, FRESH3_EVAL_FILE, FRESH4_EVAL_FILE, FRESH5_EVAL_FILE, FRESH6_EVAL_FILE, FRESH_EVAL_FILE, FRESH_EVAL_FILES,
                                         LABELLED_EVAL_FILES, LEGACY_EVAL_FILE, SUBSETS, load_questions, set_name)
from tests.near_copies import near_copies

ABBREVIATIONS = ("4:2", "FK", "fk", "AF", "af", "LSS", "DUR", "dur", "SIP", "FINSAM", "IPS", "fsd", "soc", "psyk", "ek")


def test_the_guideline_set_has_120_questions_a_third_folded_or_with_typos_in_two_halves():
    questions = load_questions(EVAL_FILE)
    assert len(questions) >= 120 and len({q.id for q in questions}) == len(questions)
    subsets = Counter(q.subset for q in questions)
    assert set(subsets) == set(SUBSETS) and subsets["folded"] + subsets["typo"] >= len(questions) / 3
    for subset in SUBSETS:
        halves = Counter(q.split for q in questions if q.subset == subset)
        assert set(halves) == {"tune", "heldout"} and abs(halves["tune"] - halves["heldout"]) <= 1, subset


def test_folded_questions_have_no_swedish_letters_and_clean_ones_keep_them_where_the_words_need_them():
    questions = load_questions(EVAL_FILE)
    assert all(not any(c in q.text.lower() for c in "åäö") for q in questions if q.subset == "folded")
    assert sum(any(c in q.text.lower() for c in "åäö") for q in questions if q.subset == "clean") >= 0.8 * sum(q.subset == "clean" for q in questions)


def test_questions_use_the_abbreviations_handlaggare_type():
    texts = [q.text for q in load_questions(EVAL_FILE)]
    used = {a for a in ABBREVIATIONS for t in texts if a in t.replace(",", " ").replace("?", " ").split()}
    assert {"4:2", "fsd", "soc", "psyk", "ek", "LSS"} <= used | {a.lower() for a in used}
    assert sum(len(t.split()) >= 15 for t in texts) >= 5  # case narratives, not only keywords


@pytest.mark.parametrize("path", [*LABELLED_EVAL_FILES, LEGACY_EVAL_FILE], ids=set_name)
def test_every_label_names_an_existing_passage_of_its_section(path):
    by_id = {p.id: p for p in load_passages()}
    for question in load_questions(path):
        for passage_id, (doc, section) in zip(question.passages, question.sections):
            assert passage_id in by_id, (question.id, passage_id)
            assert (by_id[passage_id].doc, by_id[passage_id].section) == (doc, section), question.id


@pytest.mark.parametrize("path", LABELLED_EVAL_FILES, ids=set_name)
def test_every_quote_label_is_words_of_its_passage(path):
    by_id = {p.id: p for p in load_passages()}
    questions = load_questions(path)
    assert all(all(q.quotes) for q in questions)
    for question in questions:
        for passage_id, words in zip(question.passages, question.quotes):
            assert fold(" ".join(words.split())).lower() in fold(" ".join(by_id[passage_id].text.split())).lower(), (question.id, words)


def test_no_guideline_question_is_copied_from_the_set_earlier_work_tuned_on():
    legacy = {fold(q.text).lower().strip(" ?") for q in load_questions(LEGACY_EVAL_FILE)}
    assert not [q.id for q in load_questions(EVAL_FILE) if fold(q.text).lower().strip(" ?") in legacy]


# The size each fresh set was written to.
FRESH_SIZES = {FRESH_EVAL_FILE: 100, FRESH2_EVAL_FILE: 120, FRESH3_EVAL_FILE: 150, FRESH4_EVAL_FILE: 120, FRESH5_EVAL_FILE: 60, FRESH6_EVAL_FILE: 100}


def test_every_fresh_set_has_a_size_to_keep():
    assert set(FRESH_SIZES) == set(FRESH_EVAL_FILES)


@pytest.mark.parametrize("path, size", FRESH_SIZES.items(), ids=[set_name(p) for p in FRESH_SIZES])
def test_the_fresh_sets_are_big_a_third_folded_or_with_typos_in_tune_and_check_halves(path, size):
    questions = load_questions(path)
    assert len(questions) >= size and len({q.id for q in questions}) == len(questions)
    subsets = Counter(q.subset for q in questions)
    assert set(subsets) == set(SUBSETS) and subsets["folded"] + subsets["typo"] >= len(questions) / 3
    assert all(not any(c in q.text.lower() for c in "åäö") for q in questions if q.subset == "folded")
    for subset in SUBSETS:
        halves = Counter(q.split for q in questions if q.subset == subset)
        assert set(halves) == {"tune", "check"} and abs(halves["tune"] - halves["check"]) <= 1, subset


def _words(text: str) -> set[str]:
    return set(fold(text).lower().replace("?", " ").replace(",", " ").split())


@pytest.mark.parametrize("path, earlier", [(path, (EVAL_FILE, LEGACY_EVAL_FILE, *FRESH_EVAL_FILES[:i])) for i, path in enumerate(FRESH_EVAL_FILES)],
                         ids=[set_name(p) for p in FRESH_EVAL_FILES])
def test_no_fresh_question_is_a_near_copy_of_a_question_of_the_other_sets(path, earlier):
    # A near copy would carry a held-out question of an earlier set into a fresh tune half.
    others = [q.text for other_path in earlier for q in load_questions(other_path)]
    assert near_copies([q.text for q in load_questions(path)], others, _words) == []


def test_the_fresh_set_covers_the_sections_the_first_set_labels_least():
    # Every section of 004 and 001 that states a rule, a criterion or a cost is asked about.
    labelled = {(doc[:3], section) for q in load_questions(FRESH_EVAL_FILE) for doc, section in q.sections}
    wanted = {("004", "Tidsbegränsning av beslutet"), ("004", "Individuella bedömningar"),
              ("001", "Kostnadsförändringar utifrån socialförvaltningens förslag"), ("001", "Förvaltningens synpunkter och förslag")}
    assert wanted <= labelled
    assert len({s for d, s in labelled if d == "004"}) >= 10
