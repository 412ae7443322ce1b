"""Loads and validates the rule files once, compiling every condition.

Everything the checker needs at call time is built here, so a check does no I/O.
A malformed rule file fails at load with the file and key named.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from knowledge.criteria.conditions import Condition, compile_condition
from knowledge.criteria.facts import ASSESSED_BY, FACTS

HERE = Path(__file__).parent
RULES_DIR = HERE / "rules"
DOC_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")


class RuleFileError(ValueError):
    pass


@dataclass(frozen=True)
class Source:
    doc: str
    section: str

    def as_dict(self) -> dict[str, str]:
        return {"doc": self.doc, "section": self.section}

    def short(self) -> str:
        """"002 §4.2.1", "002 Bilaga 1, 2.3", "004 ”Tidsbegränsning av beslutet”" — for prose."""
        number = self.doc.split("_", 1)[0]
        if self.section[0].isdigit():
            return f"{number} §{self.section}"
        if self.section.startswith("Bilaga"):
            return f"{number} {self.section}"
        return f"{number} ”{self.section}”"


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str
    condition: Condition
    source: Source
    assessed_by: str
    question: str | None  # overrides the question of the criterion's first missing fact
    interpretation: str | None
    see_also: tuple[Source, ...]
    valid_from: date | None
    valid_to: date | None
    # Listed and evaluated only once this is known to hold (försörjningsstöd with Jobbtorg in the
    # planning): while it is false or unknown the criterion holds nothing back.
    applies_if: Condition | None = None
    # One of the criteria that set this insats apart from the others; its passage is quoted first.
    decisive: bool = False
    # The insats's target group (socialpsykiatrins målgrupp, the LSS personkrets): once met, the
    # known facts point to the insats (recommend.choose_provisional).
    target_group: bool = False


@dataclass(frozen=True)
class Intervention:
    id: str
    name: str
    legal_basis: str
    kind: str
    bistandsbedomd: bool
    summary: str
    source: Source
    valid_from: date | None
    valid_to: date | None
    last_verified: date | None
    criteria: tuple[Criterion, ...]
    # What else the known facts can point to this insats with though it is no criterion (the goal
    # the person expresses, 002 §3.2): read only when choosing the provisional insats, never for
    # a status.
    indications: tuple[Criterion, ...] = ()
    # Whether its target group, met alone, points to it when choosing the provisional insats
    # (docs/criteria.md item 14); false where the documents set the insats apart by something else.
    target_group_points: bool = True


@dataclass(frozen=True)
class Referral:
    id: str
    name: str
    condition: Condition
    reason: str
    source: Source
    see_also: tuple[Source, ...]


@dataclass(frozen=True)
class Conflict:
    id: str
    condition: Condition
    text: str
    source: Source
    # Shown only while these insatser have one of these statuses (e.g. Insteg eligible).
    when_status: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    """A way forward when no insats fits (way_forward.yaml)."""
    id: str
    name: str
    text: str
    source: Source
    condition: Condition | None


@dataclass(frozen=True)
class Step:
    text: str
    source: Source
    condition: Condition | None = None


@dataclass(frozen=True)
class PrimaryChoice:
    id: str
    why: str
    source: Source


@dataclass(frozen=True)
class Interval:
    id: str
    min: int
    max: int


@dataclass(frozen=True)
class OmfattningPolicy:
    applies_to_kind: str
    source: Source
    intervals: tuple[Interval, ...]
    prefer_upper: frozenset[str]
    prefer_upper_source: Source


@dataclass(frozen=True)
class RangeParameter:
    name: str
    min: int
    max: int
    interpretation: str
    reference: Source


@dataclass(frozen=True)
class RuleBook:
    interventions: tuple[Intervention, ...]
    referrals: tuple[Referral, ...]
    conflicts: tuple[Conflict, ...]
    checklists: Mapping[str, tuple[Step, ...]]
    # While no insats is eligible: the checklist for a provisional insats other than `utredning`.
    investigations: Mapping[str, str]
    shared_steps: tuple[tuple[Step, frozenset[str]], ...]
    disclaimer: str
    primary_order: tuple[PrimaryChoice, ...]
    complements: frozenset[str]
    supersedes: Mapping[str, frozenset[str]]
    question_weights: Mapping[str, float]
    outcome_weights: Mapping[str, float]  # {"primary": w, "provisional": w}
    unanswered_limit: int  # questions left open ("vet inte") after which the dialogue answers
    omfattning: OmfattningPolicy
    ranges: Mapping[str, RangeParameter]
    routes: tuple[Route, ...]
    cuts: Mapping[str, tuple[int, ...]]  # per int fact, the values where some criterion can change
    version: str

    def intervention(self, intervention_id: str) -> Intervention:
        return next(item for item in self.interventions if item.id == intervention_id)

    def sources(self) -> list[tuple[str, Source]]:
        """Every citation the rules make, with where it is made (for the corpus tie test)."""
        cited = []
        for item in self.interventions:
            cited.append((item.id, item.source))
            for criterion in (*item.criteria, *item.indications):
                cited += [(f"{item.id}.{criterion.id}", s) for s in (criterion.source, *criterion.see_also)]
        for referral in self.referrals:
            cited += [(f"referral {referral.id}", s) for s in (referral.source, *referral.see_also)]
        cited += [(f"conflict {conflict.id}", conflict.source) for conflict in self.conflicts]
        cited += [(f"way forward {route.id}", route.source) for route in self.routes]
        for name, steps in self.checklists.items():
            cited += [(f"steps {name}", step.source) for step in steps]
        cited += [("shared step", step.source) for step, _ in self.shared_steps]
        cited += [(f"primary_order {choice.id}", choice.source) for choice in self.primary_order]
        cited += [("omfattning", self.omfattning.source), ("omfattning", self.omfattning.prefer_upper_source)]
        cited += [(f"parameter {p.name}", p.reference) for p in self.ranges.values()]
        return cited


@lru_cache(maxsize=1)
def load_rulebook(directory: Path = HERE) -> RuleBook:
    texts = {path: path.read_text(encoding="utf-8") for path in _rule_files(directory)}
    parsed = {path.relative_to(directory).as_posix(): yaml.safe_load(text) for path, text in texts.items()}
    ranges = _ranges(parsed["parameters.yaml"])
    bounds = {name: (p.min, p.max) for name, p in ranges.items()}
    policy = parsed["recommendation.yaml"]
    shared = parsed["shared_criteria.yaml"]
    interventions = _interventions(parsed, policy, bounds, ranges, shared)
    known_ids = {item.id for item in interventions}
    checklists, investigations, shared_steps = _steps(parsed["next_steps.yaml"], known_ids, bounds)
    return RuleBook(
        interventions=interventions,
        referrals=tuple(_referral(raw, bounds) for raw in parsed["referrals.yaml"]),
        conflicts=tuple(_conflict(raw, bounds, known_ids) for raw in parsed["conflicts.yaml"]),
        checklists=checklists,
        investigations=investigations,
        shared_steps=shared_steps,
        disclaimer=_text(policy, "disclaimer", "recommendation.yaml"),
        primary_order=tuple(_primary_choice(raw, known_ids) for raw in policy["primary_order"]),
        complements=_ids(policy.get("complements", []), known_ids, "recommendation.yaml: complements"),
        supersedes={
            key: _ids(value, known_ids, f"recommendation.yaml: supersedes {key}")
            for key, value in policy.get("supersedes", {}).items()
        },
        question_weights=_weights(policy.get("question_weights", {}), known_ids),
        outcome_weights=_outcome_weights(policy["outcome_weights"]),
        unanswered_limit=_positive_int(policy, "unanswered_limit"),
        omfattning=_omfattning(parsed["omfattning.yaml"], known_ids),
        ranges=ranges,
        routes=tuple(_route(raw, bounds) for raw in parsed["way_forward.yaml"]),
        cuts=_cuts(interventions),
        version=_version(texts, directory),
    )


def _cuts(interventions: tuple[Intervention, ...]) -> dict[str, tuple[int, ...]]:
    cuts: dict[str, set[int]] = {}
    for item in interventions:
        for criterion in item.criteria:
            for condition in (criterion.condition, criterion.applies_if):
                for name, point in condition.cuts if condition else ():
                    cuts.setdefault(name, set()).add(point)
    return {name: tuple(sorted(points)) for name, points in cuts.items()}


def _rule_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.yaml")) + sorted((directory / "rules").glob("*.yaml"))


def _version(texts: Mapping[Path, str], directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(texts):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(texts[path].encode())
    return "sha256:" + digest.hexdigest()[:16]


def _interventions(parsed, policy, bounds, ranges, shared) -> tuple[Intervention, ...]:
    by_id = {}
    for name, raw in parsed.items():
        if not name.startswith("rules/"):
            continue
        item = _intervention(raw, name, bounds, ranges, shared)
        if item.id != Path(name).stem:
            raise RuleFileError(f"{name}: id {item.id!r} must match the file name")
        by_id[item.id] = item
    order = policy["interventions"]
    if sorted(order) != sorted(by_id):
        raise RuleFileError(f"recommendation.yaml: interventions {order} do not match the rule files {sorted(by_id)}")
    return tuple(by_id[key] for key in order)


def _intervention(raw: Mapping[str, Any], where: str, bounds, ranges, shared) -> Intervention:
    criteria = tuple(
        _criterion(_shared(item, shared, f"{where}: criteria[{i}]"), f"{where}: criteria[{i}]", bounds, ranges)
        for i, item in enumerate(raw["criteria"])
    )
    indications = tuple(
        _criterion(item, f"{where}: indications[{i}]", bounds, ranges) for i, item in enumerate(raw.get("indications", []))
    )
    ids = [criterion.id for criterion in criteria + indications]
    if len(set(ids)) != len(ids):
        raise RuleFileError(f"{where}: criterion ids must be unique, got {ids}")
    return Intervention(
        id=_text(raw, "id", where),
        name=_text(raw, "name", where),
        legal_basis=_text(raw, "legal_basis", where),
        kind=_text(raw, "kind", where),
        bistandsbedomd=bool(raw["bistandsbedomd"]),
        summary=_text(raw, "summary", where),
        source=_source(raw.get("source"), where),
        valid_from=_date(raw, "valid_from", where),
        valid_to=_date(raw, "valid_to", where),
        last_verified=_date(raw, "last_verified", where),
        criteria=criteria,
        indications=indications,
        target_group_points=bool(raw.get("target_group_points", True)),
    )


def _shared(raw: Mapping[str, Any], shared: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    """A criterion written once in shared_criteria.yaml (`use: <id>`); the rule file may add or
    override keys, e.g. the source that states it for this insats."""
    if "use" not in raw:
        return raw
    if raw["use"] not in shared:
        raise RuleFileError(f"{where}: unknown shared criterion {raw['use']!r}; known: {sorted(shared)}")
    return {"id": raw["use"], **shared[raw["use"]], **{k: v for k, v in raw.items() if k != "use"}}


def _criterion(raw: Mapping[str, Any], where: str, bounds, ranges) -> Criterion:
    where = f"{where} ({raw.get('id')})"
    condition = compile_condition(raw.get("when"), FACTS, bounds, where)
    applies_if = compile_condition(raw["applies_if"], FACTS, bounds, where) if "applies_if" in raw else None
    if not condition.monotone or (applies_if is not None and not applies_if.monotone):
        raise RuleFileError(f"{where}: 'known' tests are for steps only; a criterion must stay monotone")
    # A criterion is the handläggare's assessment when only such facts settle it; one that a
    # plain fact can settle (an age of 40) is a plain criterion even if an edge case needs one.
    derived = (
        "handlaggarens_bedomning"
        if all(FACTS[name]["assessed_by"] == "handlaggarens_bedomning" for name in condition.facts)
        else "fakta"
    )
    assessed_by = raw.get("assessed_by", derived)
    if assessed_by not in ASSESSED_BY or (derived == "handlaggarens_bedomning" and assessed_by == "fakta"):
        raise RuleFileError(f"{where}: assessed_by {assessed_by!r} contradicts its facts ({derived})")
    return Criterion(
        id=_text(raw, "id", where),
        text=_text(raw, "text", where),
        condition=condition,
        source=_source(raw.get("source"), where),
        assessed_by=assessed_by,
        question=" ".join(raw["question"].split()) if raw.get("question") else None,
        interpretation=_interpretation(raw, condition, ranges),
        see_also=tuple(_source(item, where) for item in raw.get("see_also", []))
        + tuple(ranges[name].reference for name in condition.ranges),
        valid_from=_date(raw, "valid_from", where),
        valid_to=_date(raw, "valid_to", where),
        applies_if=applies_if,
        decisive=bool(raw.get("decisive", False)),
        target_group=bool(raw.get("target_group", False)),
    )


def _interpretation(raw: Mapping[str, Any], condition: Condition, ranges) -> str | None:
    """The criterion's own interpretation, else that of the range it uses (e.g. working age)."""
    texts = [raw["interpretation"]] if raw.get("interpretation") else [ranges[name].interpretation for name in condition.ranges]
    return " ".join(" ".join(texts).split()) or None


def _referral(raw: Mapping[str, Any], bounds) -> Referral:
    where = f"referrals.yaml: {raw.get('id')}"
    return Referral(
        id=_text(raw, "id", where),
        name=_text(raw, "name", where),
        condition=compile_condition(raw.get("when"), FACTS, bounds, where),
        reason=_text(raw, "reason", where),
        source=_source(raw.get("source"), where),
        see_also=tuple(_source(item, where) for item in raw.get("see_also", [])),
    )


def _conflict(raw: Mapping[str, Any], bounds, known_ids: set[str]) -> Conflict:
    where = f"conflicts.yaml: {raw.get('id')}"
    statuses = raw.get("when_status", {})
    _ids(list(statuses), known_ids, where)
    for wanted in statuses.values():
        if not set(wanted) <= {"eligible", "not_eligible", "undetermined"}:
            raise RuleFileError(f"{where}: unknown statuses {wanted}")
    return Conflict(
        id=_text(raw, "id", where),
        condition=compile_condition(raw.get("when"), FACTS, bounds, where),
        text=_text(raw, "text", where),
        source=_source(raw.get("source"), where),
        when_status=MappingProxyType({key: frozenset(value) for key, value in statuses.items()}),
    )


def _route(raw: Mapping[str, Any], bounds) -> Route:
    where = f"way_forward.yaml: {raw.get('id')}"
    return Route(
        id=_text(raw, "id", where),
        name=_text(raw, "name", where),
        text=_text(raw, "text", where),
        source=_source(raw.get("source"), where),
        condition=compile_condition(raw["when"], FACTS, bounds, where) if "when" in raw else None,
    )


def _steps(raw: Mapping[str, Any], known_ids: set[str], bounds):
    investigations = dict(raw.get("investigations") or {})
    unknown = set(investigations) - known_ids
    if unknown:
        raise RuleFileError(f"next_steps.yaml: investigations for unknown insatser {sorted(unknown)}")
    investigation_names = {"utredning", *investigations.values()}
    checklists = {}
    for name, items in raw["checklists"].items():
        if name not in investigation_names and name not in known_ids:
            raise RuleFileError(f"next_steps.yaml: unknown checklist {name!r}")
        checklists[name] = tuple(_step(item, f"next_steps.yaml: {name}", bounds) for item in items)
    missing = (known_ids | investigation_names) - set(checklists)
    if missing:
        raise RuleFileError(f"next_steps.yaml: no checklist for {sorted(missing)}")
    shared = tuple(
        (_step(item, "next_steps.yaml: shared", bounds), _ids(item["applies_to"], known_ids | investigation_names, "shared"))
        for item in raw.get("shared", [])
    )
    return checklists, investigations, shared


def _step(raw: Mapping[str, Any], where: str, bounds) -> Step:
    condition = compile_condition(raw["when"], FACTS, bounds, where) if "when" in raw else None
    return Step(_text(raw, "text", where), _source(raw.get("source"), where), condition)


def _primary_choice(raw: Mapping[str, Any], known_ids: set[str]) -> PrimaryChoice:
    where = "recommendation.yaml: primary_order"
    _ids([raw["id"]], known_ids, where)
    return PrimaryChoice(raw["id"], _text(raw, "why", where), _source(raw.get("source"), where))


def _omfattning(raw: Mapping[str, Any], known_ids: set[str]) -> OmfattningPolicy:
    where = "omfattning.yaml"
    intervals = tuple(Interval(str(item["id"]), int(item["min"]), int(item["max"])) for item in raw["intervals"])
    if list(intervals) != sorted(intervals, key=lambda interval: interval.min):
        raise RuleFileError(f"{where}: intervals must be in ascending order")
    upper = raw["prefer_upper"]
    return OmfattningPolicy(
        applies_to_kind=_text(raw, "applies_to_kind", where),
        source=_source(raw.get("source"), where),
        intervals=intervals,
        prefer_upper=_ids(upper["interventions"], known_ids, where),
        prefer_upper_source=_source(upper.get("source"), where),
    )


def _ranges(raw: Mapping[str, Any]) -> dict[str, RangeParameter]:
    ranges = {}
    for name, item in raw["ranges"].items():
        where = f"parameters.yaml: {name}"
        ranges[name] = RangeParameter(
            name=name,
            min=int(item["min"]),
            max=int(item["max"]),
            interpretation=_text(item, "interpretation", where),
            reference=_source(item.get("reference"), where),
        )
    return ranges


def _weights(raw: Mapping[str, Any], known_ids: set[str]) -> dict[str, float]:
    _ids(list(raw), known_ids, "recommendation.yaml: question_weights")
    return {key: float(value) for key, value in raw.items()}


def _positive_int(policy: Mapping[str, Any], key: str) -> int:
    value = policy.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise RuleFileError(f"recommendation.yaml: {key} must be a whole number of at least 1, got {value!r}")
    return value


def _outcome_weights(raw: Mapping[str, Any]) -> dict[str, float]:
    if set(raw) != {"primary", "provisional"}:
        raise RuleFileError(f"recommendation.yaml: outcome_weights needs primary and provisional, got {sorted(raw)}")
    return {key: float(value) for key, value in raw.items()}


def _ids(values: Any, known: set[str], where: str) -> frozenset[str]:
    unknown = [value for value in values if value not in known]
    if unknown:
        raise RuleFileError(f"{where}: unknown intervention ids {unknown}")
    return frozenset(values)


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleFileError(f"{where}: '{key}' must be a non-empty string")
    return " ".join(value.split())


def _source(raw: Any, where: str) -> Source:
    if not isinstance(raw, Mapping) or not DOC_NAME.match(str(raw.get("doc", ""))) or not raw.get("section"):
        raise RuleFileError(f"{where}: a source needs doc (a seed file name) and section, got {raw!r}")
    return Source(raw["doc"], str(raw["section"]))


def _date(raw: Mapping[str, Any], key: str, where: str) -> date | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, date):
        raise RuleFileError(f"{where}: '{key}' must be a date (YYYY-MM-DD)")
    return value
