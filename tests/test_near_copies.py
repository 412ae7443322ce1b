from tests.near_copies import near_copies


def _words(text: str) -> set[str]:
    return set(text.lower().split())


def test_a_message_sharing_most_of_its_words_with_another_is_a_near_copy():
    others = ["har hon försörjningsstöd idag", "vad krävs för insteg"]
    assert near_copies(["har hon försörjningsstöd nu", "kan han få sysselsättning"], others, _words) == [
        "har hon försörjningsstöd nu"]


def test_the_rule_counts_distinct_words_and_stops_below_sixty_percent():
    # 3 of 5 distinct words shared is 60 %: a near copy; 2 of 6 is not.
    assert near_copies(["a b c d"], ["a b c e"], _words) == ["a b c d"]
    assert near_copies(["a b c d"], ["a b e f"], _words) == []
