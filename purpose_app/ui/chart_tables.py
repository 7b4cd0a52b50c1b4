"""Each chart's numbers as a small table (the chart's text alternative beside its sentence). No flet here."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from purpose_app.insight.chart_data import EnergyChart, LedgerChart, PatternChart, SelfCheckChart
from purpose_app.insight.charts import Chart
from purpose_app.insight.scoring import SCALES
from purpose_app.insight.series import MONTH

BLANK = "none"  # a week or a scale with nothing to show: said so, never guessed


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _number(value: float | None, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return BLANK
    return f"{value:.{digits}f}"


def _signed(value: float | None) -> str:
    return BLANK if value is None else f"{value:+.1f}"


def _day(day: date) -> str:
    return day.isoformat()


def _energy(chart: EnergyChart) -> Table:
    if chart.aggregated:
        head = "Month" if chart.grain == MONTH else "Week of"
        periods = tuple(
            (p.strftime("%Y-%m") if chart.grain == MONTH else _day(p), _number(m))
            for p, m in zip(chart.periods, chart.means, strict=True)
        )
        return Table(chart.title, (head, "Mean energy"), periods)
    # Only the days with a check-in: an empty day is a blank on the chart, not a row of dashes.
    rows = tuple(
        (_day(d), _number(v, 0), _number(r))
        for d, v, r in zip(chart.days, chart.daily, chart.rolling, strict=True)
        if not math.isnan(v)
    )
    return Table(chart.title, ("Day", "Energy", "7-day mean"), rows)


def _ledger(chart: LedgerChart) -> Table:
    rows = tuple(
        (kind, row.label, str(row.count), _number(row.mean), _signed(row.delta))
        for kind, found in (("Drain", chart.drains), ("Fuel", chart.fuels))
        for row in found
    )
    return Table(chart.title, ("Kind", "Name", "Days", "Mean energy", "Against usual"), rows)


def _patterns(chart: PatternChart) -> Table:
    rows = tuple(
        (kind, group.label, str(group.count), _number(group.mean))
        for kind, found in (("Shift", chart.shifts), ("Weekday", chart.weekdays))
        for group in found
    )
    return Table(chart.title, ("Kind", "Name", "Days", "Mean energy"), rows)


def _selfchecks(chart: SelfCheckChart) -> Table:
    quick = tuple(
        (_day(d), "Quick check", f"{q:.0f} of 5") for d, q in zip(chart.quick_days, chart.quick, strict=True)
    )
    cbi = tuple(
        (_day(d), "Copenhagen", ", ".join(f"{s} {_number(chart.cbi[s][i], 0)}" for s in SCALES))
        for i, d in enumerate(chart.cbi_days)
    )
    rows = tuple(sorted(quick + cbi, key=lambda row: row[0]))
    return Table(chart.title, ("Day", "Check", "Result"), rows)


def table(chart: Chart) -> Table:
    """The chart's numbers, row by row, in the words its picture uses."""
    if isinstance(chart, EnergyChart):
        return _energy(chart)
    if isinstance(chart, LedgerChart):
        return _ledger(chart)
    if isinstance(chart, PatternChart):
        return _patterns(chart)
    return _selfchecks(chart)
