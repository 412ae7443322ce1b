"""Is a word plain Swedish? The lemma table of spacy-lookups-data (a pinned dependency: about
730 000 inflected forms), as the guideline documents' own words cannot be: "Familjen har ...",
"Mötet blir ...", "F-skatt" are no names, though the documents never write them.

Only the forms the table writes in lower case count: its capitalised entries are proper nouns
("Joseph", "Trondheim"), and on the tune split none of the names the lists do not know is a
lower-case form (particles such as "van" aside, which names.py reads on its own). Words typed
without å/ä/ö are looked up folded, from five letters on: a short folded form ("hana" for
"håna") is too often a name.

Held as sorted CRC-32 checksums (6 MB, not the 80 MB a set of the words takes), built once from
the table (about 2 s of CPU, 30 MB for that moment) and kept in `.cache/personal_data`, where a
read-only file system leaves it to each process; a checksum shared by a name and
a form (about one word in 6 000) only makes that name depend on its context, as listed names
that are also words do.
"""
from __future__ import annotations

import array
import bisect
import gzip
import os
import tempfile
import zlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from assistant.personal_data.text import fold

CACHE = Path(__file__).resolve().parents[2] / ".cache" / "personal_data"
_FOLDED_FROM = 5


def _checksum(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def _build() -> tuple[array.array, array.array]:
    import numpy

    table = resources.files("spacy_lookups_data") / "data" / "sv_lemma_lookup.json.gz"
    with table.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        # One '    "form": "lemma",' a line (json.load would hold 200 MB for a moment); a word with
        # a quote or backslash in it is no plain word anyway. Checksums, not words, are kept.
        exact, folded = array.array("I"), array.array("I")
        for line in lines:
            for word in line.split('"')[1:4:2]:
                if word.isalpha() and word.islower():
                    exact.append(_checksum(word))
                    if len(word) >= _FOLDED_FROM:
                        folded.append(_checksum(fold(word)))

    def unique(checksums: array.array) -> array.array:
        return array.array("I", numpy.unique(numpy.frombuffer(checksums, dtype=numpy.uint32)).tobytes())

    return unique(exact), unique(folded)


def _cache_file() -> Path:
    version = resources.files("spacy_lookups_data").joinpath("__init__.py").read_bytes()
    return CACHE / f"swedish_forms-{zlib.crc32(version):08x}.bin"


@lru_cache(maxsize=1)
def _forms() -> tuple[array.array, array.array]:
    path = _cache_file()
    try:
        data = path.read_bytes()
        both = array.array("I")
        both.frombytes(data)
        middle = both[0] + 1
        return both[1:middle], both[middle:]
    except (OSError, ValueError, IndexError):
        pass
    exact, folded = _build()
    try:  # a read-only checkout works too, building the table in each process
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write((array.array("I", [len(exact)]) + exact + folded).tobytes())
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except OSError:
        pass
    return exact, folded


def _contains(checksums: array.array, word: str) -> bool:
    value = _checksum(word)
    at = bisect.bisect_left(checksums, value)
    return at < len(checksums) and checksums[at] == value


def load() -> None:
    """Reads the table now (the first time builds it: about 2 s of CPU), so no message waits for it."""
    _forms()


def is_swedish_form(word: str, folded_too: bool = True) -> bool:
    """`word` in lower case: a form of a Swedish word, as written or (typed without å/ä/ö, unless
    not `folded_too`) folded."""
    exact, folded = _forms()
    if _contains(exact, word):
        return True
    return folded_too and len(word) >= _FOLDED_FROM and fold(word) == word and _contains(folded, word)
