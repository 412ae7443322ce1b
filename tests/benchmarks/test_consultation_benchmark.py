"""The consultation benchmark's simulated handläggare and its table (the figures themselves are
printed by `make bench`, not asserted here)."""
from benchmarks.consultation import Played, answer, load, table
from knowledge.criteria import FACTS
from knowledge.criteria.next_question import BEHOV_SYFTE_MAL

CASE = {"behov": "struktur i vardagen", "known": {"alder": 23, "forsorjningsstod": False, "primart_mal": "arbete"}}


def test_the_simulated_handlaggare_answers_from_what_is_known_and_says_vet_inte_otherwise():
    assert answer(BEHOV_SYFTE_MAL, CASE).text == "struktur i vardagen"
    assert answer("forsorjningsstod", CASE).intent == "deny"
    assert answer("primart_mal", CASE).entity("svar") == "arbete"
    assert answer("alder", CASE).text == "23"
    assert answer("kontakt_specialistpsykiatri", CASE).intent == "dont_know"
    assert answer(BEHOV_SYFTE_MAL, {"behov": "vet inte", "known": {}}).intent == "dont_know"


def test_the_table_gives_median_and_max_per_persona_and_overall():
    played = [Played("a", "Johan", "heldout", ["x"] * 2, "s", "s"), Played("b", "Johan", "heldout", ["x"] * 6, None, "s")]
    assert table(played) == [("Johan", 2, 4.0, 6, 1), ("alla", 2, 4.0, 6, 1)]


def test_the_consultations_cover_the_four_personas_in_both_halves_with_valid_facts():
    cases = load()
    for split in ("tuning", "heldout"):
        assert {c["persona"] for c in cases if c["split"] == split} == {"Johan", "Josef", "Johanna", "Younes"}
    for case in cases:
        assert set(case["known"]) <= set(FACTS), case["id"]
    assert len({c["id"] for c in cases}) == len(cases)
