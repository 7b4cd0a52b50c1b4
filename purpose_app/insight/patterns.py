"""Energy by shift context and by weekday, each with its count so small samples show as small.

- By shift: the mean energy of the check-ins that name that shift (a day can hold a night shift and
  the post-call morning after it, so shifts are counted per check-in, not per day). All six shifts are
  listed, in their usual order, with count 0 and no mean when unused.
- By weekday: the mean of the daily energy values (series.daily_energy) of each weekday, counted in
  days, so a day with five check-ins weighs the same as a day with one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from purpose_app.domain.entry import SHIFTS, Entry
from purpose_app.insight.series import daily_energy, local_day

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SMALL_SAMPLE = 3  # fewer than this: shown, but marked as too few to read much into
SHIFT_NAMES = {
    "off": "days off", "day": "day shifts", "evening": "evening shifts", "night": "night shifts",
    "on-call": "on-call shifts", "post-call": "post-call days",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    mean: float | None
    count: int

    @property
    def small(self) -> bool:
        return self.count < SMALL_SAMPLE


@dataclass(frozen=True)
class Patterns:
    start: date
    end: date
    shifts: tuple[Group, ...]  # counted in check-ins
    weekdays: tuple[Group, ...]  # counted in days

    def summary(self) -> str:
        return patterns_summary(self)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def build_patterns(entries: Iterable[Entry], start: date, end: date) -> Patterns:
    chosen = [e for e in entries if start <= local_day(e) <= end]
    by_shift: dict[str, list[float]] = defaultdict(list)
    for entry in chosen:
        if entry.shift and entry.energy is not None:
            by_shift[entry.shift].append(entry.energy)
    by_weekday: dict[int, list[float]] = defaultdict(list)
    for day, value in daily_energy(chosen).items():
        by_weekday[day.weekday()].append(value)
    return Patterns(
        start=start,
        end=end,
        shifts=tuple(Group(s, _mean(by_shift[s]), len(by_shift[s])) for s in SHIFTS),
        weekdays=tuple(Group(w, _mean(by_weekday[i]), len(by_weekday[i])) for i, w in enumerate(WEEKDAYS)),
    )


def _extremes(groups: tuple[Group, ...]) -> tuple[Group, Group] | None:
    usable = [g for g in groups if g.mean is not None and not g.small]
    if len(usable) < 2:
        return None
    ordered = sorted(usable, key=lambda g: (g.mean, -g.count))
    return ordered[0], ordered[-1]


def patterns_summary(patterns: Patterns) -> str:
    """One sentence naming the lowest and highest shift (and weekday), with their counts."""
    shift = _extremes(patterns.shifts)
    weekday = _extremes(patterns.weekdays)
    if shift is None and weekday is None:
        return (
            f"Too few check-ins yet to compare shifts or weekdays (at least {SMALL_SAMPLE} of each are "
            "needed); the counts are shown."
        )
    parts = []
    if shift is not None:
        low, high = shift
        parts.append(
            f"energy is lowest on {SHIFT_NAMES[low.label]} ({low.mean:.1f}, n={low.count}) and highest "
            f"on {SHIFT_NAMES[high.label]} ({high.mean:.1f}, n={high.count})"
        )
    if weekday is not None:
        low, high = weekday
        parts.append(
            f"by weekday, lowest on {low.label}s ({low.mean:.1f}, n={low.count}) and highest on "
            f"{high.label}s ({high.mean:.1f}, n={high.count})"
        )
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."
