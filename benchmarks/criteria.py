"""Latency of the criteria checker: `python -m benchmarks.criteria [--runs N]`.

Times one check() call at a time (facts validation, evaluation, recommendation, steps) for a
few representative fact sets, after a warm-up, and prints p50/p95 in microseconds.
"""
from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date

from knowledge.criteria import check, next_facts_to_ask, validate_facts
from knowledge.criteria.schema import load_rulebook

DAY = date(2026, 6, 1)
SCENARIOS = {
    "inga fakta": {},
    "Johan (socialt inriktad)": {
        "alder": 23, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
        "onskar_narma_sig_arbete_eller_studier": False, "primart_mal": "struktur_i_vardagen", "forsorjningsstod": False,
    },
    "Josef (arbetsrehab., 24 h)": {
        "alder": 30, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
        "onskar_narma_sig_arbete_eller_studier": True, "primart_mal": "studier", "stodbehov_storre_an_jobbtorg": True,
        "forsorjningsstod": False, "onskad_omfattning_timmar": 24,
    },
    "Younes (försörjningsstöd)": {
        "alder": 25, "forsorjningsstod": True, "jobbtorg_del_av_planering": True, "kontakt_specialistpsykiatri": False,
    },
    "alla 22 fakta kända": {
        "alder": 40, "malgrupp_socialpsykiatri": True, "lss_personkrets": 1, "primart_mal": "arbete",
        "onskar_narma_sig_arbete_eller_studier": True, "kontakt_specialistpsykiatri": True,
        "kan_ej_finna_fa_behalla_arbete_pa_egen_hand": True, "stodbehov_storre_an_jobbtorg": False,
        "inforstadd_och_beredd": True, "samtycker_samordning_specialistpsykiatri": True,
        "bedoms_kunna_borja_arbeta_med_arbetsspecialist": True, "af_kan_erbjuda_lamplig_atgard": False,
        "forutsattningar_med_jobbcoach": True, "klarar_anpassat_arbete_med_jobbcoach": True,
        "behov_stod_overgangsperiod": True, "forsorjningsstod": False, "jobbtorg_del_av_planering": False,
        "saknar_annan_daglig_sysselsattning": True, "flera_myndigheter_involverade": True, "samtycke_finsam": True,
        "nedsatt_arbetsformaga": True, "onskad_omfattning_timmar": 30,
    },
}


def measure(call: Callable[[], object], runs: int, warmup: int = 200) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.criteria")
    parser.add_argument("--runs", type=int, default=5000, help="calls per scenario (default 5000)")
    args = parser.parse_args(argv)

    load_rulebook.cache_clear()
    start = time.perf_counter()
    load_rulebook()
    load_ms = (time.perf_counter() - start) * 1000

    rows = []
    for name, facts in SCENARIOS.items():
        rows.append((f"check: {name}", measure(lambda facts=facts: check(facts, on=DAY), args.runs)))
    full = SCENARIOS["alla 22 fakta kända"]
    rows.append(("validate_facts: alla 22 fakta", measure(lambda: validate_facts(full), args.runs)))
    empty_result = check({}, on=DAY)
    rows.append(("next_facts_to_ask: inga fakta", measure(lambda: next_facts_to_ask(empty_result), args.runs)))

    width = max(len(name) for name, _ in rows)
    print(f"Regelfiler laddade och kompilerade en gång: {load_ms:.1f} ms")
    print(f"{'mätning':<{width}}  {'anrop':>6}  {'p50 µs':>8}  {'p95 µs':>8}")
    for name, samples in rows:
        print(f"{name:<{width}}  {len(samples):>6}  {percentile(samples, 50):>8.1f}  {percentile(samples, 95):>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
