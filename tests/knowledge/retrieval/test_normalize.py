import pytest

from knowledge.retrieval.normalize import expansions, mark_legal_references


@pytest.mark.parametrize(
    "written",
    ["4:2", "4 kap 2 §", "4 kap. 2 §", "4 kap. § 2", "4kap2", "4 kap 2§", "4:2-insats"],
)
def test_every_spelling_of_chapter_4_paragraph_2_is_one_token(written):
    assert mark_legal_references(written).split()[0] == "4kap2"


@pytest.mark.parametrize("written", ["(2001:453)", "kl 10:30", "SOU 2006:100"])
def test_sfs_numbers_and_times_are_not_legal_references(written):
    assert "kap" not in mark_legal_references(written)


@pytest.mark.parametrize(
    ("abbreviation", "expanded"),
    [("FK", "försäkringskassan"), ("af", "arbetsförmedlingen"), ("SoL", "socialtjänstlagen"), ("SIP", "samordnad individuell plan"),
     ("fsd", "försörjningsstöd"), ("soc", "socialtjänsten"), ("psyk", "psykiatri"), ("ek", "ekonomiskt"), ("DV", "daglig verksamhet"),
     ("syss", "sysselsättning"), ("sgi", "sjukpenninggrundande inkomst")],
)
def test_abbreviations_bring_their_expansion(abbreviation, expanded):
    assert expanded in expansions(abbreviation)


def test_se_expands_only_in_capitals_because_se_is_also_a_verb():
    assert expansions("SE") == "supported employment"
    assert expansions("se") is None
