"""Every section the rules cite must exist in the knowledge base's passage index."""
from knowledge.criteria import FACTS
from knowledge.criteria.schema import Source, load_rulebook


def _cited():
    cited = load_rulebook().sources()
    cited += [(f"fact {name}", Source(**spec["source"])) for name, spec in FACTS.items() if "source" in spec]
    return cited


def test_every_cited_section_exists_in_the_passage_index():
    from knowledge.corpus import load_passages

    indexed = {(passage.doc, passage.section) for passage in load_passages()}
    missing = sorted({(source.doc, source.section) for _, source in _cited()} - indexed)
    assert not missing, f"cited but not in the passage index: {missing}"


def test_every_criterion_step_and_referral_carries_a_source():
    rulebook = load_rulebook()
    places = {where.split(" ")[0].split(".")[0] for where, _ in rulebook.sources()}
    assert {item.id for item in rulebook.interventions} <= places
    assert all(step.source for steps in rulebook.checklists.values() for step in steps)
    assert all(referral.source for referral in rulebook.referrals)


def test_every_indication_carries_a_cited_source():
    rulebook = load_rulebook()
    cited = {where for where, _ in rulebook.sources()}
    indications = [(item.id, i.id) for item in rulebook.interventions for i in item.indications]
    assert indications, "the goal indications (002 §3.2, §3.3) are read from the rule files"
    assert all(f"{key}.{name}" in cited for key, name in indications)
