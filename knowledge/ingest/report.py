"""The ingestion's numbers: how much OCR repair helped, and how big the passages are."""
import statistics
from pathlib import Path

import yaml

from knowledge.corpus.loader import load_metadata
from knowledge.ingest.measure import oov_share, vocabulary, word_error_rate, words
from knowledge.ingest.pipeline import clean_lexicon, ingest_document

GOLD_FILE = Path(__file__).parent / "ocr_gold.yaml"


def _gold_error_rates(texts: dict[str, tuple[str, str]]) -> dict:
    """Word error rate of the raw and the repaired text against the hand-corrected excerpts."""
    before = after = total = 0.0
    for excerpt in yaml.safe_load(GOLD_FILE.read_text(encoding="utf-8")):
        raw, repaired = texts[excerpt["doc"]]
        first, last = excerpt["lines"]
        n = len(words(excerpt["text"]))
        cut = lambda text: "\n".join(text.split("\n")[first - 1 : last])  # noqa: E731
        before += word_error_rate(excerpt["text"], cut(raw)) * n
        after += word_error_rate(excerpt["text"], cut(repaired)) * n
        total += n
    return {"words": int(total), "before": round(before / total, 4), "after": round(after / total, 4)}


def corpus_report() -> dict:
    documents = list(load_metadata())
    lexicon = clean_lexicon(documents)
    ingested = [ingest_document(meta, lexicon) for meta in documents]
    clean_vocabulary = vocabulary(d.raw for d in ingested if not d.meta.ocr)
    full_vocabulary = {w for forms in lexicon.forms.values() for w in ((forms,) if isinstance(forms, str) else forms)}
    ocr = {
        d.meta.file: {
            "tokens": len(words(d.raw)),
            "oov_clean_documents": {"before": round(oov_share(d.raw, clean_vocabulary), 4), "after": round(oov_share(d.text, clean_vocabulary), 4)},
            "oov_swedish_lexicon": {"before": round(oov_share(d.raw, full_vocabulary), 4), "after": round(oov_share(d.text, full_vocabulary), 4)},
        }
        for d in ingested
        if d.meta.ocr
    }
    sizes = [len(p.text.split()) for d in ingested for p in d.passages]
    return {
        "ocr": ocr,
        "gold_word_error_rate": _gold_error_rates({d.meta.file: (d.raw, d.text) for d in ingested}),
        "passages": {
            "count": len(sizes),
            "per_document": {d.meta.file: len(d.passages) for d in ingested},
            "words": {"min": min(sizes), "median": statistics.median(sizes), "max": max(sizes)},
            "below_60_words": sum(s < 60 for s in sizes),
            "above_250_words": sum(s > 250 for s in sizes),
            "with_page": sum(p.page is not None for d in ingested for p in d.passages),
        },
    }


def format_report(report: dict) -> str:
    lines = ["OCR-reparation (andel ordtokens utanför ordförrådet, före → efter):"]
    for doc, numbers in report["ocr"].items():
        clean, lexicon = numbers["oov_clean_documents"], numbers["oov_swedish_lexicon"]
        lines.append(
            f"  {doc}: {numbers['tokens']} ord; mot de rena dokumentens ordförråd {clean['before']:.1%} → {clean['after']:.1%}; "
            f"mot svenskt lexikon {lexicon['before']:.1%} → {lexicon['after']:.1%}"
        )
    gold = report["gold_word_error_rate"]
    lines.append(f"  ordfelfrekvens mot handrättade utdrag ({gold['words']} ord): {gold['before']:.1%} → {gold['after']:.1%}")
    p = report["passages"]
    lines.append(
        f"Passager: {p['count']} ({', '.join(f'{d[:3]}: {n}' for d, n in p['per_document'].items())}); "
        f"ord min/median/max {p['words']['min']}/{p['words']['median']}/{p['words']['max']}; "
        f"under 60 ord: {p['below_60_words']}, över 250: {p['above_250_words']}; med sidnummer: {p['with_page']}"
    )
    return "\n".join(lines)
