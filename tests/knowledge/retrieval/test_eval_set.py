"""The labelled question set is big enough, varied, split, and its labels point at real passages."""
from collections import Counter

from knowledge.corpus import load_passages
from knowledge.retrieval.evaluate import load_questions


def test_at_least_80_questions_in_a_dev_and_a_test_half():
    questions = load_questions()
    splits = Counter(q.split for q in questions)
    assert len(questions) >= 80 and set(splits) == {"dev", "test"}
    assert min(splits.values()) >= 0.4 * len(questions)
    assert len({q.id for q in questions}) == len(questions)


def test_every_label_names_an_existing_passage_of_its_section():
    by_id = {p.id: p for p in load_passages()}
    for question in load_questions():
        for passage_id, (doc, section) in zip(question.passages, question.sections):
            assert passage_id in by_id, (question.id, passage_id)
            assert (by_id[passage_id].doc, by_id[passage_id].section) == (doc, section), question.id


def test_questions_are_typed_the_way_people_type():
    texts = [q.text for q in load_questions()]
    assert sum(not any(c in t.lower() for c in "åäö") and len(t.split()) > 3 for t in texts) >= 10
    assert sum(any(a in t.split() for a in ("4:2", "FK", "AF", "SIP", "LSS", "DUR", "FINSAM", "IPS")) for t in texts) >= 8
    assert sum(len(t.split()) <= 3 for t in texts) >= 10 and sum(len(t.split()) >= 8 for t in texts) >= 10
