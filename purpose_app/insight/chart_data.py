"""What each chart shows, as plain data: the exact series handed to matplotlib, and its sentence.

Pure and cheap (no matplotlib), so tests assert on these and the UI can show the sentence before (or
instead of) the picture. NaN marks "no data" in a series: matplotlib breaks the line there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from purpose_app.insight import scoring
from purpose_app.insight.ledger import Ledger, LedgerRow
from purpose_app.insight.patterns import Group, Patterns
from purpose_app.insight.scoring import CBI, QUICK, SCALES, CheckResult
from purpose_app.insight.series import EnergySeries

NAN = math.nan


def _nan(value: float | None) -> float:
    return NAN if value is None else value


@dataclass(frozen=True, slots=True)
class Marker:
    day: date
    kind: str  # QUICK or CBI
    label: str  # "Q4" or "CBI"


@dataclass(frozen=True)
class EnergyChart:
    days: tuple[date, ...]
    daily: tuple[float, ...]
    rolling: tuple[float, ...]
    markers: tuple[Marker, ...]
    title: str
    summary: str


@dataclass(frozen=True)
class LedgerChart:
    drains: tuple[LedgerRow, ...]
    fuels: tuple[LedgerRow, ...]
    baseline: float | None
    title: str
    summary: str


@dataclass(frozen=True)
class PatternChart:
    shifts: tuple[Group, ...]
    weekdays: tuple[Group, ...]
    title: str
    summary: str


@dataclass(frozen=True)
class SelfCheckChart:
    quick_days: tuple[date, ...]
    quick: tuple[float, ...]
    cbi_days: tuple[date, ...]
    cbi: dict[str, tuple[float, ...]]  # scale -> one value per CBI result, NaN under the non-responder rule
    threshold: float
    title: str
    summary: str


def _span(days: int | None, start: date) -> str:
    return f"since {start.isoformat()}" if days is None else f"over the last {days} days"


def energy_summary(series: EnergySeries, days: int | None) -> str:
    span = _span(days, series.days[0]) if series.days else "so far"
    mean = series.mean()
    if mean is None:
        span = "" if days is None else f" {span}"
        return f"No energy levels{span} yet; check-ins with an energy level draw the line here."
    count = series.days_with_data
    rolling = [v for v in series.rolling if v is not None]
    first, last = rolling[0], rolling[-1]
    low, high = min(rolling), max(rolling)
    if high - low < 1.0:
        trend = f"the 7-day mean held steady near {last:.1f}"
    elif abs(last - first) < 0.5:  # back where it started, but not steady on the way: say so
        trend = f"the 7-day mean ranged from {low:.1f} to {high:.1f} and ended near {last:.1f}"
    else:
        trend = f"the 7-day mean moved from {first:.1f} to {last:.1f}"
    plural = "day" if count == 1 else "days"
    return (
        f"Your energy {span} averaged {mean:.1f} out of 10 on the {count} {plural} with a check-in; {trend}."
    )


def energy_chart(series: EnergySeries, days: int | None, checks: Sequence[CheckResult] = ()) -> EnergyChart:
    first, last = (series.days[0], series.days[-1]) if series.days else (None, None)
    markers = tuple(
        Marker(c.taken.date(), c.kind, f"Q{c.quick}" if c.kind == QUICK else "CBI")
        for c in sorted(checks, key=lambda c: c.taken)
        if first is not None and last is not None and first <= c.taken.date() <= last
    )
    return EnergyChart(
        days=series.days,
        daily=tuple(_nan(v) for v in series.daily),
        rolling=tuple(_nan(v) for v in series.rolling),
        markers=markers,
        title="Energy, day by day",
        summary=energy_summary(series, days),
    )


def ledger_chart(ledger: Ledger) -> LedgerChart:
    return LedgerChart(ledger.drains, ledger.fuels, ledger.baseline, "Drains and fuels", ledger.summary())


def pattern_chart(patterns: Patterns) -> PatternChart:
    return PatternChart(patterns.shifts, patterns.weekdays, "Energy by shift and weekday", patterns.summary())


def _fmt(value: float | None) -> str:
    return "no score" if value is None else f"{value:.0f}"


def selfcheck_summary(checks: Sequence[CheckResult]) -> str:
    quick = [c for c in checks if c.kind == QUICK]
    cbi = [c for c in checks if c.kind == CBI and c.cbi is not None]
    if not quick and not cbi:
        return "No self-check results in this period yet."
    parts = []
    if quick:
        latest = max(quick, key=lambda c: c.taken)
        parts.append(
            f"latest quick check {latest.quick} of 5 on {latest.taken.date().isoformat()} "
            f"({len(quick)} in this period)"
        )
    if cbi:
        result = max(cbi, key=lambda c: c.taken).cbi
        assert result is not None
        scores = ", ".join(f"{s} {_fmt(result.score(s))}" for s in SCALES)
        high = result.high_scales()
        note = (
            f", with {' and '.join(high)} at or above 50, {scoring.THRESHOLD_LABEL} (not a diagnosis)"
            if high
            else ""
        )
        parts.append(f"latest Copenhagen scores {scores}{note}")
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def selfcheck_chart(checks: Sequence[CheckResult]) -> SelfCheckChart:
    ordered = sorted(checks, key=lambda c: c.taken)
    quick = [c for c in ordered if c.kind == QUICK and c.quick is not None]
    cbi = [c for c in ordered if c.kind == CBI and c.cbi is not None]
    return SelfCheckChart(
        quick_days=tuple(c.taken.date() for c in quick),
        quick=tuple(float(c.quick or 0) for c in quick),
        cbi_days=tuple(c.taken.date() for c in cbi),
        cbi={s: tuple(_nan(c.cbi.score(s)) for c in cbi if c.cbi is not None) for s in SCALES},
        threshold=scoring.HIGH_THRESHOLD,
        title="Self-checks over time",
        summary=selfcheck_summary(checks),
    )
