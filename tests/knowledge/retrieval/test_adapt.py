"""The adaptation's training pairs come from the corpus alone, deterministically."""
from knowledge.corpus import load_passages
from knowledge.ingest.swedish import fold
from knowledge.retrieval.adapt import is_adapted, training_pairs
from knowledge.retrieval.evaluate import FRESH_EVAL_FILES, LEGACY_EVAL_FILE, load_questions
from knowledge.settings import bundled_model_dir


def test_pairs_are_the_same_every_time_and_cover_every_passage():
    passages = load_passages()
    pairs = training_pairs(passages)
    assert pairs == training_pairs(passages)
    assert len({target for _, target in pairs}) == len(passages)


def test_no_question_of_a_reported_half_is_trained_on():
    # (One dev question, "vad är sysselsättning?", is word for word the heading of 002 §1.1,
    # and headings are training queries by design; the test half has no such coincidence.)
    queries = {q.lower() for q, _ in training_pairs(load_passages())}
    reported = load_questions(split="heldout") + load_questions(LEGACY_EVAL_FILE, split="test")
    reported += [q for path in FRESH_EVAL_FILES for q in load_questions(path, split="check")]
    assert len(reported) > 340
    assert not queries & {q.text.lower() for q in reported}


def test_pairs_include_queries_typed_with_abbreviations_and_no_two_pairs_the_model_reads_alike():
    pairs = training_pairs(load_passages())
    queries = [q for q, _ in pairs]
    assert any(q.startswith("tidsintervaller") or "4:2" in q for q in queries)
    # MiniLM's tokenizer strips accents: "försörjningsstöd" and "forsorjningsstod" are one query to it.
    assert len({(fold(q), target) for q, target in pairs}) == len(pairs)


def test_an_empty_directory_is_not_an_adapted_model(tmp_path):
    assert not is_adapted(bundled_model_dir(), load_passages(), tmp_path)
