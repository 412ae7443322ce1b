"""Chooses the sysselsättning time interval (002 §2.2) and says why."""
from __future__ import annotations

from typing import Any

from knowledge.criteria.schema import Intervention, Interval, OmfattningPolicy


def choose_interval(policy: OmfattningPolicy, primary: Intervention | None, hours: int | None) -> dict[str, Any]:
    sources = [policy.source.as_dict()]
    if primary is None:
        return _result(None, [], "Ingen insats är ännu fastställd, så ingen omfattning föreslås.", sources, False)
    if primary.kind != policy.applies_to_kind:
        reason = (
            f"Stadens tidsintervall ({_spans(policy.intervals)} timmar/vecka) gäller sysselsättning enligt "
            f"4 kap. 1 § SoL ({policy.source.short()}); för {primary.name} anges ingen intervall."
        )
        return _result(None, [], reason, sources, False)
    upper = primary.id in policy.prefer_upper
    if upper:
        sources.append(policy.prefer_upper_source.as_dict())
    upper_note = (
        f" För arbetsrehabiliterande sysselsättning rekommenderas de övre intervallen för den som önskar och "
        f"har förmåga ({policy.prefer_upper_source.short()})."
        if upper
        else ""
    )
    if hours is None:
        reason = (
            f"Önskad omfattning är inte känd; fråga hur många timmar i veckan personen vill delta. "
            f"Intervallen är {_spans(policy.intervals)} timmar/vecka ({policy.source.short()})." + upper_note
        )
        return _result(None, [], reason, sources)
    fits = [interval for interval in policy.intervals if interval.min <= hours <= interval.max]
    if not fits:
        reason = f"{hours} timmar/vecka ryms inte i något av stadens intervall ({_spans(policy.intervals)})."
        return _result(None, [], reason, sources)
    chosen, why = _pick(fits, hours, upper, policy.prefer_upper_source.short())
    crossing = (
        f" Vill personen senare delta över intervallets gränser krävs en ny bedömning och ett nytt "
        f"biståndsbeslut ({policy.source.short()})."
    )
    if len(fits) == 1 and upper and chosen is policy.intervals[0]:
        why += upper_note
    return _result(chosen.id, [interval.id for interval in fits], why + crossing, sources)


def _pick(fits: list[Interval], hours: int, upper: bool, upper_source: str) -> tuple[Interval, str]:
    if len(fits) == 1:
        return fits[0], f"{hours} timmar/vecka ryms bara i intervallet {_span(fits[0])}."
    both = " och ".join(_span(interval) for interval in fits)
    if upper:
        chosen = fits[-1]
        return chosen, (
            f"{hours} timmar/vecka ryms i både {both}; det övre intervallet, {_span(chosen)}, väljs eftersom "
            f"arbetsrehabiliterande sysselsättning rekommenderas i de övre intervallen ({upper_source})."
        )
    # The overlap exists so participation can vary without a new decision: prefer the interval
    # where the hours sit furthest from a bound; on a tie, the upper one leaves room to grow.
    margins = {interval: min(hours - interval.min, interval.max - hours) for interval in fits}
    chosen = max(fits, key=lambda interval: (margins[interval], interval.min))
    tie = sum(margin == margins[chosen] for margin in margins.values()) > 1
    because = (
        "timantalet ligger lika långt från gränserna i båda, och det övre ger utrymme att öka deltagandet"
        if tie
        else "timantalet där ligger längst från intervallets gränser, så att deltagandet kan variera"
    )
    return chosen, f"{hours} timmar/vecka ryms i både {both}; {_span(chosen)} väljs eftersom {because} utan nytt beslut."


def _span(interval: Interval) -> str:
    return f"{interval.min}–{interval.max}"


def _spans(intervals: tuple[Interval, ...]) -> str:
    spans = [_span(interval) for interval in intervals]
    return ", ".join(spans[:-1]) + " och " + spans[-1]


def _result(interval: str | None, fits: list[str], reason: str, sources: list[dict], applies: bool = True) -> dict[str, Any]:
    # `applies`: the intervals concern the chosen insats (a sysselsättning), so the reason is worth
    # showing even without an interval (e.g. "the upper intervals" while the hours are unknown).
    return {"interval": interval, "reason": reason, "fits": fits, "sources": sources, "applies": applies}
