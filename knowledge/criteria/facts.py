"""The fact schema (facts.yaml) and the validation of incoming facts.

Facts arrive from the dialogue, the CLI and the HTTP API; a bad one must come back as a
Swedish message naming the fact and what is valid, never as a traceback.
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

FACTS_FILE = Path(__file__).parent / "facts.yaml"
FACT_TYPES = ("bool", "int", "enum")
ASSESSED_BY = ("fakta", "handlaggarens_bedomning")


class FactsError(ValueError):
    """Raised when facts cannot be checked; `.errors` lists one Swedish message per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def load_fact_schema(path: Path = FACTS_FILE) -> Mapping[str, Mapping[str, Any]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = {}
    for name, spec in raw.items():
        _check_spec(name, spec)
        schema[name] = MappingProxyType(dict(spec))
    return MappingProxyType(schema)


def _check_spec(name: str, spec: Mapping[str, Any]) -> None:
    where = f"facts.yaml: {name}"
    if spec.get("type") not in FACT_TYPES:
        raise ValueError(f"{where}: type must be one of {FACT_TYPES}")
    for key in ("label", "question"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            raise ValueError(f"{where}: {key} is required")
    if spec.get("assessed_by") not in ASSESSED_BY:
        raise ValueError(f"{where}: assessed_by must be one of {ASSESSED_BY}")
    if spec["type"] == "enum" and not spec.get("values"):
        raise ValueError(f"{where}: an enum needs values")
    if set(spec.get("unclear", ())) - set(spec.get("values", ())):
        raise ValueError(f"{where}: unclear values must be among its values")
    if spec["type"] == "int" and not (isinstance(spec.get("min"), int) and isinstance(spec.get("max"), int)):
        raise ValueError(f"{where}: an int needs min and max")


FACTS = load_fact_schema()


def validate_facts(raw: Any, schema: Mapping[str, Mapping[str, Any]] = FACTS) -> dict[str, Any]:
    """Returns the facts in schema order with None dropped; raises FactsError listing every problem."""
    if not isinstance(raw, Mapping):
        raise FactsError([f"Fakta ska vara ett JSON-objekt med faktanamn som nycklar. Giltiga namn: {_names(schema)}."])
    errors = []
    for name in raw:
        if name not in schema:
            errors.append(_unknown_name(name, schema))
    normalised = {}
    for name, spec in schema.items():
        value = raw.get(name)
        if value is None:
            continue
        problem = _problem(name, spec, value)
        if problem:
            errors.append(problem)
        else:
            normalised[name] = int(value) if spec["type"] == "int" else value
    if errors:
        raise FactsError(errors)
    return normalised


def _names(schema: Mapping[str, Any]) -> str:
    return ", ".join(schema)


def _unknown_name(name: Any, schema: Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(str(name), list(schema), n=1)
    hint = f" Menade du '{close[0]}'?" if close else ""
    return f"Okänt faktum '{name}'.{hint} Giltiga namn: {_names(schema)}."


def _problem(name: str, spec: Mapping[str, Any], value: Any) -> str | None:
    kind = spec["type"]
    if kind == "bool":
        if not isinstance(value, bool):
            return f"'{name}' ({spec['label']}) ska vara true eller false, inte {value!r}."
        return None
    if kind == "int":
        whole = isinstance(value, int) and not isinstance(value, bool)
        whole = whole or (isinstance(value, float) and value.is_integer())
        if not whole or not spec["min"] <= value <= spec["max"]:
            return (
                f"'{name}' ({spec['label']}) ska vara ett heltal från {spec['min']} till {spec['max']}, "
                f"inte {value!r}."
            )
        return None
    if type(value) not in (str, int) or value not in spec["values"]:
        allowed = ", ".join(f"{key!r} ({label})" for key, label in spec["values"].items())
        return f"'{name}' ({spec['label']}) har det ogiltiga värdet {value!r}. Tillåtna värden: {allowed}."
    return None
