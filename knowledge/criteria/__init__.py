"""The criteria checker: the insatser's rules as data, evaluated three-valued, with sources.

    check(facts, on=None)          -> the SPEC check result (dict, JSON-serialisable)
    validate_facts(raw)            -> normalised facts, or FactsError with Swedish .errors
    FACTS                          -> the fact schema (facts.yaml)
    next_facts_to_ask(result)      -> the unstated facts whose answer can change the recommendation, best first
    next_question.next_question()  -> what the dialogue asks next (behov first, None = recommend now)
    presentation.present(result)   -> the labels and citations every client shows (done by check)
    load_interventions(on=None)    -> the rule files as plain data
"""
from knowledge.criteria.checker import check, load_interventions, next_facts_to_ask
from knowledge.criteria.facts import FACTS, FactsError, validate_facts

__all__ = ["FACTS", "FactsError", "check", "load_interventions", "next_facts_to_ask", "validate_facts"]
