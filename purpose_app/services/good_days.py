"""A good day from before: now and then, an earlier entry from a day of high energy or a named fuel.

The rule (`pick`) is pure: never a low day (an entry's own energy, or its day's mean, at or below
daily.LOW_ENERGY), never the last few weeks, at most one a day and only every few days; a day of the
same week in an earlier year is preferred ("A year ago this week, teaching fueled you."). The day
shown and the entry are remembered in a vault document, so the card stays the same all day. Only
metadata is read, and on Today only the candidates kept by today_facts (no entry is decrypted).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from purpose_app.domain import calendar_words
from purpose_app.domain.entry import Entry
from purpose_app.domain.json_value import JsonValue
from purpose_app.packs.daily import LOW_ENERGY
from purpose_app.services import today_facts
from purpose_app.services.journal import Vault
from purpose_app.services.today_facts import HIGH_ENERGY, Good

KIND, NAME = "good-day", "shown"  # vault document: {"day": "YYYY-MM-DD", "entry": id}
__all__ = ["HIGH_ENERGY", "GoodDay", "Shown", "pick", "pick_from", "sentence", "today"]
MIN_AGE_DAYS = 14  # "from before": not last week, which the person still remembers
EVERY_DAYS = 4  # now and then: after a day with the card, this many days before the next
SAME_WEEK_DAYS = 3  # a date within this many days of today's, in an earlier year, is "this week"
_YEARS = ("A year", "Two years", "Three years", "Four years", "Five years", "Six years", "Seven years")


@dataclass(frozen=True)
class GoodDay:
    """The entry recalled, its day, and the sentence saying what made it good."""

    entry_id: str
    day: date
    sentence: str


@dataclass(frozen=True)
class Shown:
    """What the card showed last, and on which day."""

    day: date
    entry_id: str


def _is_good(entry: Good, day_means: dict[date, float], today: date) -> bool:
    """A candidate (today_facts.candidate: high energy or a named fuel, not a low entry) from before,
    on a day that was not low."""
    day = entry.day
    if (today - day).days < MIN_AGE_DAYS:
        return False
    return not (day in day_means and day_means[day] <= LOW_ENERGY)  # a fuel on a low day is still low


def _same_week(day: date, today: date) -> bool:
    if day.year >= today.year:
        return False
    try:
        that_year = today.replace(year=day.year)
    except ValueError:  # 29 February in a year without one
        that_year = today.replace(year=day.year, day=28)
    return abs((that_year - day).days) <= SAME_WEEK_DAYS


def sentence(entry: Entry | Good, today: date) -> str:
    """ "A year ago this week, teaching fueled you." or "On Tuesday, March 12, 2024, your energy was 8
    of 10." """
    day = entry.day if isinstance(entry, Good) else entry.created.date()
    years = today.year - day.year
    if _same_week(day, today):
        when = (
            f"{_YEARS[years - 1]} ago this week" if years <= len(_YEARS) else f"{years} years ago this week"
        )
    else:
        when = f"On {calendar_words.weekday_date_words(day)}"
    said = []
    if entry.fuels:
        fuels = list(entry.fuels)
        named = fuels[0] if len(fuels) == 1 else ", ".join(fuels[:-1]) + " and " + fuels[-1]
        said.append(f"{named} fueled you")
    if entry.energy is not None and entry.energy >= HIGH_ENERGY:
        said.append(f"your energy was {entry.energy} of 10")
    return f"{when}, {', and '.join(said)}."


def pick(entries: Iterable[Entry], today: date, last: Shown | None) -> GoodDay | None:
    """Today's good day among these entries, or None (see pick_from)."""
    found = list(entries)
    by_day: dict[date, list[int]] = defaultdict(list)
    for entry in found:
        if entry.energy is not None:
            by_day[entry.created.date()].append(entry.energy)
    means = {day: sum(values) / len(values) for day, values in by_day.items()}
    candidates = [c for c in map(today_facts.candidate, found) if c is not None]
    return pick_from(candidates, means, today, last)


def pick_from(
    candidates: Iterable[Good], means: dict[date, float], today: date, last: Shown | None
) -> GoodDay | None:
    """Today's good day, or None: the one already shown today, else (every EVERY_DAYS days) a new one,
    the same week in an earlier year first. Never a low day, never more than one a day. `means`: each
    day's mean energy, over every entry."""
    good = [e for e in candidates if _is_good(e, means, today)]
    if last is not None and last.day == today:
        again = next((e for e in good if e.entry_id == last.entry_id), None)
        return None if again is None else GoodDay(again.entry_id, again.day, sentence(again, today))
    if last is not None and (today - last.day).days < EVERY_DAYS:
        return None
    if not good:
        return None
    anniversaries = [e for e in good if _same_week(e.day, today)]

    def order(entry: Good) -> bytes:  # stable for a day, different from day to day
        return hashlib.sha256(f"{today.isoformat()}/{entry.entry_id}".encode()).digest()

    chosen = min(anniversaries or good, key=order)
    return GoodDay(chosen.entry_id, chosen.day, sentence(chosen, today))


def _shown(value: JsonValue) -> Shown | None:
    if not isinstance(value, dict):
        return None
    day, entry_id = value.get("day"), value.get("entry")
    if not isinstance(day, str) or not isinstance(entry_id, str):
        return None
    try:
        return Shown(date.fromisoformat(day), entry_id)
    except ValueError:
        return None


def today(vault: Vault, now: datetime) -> GoodDay | None:
    """The good day to show now (remembered, so it is the same all day), or None."""
    day = now.astimezone().date()
    last = _shown(vault.document(KIND, NAME))
    if last is not None and last.day != day and (day - last.day).days < EVERY_DAYS:
        return None  # not a day for the card: nothing to read
    facts = today_facts.current(vault)
    if last is not None and last.day == day:  # shown earlier today: that one again, if still good
        again = facts.good_one(last.entry_id)
        return pick_from([again] if again is not None else [], facts.energy_by_day(), day, last)
    found = pick_from(facts.good, facts.energy_by_day(), day, last)
    if found is not None and (last is None or last.day != day):
        vault.put_document(KIND, NAME, {"day": day.isoformat(), "entry": found.entry_id})
    return found
