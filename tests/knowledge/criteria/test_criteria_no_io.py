"""Rules are read and compiled once; a check does no file I/O (speed is measured in benchmarks/criteria.py)."""
import builtins
import io
from datetime import date
from pathlib import Path

import pytest

from knowledge.criteria import check

FACTS = {"alder": 30, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
         "onskar_narma_sig_arbete_eller_studier": True, "stodbehov_storre_an_jobbtorg": True,
         "forsorjningsstod": False, "onskad_omfattning_timmar": 24}


def test_a_check_after_the_first_reads_no_files(monkeypatch: pytest.MonkeyPatch):
    first = check(FACTS, on=date(2026, 6, 1))

    def refuse(*args, **kwargs):
        raise AssertionError(f"check() read a file: {args[:1]}")

    for target, name in [(builtins, "open"), (io, "open"), (Path, "open"), (Path, "read_text"), (Path, "read_bytes")]:
        monkeypatch.setattr(target, name, refuse)
    assert check(FACTS, on=date(2026, 6, 1)) == first
