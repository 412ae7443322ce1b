"""The real index and embedding model on the labelled questions: the measured levels hold.

The guideline set's held-out half and the fresh sets' check halves are guarded at what this version
reaches (docs/retrieval.md), below issue 14's targets (Recall@5 0.97, Recall@1 0.85), which it does
not meet yet.

Uses the current index (make index) or builds one in a temporary directory (about 40 s).
"""
import pytest

from knowledge.retrieval import load_retriever
from knowledge.retrieval.evaluate import (FRESH2_EVAL_FILE, FRESH3_EVAL_FILE, FRESH4_EVAL_FILE, FRESH5_EVAL_FILE, FRESH6_EVAL_FILE, FRESH_EVAL_FILE, FRESH_EVAL_FILES,
                                         LEGACY_EVAL_FILE, evaluate_modes, load_questions, quote_contains, quote_metrics, set_name)
from knowledge.retrieval.index import build_index, is_current
from knowledge.settings import KnowledgeSettings


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    settings = KnowledgeSettings()
    if not is_current(settings):
        settings = KnowledgeSettings(index_dir=tmp_path_factory.mktemp("index"), embedding_model=settings.embedding_model)
        build_index(settings)
    return load_retriever(settings)


@pytest.mark.slow
def test_hybrid_beats_bm25_dense_and_the_hand_set_fusion_on_the_held_out_guideline_questions(retriever):
    questions = load_questions(split="heldout")
    results = evaluate_modes(retriever, questions)
    bm25, dense, convex, hybrid = (results[name] for name in ("bm25", "dense", "convex", "hybrid"))
    assert hybrid["recall@5"] >= 0.95 and hybrid["recall@1"] >= 0.84 and hybrid["mrr@10"] >= 0.89
    assert hybrid["mrr@10"] > max(bm25["mrr@10"], dense["mrr@10"], convex["mrr@10"])


# (set, Recall@5, Recall@1, MRR@10, quote of the answering passage, quote of the first hit)
# Two levels went down with retr18's phrase feature and its refit (docs/retrieval.md, 2026-12-04):
# fresh4's Recall@1 0.60 -> 0.55 (39 -> 36 of 65) and fresh6's Recall@5 0.89 -> 0.87 (44 -> 43 of
# 49), while the six check halves gained 8 at rank 1 and 4 in the top 5 and the held-out half 2 and 1.
CHECK_HALVES = [(FRESH_EVAL_FILE, 0.93, 0.82, 0.87, 0.82, 0.70), (FRESH2_EVAL_FILE, 0.93, 0.79, 0.86, 0.86, 0.67),
                (FRESH3_EVAL_FILE, 0.94, 0.84, 0.88, 0.89, 0.78), (FRESH4_EVAL_FILE, 0.89, 0.55, 0.67, 0.75, 0.49),
                (FRESH5_EVAL_FILE, 0.87, 0.72, 0.79, 0.84, 0.63), (FRESH6_EVAL_FILE, 0.87, 0.69, 0.76, 0.75, 0.59)]


def test_every_fresh_sets_check_half_has_a_measured_level_to_keep():
    assert [half[0] for half in CHECK_HALVES] == list(FRESH_EVAL_FILES)


@pytest.mark.slow
@pytest.mark.parametrize("path, recall5, recall1, mrr, quote_given_passage, quote1", CHECK_HALVES, ids=[set_name(h[0]) for h in CHECK_HALVES])
def test_the_fresh_sets_check_halves_keep_their_measured_level(retriever, path, recall5, recall1, mrr, quote_given_passage, quote1):
    questions = load_questions(path, split="check")
    # One question of slack: with the same adapted model (hash 178c0a53…) and index inputs, fresh4's
    # check half had 39 of 65 at rank 1 on session 15's machine and 38 on session 17's (AMD EPYC): a
    # near tie at rank 1 falls differently with the CPU's float kernels. A real loss is more than one.
    slack = 1 / len(questions) + 0.00005  # the metrics come rounded to four places
    hybrid = evaluate_modes(retriever, questions, modes=("hybrid",))["hybrid"]
    assert hybrid["recall@5"] >= recall5 - slack and hybrid["recall@1"] >= recall1 - slack and hybrid["mrr@10"] >= mrr - slack
    quotes = quote_metrics(retriever, questions)
    assert quotes["quote_given_passage"] >= quote_given_passage - slack and quotes["quote@1"] >= quote1 - slack


@pytest.mark.slow
def test_the_quote_of_the_answering_passage_holds_the_answering_sentence(retriever):
    quotes = quote_metrics(retriever, load_questions(split="heldout"))
    assert quotes["quote_given_passage"] >= 0.86 and quotes["quote@1"] >= 0.71


@pytest.mark.slow
def test_the_set_earlier_work_tuned_on_still_meets_its_targets(retriever):
    hybrid = evaluate_modes(retriever, load_questions(LEGACY_EVAL_FILE), modes=("hybrid",))["hybrid"]
    assert hybrid["recall@5"] >= 0.98 and hybrid["mrr@10"] >= 0.80


@pytest.mark.slow
def test_sysselsattning_and_4_2_at_the_same_time_is_answered_with_the_parallel_sentence(retriever):
    question = "Kan någon ha sysselsättning och 4:2-insatsen samtidigt?"
    hits = retriever.search(question, k=2)
    parallel = next(hit.passage for hit in hits if hit.passage.section == "4.2.2")
    assert quote_contains(retriever.quote(question, parallel), "parallellt delta i kommunala arbetsmarknadsinsatser")


@pytest.mark.slow
def test_whether_daglig_verksamhet_is_the_same_as_sysselsattning_is_answered_with_their_two_laws(retriever):
    # "samma sak" shares no word with "regleras … respektive": bridged by the paraphrase lexicon.
    for question in ("ar daglig verksamhet och sysselsattning samma sak?", "Är daglig verksamhet samma som sysselsättning?"):
        hit = retriever.search(question, k=1)[0]
        assert quote_contains(retriever.quote(question, hit.passage), "9 § p 10 LSS"), question


@pytest.mark.slow
def test_how_often_sysselsattning_is_followed_up_is_answered_with_the_six_month_sentence(retriever):
    # "hur ofta" shares no word with "var sjätte månad": bridged by the paraphrase lexicon.
    question = "hur ofta ska en sysselsattning foljas upp?"
    hit = retriever.search(question, k=1)[0]
    assert quote_contains(retriever.quote(question, hit.passage), "sjätte månad")
    assert "2.3" in [h.passage.section for h in retriever.search(question, k=3)]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("handläggning och kriterier 4 kap 2", "4.2.3"),
        ("Younes", "CASEBESKRIVNINGAR"),
        ("hur ansoker man om samordnad rehabilitering hos FK", "5.2.2"),
        ("Kompetensverkstan", "UTVECKLA DET UPPSOKANDE ARBETET MOT UVAS GENOM SAMVERKAN"),
        # no word in common with its answer but "4:2": reached through the paraphrase lexicon
        ("hur lång tid kan man ha 4:2-insatsen", "Tidsbegränsning av beslutet"),
    ],
)
def test_key_questions_find_their_section_in_the_top_three(retriever, query, section):
    assert section in [hit.passage.section for hit in retriever.search(query, k=3)]
