"""Entity annotations in the NLU training and held-out data follow one convention."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "nlu" / "data" / "nlu").glob("*.yml")) + [ROOT / "tests" / "nlu" / "heldout.yml"]
ANNOTATION = re.compile(r"\[([^\]]+)\]\(([a-z_]+)\)")
ENTITIES = {"alder", "timmar", "personkrets", "insats", "roll"}
INSATS_VALUES = {
    "socialt_inriktad_sysselsattning", "arbetsrehabiliterande_sysselsattning", "stodinsats_4_2",
    "stodinsats_4_2_lss_insteg", "finsam", "sysselsattning",
}
ROLL_VALUES = {"handlaggare", "uppsokare"}


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    document = yaml.safe_load((ROOT / "nlu" / "data" / "nlu" / "synonyms.yml").read_text(encoding="utf-8"))
    return {
        line.strip()[2:]: block["synonym"]
        for block in document["nlu"]
        if "synonym" in block
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    }


def _annotations() -> list[tuple[str, str, str]]:
    """(file name, annotated text, entity) for every annotation in every data file."""
    found = []
    for path in FILES:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in document["nlu"]:
            if "intent" in block:
                found += [(path.name, text, entity) for text, entity in ANNOTATION.findall(block["examples"])]
    return found


@pytest.mark.parametrize("file_name, text, entity", _annotations())
def test_annotation_follows_the_convention(file_name, text, entity):
    assert entity in ENTITIES
    if entity in {"alder", "timmar"}:
        assert text.isdigit()
    elif entity == "personkrets":
        assert text in {"1", "2", "3"}
    else:
        # Every spelling of an insats or a role is mapped to its canonical value.
        expected = INSATS_VALUES if entity == "insats" else ROLL_VALUES
        assert _synonyms().get(text.lower()) in expected


def test_synonyms_map_only_to_canonical_values():
    assert set(_synonyms().values()) <= INSATS_VALUES | ROLL_VALUES
