"""Daily energy and its 7-day rolling mean, with gaps kept as gaps.

Definitions (the charts, the ledger and the tests all use these):
- A day is the entry's own local date: the calendar date of `created` in the time zone it was written
  in, so a night-shift check-in at 02:00 in Chicago belongs to that Chicago date wherever it is read.
- Daily energy is the mean of that day's entries that carry an energy level. A day without one has no
  value (None), never a zero and never an interpolated value.
- The 7-day rolling mean on day D is the mean of the daily values of the days WITH data among D-6..D
  (each day counts once, however many check-ins it had). When none of those seven days has data it is
  None, so the line stops: it never bridges a gap of seven days or more. Days before the chart's
  range count for the first days of the window, as they would in any rolling mean.
- Ranges: the last 30, 90 or 365 days up to and including today, or all (from the first day with
  data). Entries dated after today are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from purpose_app.domain.entry import Entry
from purpose_app.domain.query import written_on
from purpose_app.errors import InvalidInput

WINDOW = 7
RANGES: dict[str, int | None] = {"30": 30, "90": 90, "365": 365, "all": None}
MAX_DAYS = 36_500


local_day = written_on  # the one date rule: the date where the entry was written (domain/query)


def daily_energy(entries: Iterable[Entry]) -> dict[date, float]:
    """Mean energy per local day, for the days that have at least one energy level."""
    values: dict[date, list[int]] = defaultdict(list)
    for entry in entries:
        if entry.energy is not None:
            values[local_day(entry)].append(entry.energy)
    return {day: sum(v) / len(v) for day, v in values.items()}


def parse_days(text: str | int | None, default: int | None) -> int | None:
    """A range from the command line: a whole number of days (1 or more) or "all" (None)."""
    if text is None:
        return default
    raw = str(text).strip().lower()
    if raw == "all":
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_DAYS:
        raise InvalidInput(
            f'--days takes a number of days from 1 to {MAX_DAYS:,}, or "all"; not "{raw[:20]}".'
        )
    return int(raw)


def period(days: int | None, today: date, first: date | None) -> tuple[date, date]:
    """The first and last day of a range ending today; "all" starts at the first day with data."""
    if days is None:
        return (min(first, today) if first is not None else today), today
    return today - timedelta(days=days - 1), today


@dataclass(frozen=True)
class EnergySeries:
    days: tuple[date, ...]  # every calendar day of the range, oldest first
    daily: tuple[float | None, ...]  # None where the day has no energy level
    rolling: tuple[float | None, ...]  # None where the 7-day window has no data

    @property
    def days_with_data(self) -> int:
        return sum(v is not None for v in self.daily)

    def mean(self) -> float | None:
        values = [v for v in self.daily if v is not None]
        return sum(values) / len(values) if values else None


def rolling_mean(daily: dict[date, float], day: date, window: int = WINDOW) -> float | None:
    values = [v for i in range(window) if (v := daily.get(day - timedelta(days=i))) is not None]
    return sum(values) / len(values) if values else None


def energy_series(daily: dict[date, float], start: date, end: date) -> EnergySeries:
    """The range start..end, one slot per calendar day, with the rolling mean computed from all data."""
    count = (end - start).days + 1
    days = tuple(start + timedelta(days=i) for i in range(max(count, 0)))
    return EnergySeries(
        days=days,
        daily=tuple(daily.get(d) for d in days),
        rolling=tuple(rolling_mean(daily, d) for d in days),
    )


def series_for(entries: Iterable[Entry], days: int | None, today: date) -> EnergySeries:
    daily = {d: v for d, v in daily_energy(entries).items() if d <= today}
    start, end = period(days, today, min(daily) if daily else None)
    return energy_series(daily, start, end)


def in_period(entries: Iterable[Entry], start: date, end: date) -> list[Entry]:
    return [e for e in entries if start <= local_day(e) <= end]


# -- weeks and months -------------------------------------------------------------------------------
# Over long ranges a dot per day is noise: beyond six months each point is a week's mean, beyond two
# years a month's. A week (Monday to Sunday) or month's mean is the mean of the daily values of its
# days WITH data inside the range (each day counts once, as in the rolling mean); a week or month with
# none has no value (None), so the line breaks there: nothing is filled in.

DAY, WEEK, MONTH = "day", "week", "month"
WEEKLY_BEYOND_DAYS = 183  # six months
MONTHLY_BEYOND_DAYS = 731  # two years


def grain_for(span_days: int) -> str:
    """The grain a range of span_days calendar days is drawn at."""
    if span_days > MONTHLY_BEYOND_DAYS:
        return MONTH
    if span_days > WEEKLY_BEYOND_DAYS:
        return WEEK
    return DAY


def bucket_start(day: date, grain: str) -> date:
    """The first calendar day of the week (a Monday) or month that day falls in; the day itself for DAY."""
    if grain == WEEK:
        return day - timedelta(days=day.weekday())
    if grain == MONTH:
        return day.replace(day=1)
    return day


@dataclass(frozen=True)
class PeriodMeans:
    grain: str
    starts: tuple[date, ...]  # the calendar start of every week or month the range touches, oldest first
    means: tuple[float | None, ...]  # None where the week or month has no energy level in the range
    counts: tuple[int, ...]  # days with data behind each mean


def period_means(found: EnergySeries, grain: str) -> PeriodMeans:
    """The series' daily values gathered into weeks or months (see above)."""
    values: dict[date, list[float]] = {}
    for day, value in zip(found.days, found.daily, strict=True):
        bucket = values.setdefault(bucket_start(day, grain), [])
        if value is not None:
            bucket.append(value)
    starts = tuple(values)  # insertion order: the days are oldest first
    return PeriodMeans(
        grain=grain,
        starts=starts,
        means=tuple(sum(v) / len(v) if v else None for v in values.values()),
        counts=tuple(len(v) for v in values.values()),
    )
