"""One presentation: the text reply, the Teams card and the widget's fields use the same labels,
marks and citations, written into the result by knowledge.criteria.presentation."""
import re
from pathlib import Path

from actions import replies
from assistant.channels import teams_cards
from knowledge.criteria import check
from knowledge.criteria.presentation import CRITERION_LABELS, CRITERION_MARKS, HEADLINE, STATUS_LABELS, citation

ROOT = Path(__file__).resolve().parents[3]
CASE = {"alder": 45, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
        "onskar_narma_sig_arbete_eller_studier": False}


def test_every_criterion_carries_its_mark_label_and_citation():
    for item in check(CASE)["interventions"]:
        assert item["status_label"] == STATUS_LABELS[item["status"]] and item["name"]
        for criterion in item["criteria"]:
            assert criterion["mark"] == CRITERION_MARKS[criterion["status"]]
            assert criterion["status_label"] == CRITERION_LABELS[criterion["status"]]
            assert criterion["citation"] == citation(criterion["source"])


def test_a_bilaga_section_is_cited_the_same_way_everywhere():
    assert citation({"doc": "002_4c615ea3040924b7.txt", "section": "Bilaga 1, 2.3"}) == "002 Bilaga 1, 2.3"
    assert citation({"doc": "002_4c615ea3040924b7.txt", "section": "4.2.3"}) == "002 §4.2.3"


def test_the_text_reply_and_the_teams_card_use_the_same_status_words():
    result = check(CASE)
    change = replies.verdict_changes(check({**CASE, "onskar_narma_sig_arbete_eller_studier": True}), result,
                                     {"onskar_narma_sig_arbete_eller_studier": (True, False)})
    card = teams_cards.recommendation_card({**result, "quotes": []}, "q", "a")["content"]
    texts = str(card["body"])
    for label in {STATUS_LABELS["eligible"], STATUS_LABELS["not_eligible"]}:
        assert label in change and label in texts


def test_the_widget_card_keeps_no_labels_or_citation_format_of_its_own():
    source = (ROOT / "widget" / "src" / "components" / "RecommendationCard.jsx").read_text(encoding="utf-8")
    for words in [*STATUS_LABELS.values(), *CRITERION_LABELS.values(), *HEADLINE.values(), "§"]:
        assert words not in source, words
    for field in ("status_label", "mark", "citation"):
        assert re.search(rf"\.{field}\b", source), field
