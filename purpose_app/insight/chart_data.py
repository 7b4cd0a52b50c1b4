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
from purpose_app.insight.series import DAY, MONTH, WEEK, EnergySeries, period_means

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
    grain: str = DAY  # WEEK or MONTH: each point is that period's mean (periods, means); see series
    periods: tuple[date, ...] = ()  # the calendar start of each week or month
    means: tuple[float, ...] = ()  # NaN where the week or month has no data

    @property
    def aggregated(self) -> bool:
        return self.grain != DAY


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
    trend = _trend([v for v in series.rolling if v is not None], "7-day mean")
    plural = "day" if count == 1 else "days"
    return (
        f"Your energy {span} averaged {mean:.1f} out of 10 on the {count} {plural} with a check-in; {trend}."
    )


TITLES = {DAY: "Energy, day by day", WEEK: "Energy, week by week", MONTH: "Energy, month by month"}
EACH_POINT = {WEEK: "Each point is a week's mean energy.", MONTH: "Each point is a month's mean energy."}


def _trend(values: list[float], name: str) -> str:
    first, last = values[0], values[-1]
    low, high = min(values), max(values)
    if high - low < 1.0:
        return f"the {name} held steady near {last:.1f}"
    if abs(last - first) < 0.5:  # back where it started, but not steady on the way: say so
        return f"the {name} ranged from {low:.1f} to {high:.1f} and ended near {last:.1f}"
    return f"the {name} moved from {first:.1f} to {last:.1f}"


def period_summary(series: EnergySeries, days: int | None, grain: str) -> str:
    """The sentence of a chart drawn in weeks or months: the trend told in those means, and which."""
    means = [v for v in period_means(series, grain).means if v is not None]
    if not means:
        return energy_summary(series, days)
    mean = series.mean()
    assert mean is not None  # a period with data has days with data
    span = _span(days, series.days[0])
    count = series.days_with_data
    plural = "day" if count == 1 else "days"
    trend = _trend(means, "weekly mean" if grain == WEEK else "monthly mean")
    return (
        f"Your energy {span} averaged {mean:.1f} out of 10 on the {count:,} {plural} with a check-in; "
        f"{trend}. {EACH_POINT[grain]}"
    )


def energy_chart(
    series: EnergySeries, days: int | None, checks: Sequence[CheckResult] = (), grain: str = DAY
) -> EnergyChart:
    """The chart's data; grain WEEK or MONTH draws one point per week or month (series.grain_for)."""
    first, last = (series.days[0], series.days[-1]) if series.days else (None, None)
    markers = tuple(
        Marker(c.taken.date(), c.kind, f"Q{c.quick}" if c.kind == QUICK else "CBI")
        for c in sorted(checks, key=lambda c: c.taken)
        if first is not None and last is not None and first <= c.taken.date() <= last
    )
    starts: tuple[date, ...] = ()
    means: tuple[float | None, ...] = ()
    if grain != DAY:
        found = period_means(series, grain)
        starts, means = found.starts, found.means
    return EnergyChart(
        days=series.days,
        daily=tuple(_nan(v) for v in series.daily),
        rolling=tuple(_nan(v) for v in series.rolling),
        markers=markers,
        title=TITLES[grain],
        summary=energy_summary(series, days) if grain == DAY else period_summary(series, days, grain),
        grain=grain,
        periods=starts,
        means=tuple(_nan(v) for v in means),
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
