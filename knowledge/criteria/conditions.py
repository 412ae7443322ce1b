"""Conditions over facts, compiled once into three-valued (Kleene) functions.

A condition is data in the rule files:

    {fact: primart_mal, in: [arbete, studier]}
    {fact: alder, within: yrkesverksam_alder}        # a named range in parameters.yaml
    {fact: alder, at_least: 65}   {fact: alder, at_most: 34}
    {fact: forsorjningsstod, is: true}
    {fact: samtycke_finsam, known: false}           # steps only: never unknown, so not monotone
    {all: [...]}   {any: [...]}   {not: {...}}

Evaluating gives True, False or None (unknown). Kleene's strong logic is monotone:
learning a further fact can settle an unknown condition but never flip a settled one.
A value the fact schema lists under `unclear` (primart_mal: oklart) is stated but reads as
unknown: "the goal is unclear" settles nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Truth = bool | None
Facts = Mapping[str, Any]

COMPARISONS = ("is", "in", "at_least", "at_most", "within", "known")
CONNECTIVES = ("all", "any", "not")


@dataclass(frozen=True)
class Condition:
    evaluate: Callable[[Facts], Truth]
    facts: tuple[str, ...]  # every fact the condition reads, in first-use order
    ranges: tuple[str, ...] = ()  # the named ranges (parameters.yaml) it compares with
    # For int facts, the values where the condition can change its answer (each bound and its
    # neighbours): enough answers to try when asking what a question could change.
    cuts: tuple[tuple[str, int], ...] = ()
    monotone: bool = True  # False once a `known` test is inside


class ConditionError(ValueError):
    pass


def compile_condition(
    spec: Any, schema: Mapping[str, Mapping[str, Any]], ranges: Mapping[str, tuple[int, int]], where: str
) -> Condition:
    if not isinstance(spec, Mapping) or not spec:
        raise ConditionError(f"{where}: a condition must be a non-empty mapping, got {spec!r}")
    if "fact" in spec:
        return _comparison(spec, schema, ranges, where)
    if len(spec) != 1 or next(iter(spec)) not in CONNECTIVES:
        raise ConditionError(f"{where}: expected one of fact/{'/'.join(CONNECTIVES)}, got {sorted(spec)}")
    op, operand = next(iter(spec.items()))
    if op == "not":
        inner = compile_condition(operand, schema, ranges, where)
        return Condition(_negation(inner.evaluate), inner.facts, inner.ranges, inner.cuts, inner.monotone)
    if not isinstance(operand, list) or len(operand) < 2:
        raise ConditionError(f"{where}: '{op}' needs a list of at least two conditions")
    parts = [compile_condition(part, schema, ranges, where) for part in operand]
    evaluators = tuple(part.evaluate for part in parts)
    facts = tuple(dict.fromkeys(name for part in parts for name in part.facts))
    used = tuple(dict.fromkeys(name for part in parts for name in part.ranges))
    cuts = tuple(dict.fromkeys(cut for part in parts for cut in part.cuts))
    monotone = all(part.monotone for part in parts)
    return Condition(_kleene(evaluators, decisive=(op == "any")), facts, used, cuts, monotone)


def _comparison(spec: Mapping[str, Any], schema, ranges, where: str) -> Condition:
    name = spec["fact"]
    if name not in schema:
        raise ConditionError(f"{where}: unknown fact {name!r}")
    ops = [key for key in spec if key != "fact"]
    if len(ops) != 1 or ops[0] not in COMPARISONS:
        raise ConditionError(f"{where}: {name} needs exactly one of {COMPARISONS}, got {ops}")
    op, operand = ops[0], spec[ops[0]]
    fact = schema[name]
    unclear = frozenset(fact.get("unclear", ()))
    if op == "known":
        if not isinstance(operand, bool):
            raise ConditionError(f"{where}: {name} 'known' needs true or false")
        return Condition(_known(name, operand, unclear), (name,), monotone=False)
    if op == "is":
        _check_value(fact, operand, f"{where}: {name}")
        return Condition(_member(name, frozenset([operand]), unclear), (name,))
    if op == "in":
        if not isinstance(operand, list) or not operand:
            raise ConditionError(f"{where}: {name} 'in' needs a non-empty list")
        for value in operand:
            _check_value(fact, value, f"{where}: {name}")
        return Condition(_member(name, frozenset(operand), unclear), (name,))
    if fact["type"] != "int":
        raise ConditionError(f"{where}: '{op}' needs an int fact, {name} is {fact['type']}")
    if op == "within":
        if operand not in ranges:
            raise ConditionError(f"{where}: unknown range {operand!r}; known: {sorted(ranges)}")
        low, high = ranges[operand]
        return Condition(_between(name, low, high), (name,), (operand,), _cuts(name, low, high))
    if not isinstance(operand, int) or isinstance(operand, bool):
        raise ConditionError(f"{where}: {name} '{op}' needs an integer")
    low, high = (operand, None) if op == "at_least" else (None, operand)
    return Condition(_between(name, low, high), (name,), cuts=_cuts(name, low, high))


def _cuts(name: str, low: int | None, high: int | None) -> tuple[tuple[str, int], ...]:
    points = ([low - 1, low] if low is not None else []) + ([high, high + 1] if high is not None else [])
    return tuple((name, point) for point in points)


def _check_value(fact: Mapping[str, Any], value: Any, where: str) -> None:
    kind = fact["type"]
    valid = (
        isinstance(value, bool)
        if kind == "bool"
        else (type(value) is int and fact["min"] <= value <= fact["max"])
        if kind == "int"
        else (type(value) in (str, int) and value in fact["values"])
    )
    if not valid:
        raise ConditionError(f"{where}: {value!r} is not a valid {kind} value")


def _member(name: str, allowed: frozenset, unclear: frozenset) -> Callable[[Facts], Truth]:
    def evaluate(facts: Facts) -> Truth:
        value = facts.get(name)
        return None if value is None or value in unclear else value in allowed

    return evaluate


def _known(name: str, expected: bool, unclear: frozenset) -> Callable[[Facts], Truth]:
    def evaluate(facts: Facts) -> Truth:
        value = facts.get(name)
        return (value is not None and value not in unclear) is expected

    return evaluate


def _between(name: str, low: int | None, high: int | None) -> Callable[[Facts], Truth]:
    def evaluate(facts: Facts) -> Truth:
        value = facts.get(name)
        if value is None:
            return None
        return (low is None or value >= low) and (high is None or value <= high)

    return evaluate


def _negation(inner: Callable[[Facts], Truth]) -> Callable[[Facts], Truth]:
    def evaluate(facts: Facts) -> Truth:
        value = inner(facts)
        return None if value is None else not value

    return evaluate


def _kleene(parts: tuple[Callable[[Facts], Truth], ...], decisive: bool) -> Callable[[Facts], Truth]:
    """Kleene's "all" (decisive False) or "any" (decisive True): one decisive part settles it,
    otherwise any unknown part leaves it unknown."""
    def evaluate(facts: Facts) -> Truth:
        unknown = False
        for part in parts:
            value = part(facts)
            if value is decisive:
                return decisive
            unknown = unknown or value is None
        return None if unknown else not decisive

    return evaluate
