"""The good-day rule: an earlier entry of high energy or a named fuel, never a low day, one a day at
most and only now and then, the same week in an earlier year first."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from purpose_app.domain.entry import Entry
from purpose_app.services import good_days
from purpose_app.services.good_days import Shown, pick

TZ = timezone(timedelta(hours=-5))
TODAY = date(2026, 3, 10)


def entry(entry_id: str, day: date, energy: int | None = None, fuels: tuple[str, ...] = ()) -> Entry:
    at = datetime.combine(day, time(20, 0), TZ)
    return Entry(id=entry_id, created=at, updated=at, revision=1, energy=energy, fuels=fuels)


def test_a_year_ago_this_week_is_said_in_words() -> None:
    """An entry from the same week last year, fuelled by teaching: "A year ago this week, ..."."""
    found = pick([entry("a", date(2025, 3, 12), fuels=("teaching",))], TODAY, None)
    assert found is not None and found.entry_id == "a"
    assert found.sentence == "A year ago this week, teaching fueled you."


def test_an_ordinary_earlier_day_is_named_by_its_date() -> None:
    """A high-energy day a month ago: its date and its energy."""
    found = pick([entry("a", date(2026, 2, 3), energy=8)], TODAY, None)
    assert found is not None
    assert found.sentence == "On Tuesday, February 3, 2026, your energy was 8 of 10."


def test_never_a_low_day() -> None:
    """A fuel named on a day whose energy was low, a low entry, and an ordinary one: none is recalled."""
    low_day = date(2025, 3, 11)
    entries = [
        entry("fuel-on-low-day", low_day, fuels=("a good team",)),
        entry("low-check-in", low_day, energy=2),
        entry("low-with-fuel", date(2025, 3, 9), energy=4, fuels=("teaching",)),
        entry("middling", date(2026, 1, 5), energy=6),
    ]
    assert pick(entries, TODAY, None) is None


def test_the_same_week_in_an_earlier_year_comes_first() -> None:
    """Among several good days, the one from this week in an earlier year is chosen."""
    entries = [entry(f"d{i}", date(2025, 10, 1) + timedelta(days=i), energy=9) for i in range(20)]
    entries.append(entry("anniversary", date(2024, 3, 8), fuels=("a grateful patient",)))
    found = pick(entries, TODAY, None)
    assert found is not None and found.entry_id == "anniversary"
    assert found.sentence.startswith("Two years ago this week, a grateful patient fueled you")


def test_not_from_the_last_two_weeks() -> None:
    """A good day from last week is still remembered; it is not "from before"."""
    assert pick([entry("recent", TODAY - timedelta(days=5), energy=9)], TODAY, None) is None


def test_once_a_day_and_only_now_and_then() -> None:
    """Shown today: the same one all day. Shown yesterday: nothing today. After EVERY_DAYS: a new one."""
    entries = [entry("a", date(2025, 6, 1), energy=9), entry("b", date(2025, 7, 1), energy=8)]
    again = pick(entries, TODAY, Shown(TODAY, "b"))
    assert again is not None and again.entry_id == "b"
    assert pick(entries, TODAY, Shown(TODAY - timedelta(days=1), "a")) is None
    later = TODAY + timedelta(days=good_days.EVERY_DAYS - 1)
    assert pick(entries, later, Shown(TODAY, "b")) is None
    assert pick(entries, TODAY + timedelta(days=good_days.EVERY_DAYS), Shown(TODAY, "b")) is not None


def test_a_day_already_shown_is_not_replaced_when_its_entry_is_gone() -> None:
    """The entry shown today was deleted: nothing else is shown today (never more than once a day)."""
    entries = [entry("a", date(2025, 6, 1), energy=9)]
    assert pick(entries, TODAY, Shown(TODAY, "deleted")) is None
