"""Daily energy, the 7-day rolling mean, the drains-and-fuels ledger and shift/weekday patterns, checked
against numbers worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from purpose_app.domain.entry import Entry
from purpose_app.errors import InvalidInput
from purpose_app.insight import ledger, patterns, series

CHICAGO = timezone(timedelta(hours=-6))
D0 = date(2026, 3, 2)  # a Monday


def entry(
    day: date,
    energy: int | None = None,
    *,
    hour: int = 20,
    tz: timezone = CHICAGO,
    drains: tuple[str, ...] = (),
    fuels: tuple[str, ...] = (),
    shift: str | None = None,
) -> Entry:
    moment = datetime(day.year, day.month, day.day, hour, 0, tzinfo=tz)
    return Entry(id=f"{day}-{hour}-{energy}-{drains}-{fuels}", created=moment, updated=moment, revision=1,
                 energy=energy, drains=drains, fuels=fuels, shift=shift)  # fmt: skip


def day(n: int) -> date:
    return D0 + timedelta(days=n)


# -- daily energy and the rolling mean ---------------------------------------------------------------


def test_daily_energy_is_the_mean_of_that_days_entries():
    """Two check-ins on one day (4 and 7) give 5.5; an entry without energy changes nothing."""
    daily = series.daily_energy([entry(day(0), 4, hour=8), entry(day(0), 7), entry(day(0), None, hour=9)])
    assert daily == {day(0): 5.5}


def test_a_day_is_the_entrys_own_local_date():
    """23:30 in Chicago is already the next day in UTC; it still counts on the Chicago date."""
    late = entry(day(0), 3, hour=23)
    assert late.created.astimezone(UTC).date() == day(1)
    assert series.daily_energy([late]) == {day(0): 3.0}


def test_gaps_are_never_filled():
    """Data on days 0, 1 and 9 of a ten-day range: days 2-8 have no daily value (None, not 0)."""
    found = series.energy_series({day(0): 2.0, day(1): 4.0, day(9): 8.0}, day(0), day(9))
    assert len(found.days) == 10
    assert found.daily == (2.0, 4.0, None, None, None, None, None, None, None, 8.0)
    assert found.days_with_data == 3
    assert found.mean() == pytest.approx(14 / 3)


def test_rolling_mean_stops_when_its_window_is_empty():
    """The 7-day mean on day 7 still sees day 1 (4.0); on day 8 the window (days 2-8) is empty, so
    None: the line never bridges that gap. Day 9 starts again from its own value."""
    found = series.energy_series({day(0): 2.0, day(1): 4.0, day(9): 8.0}, day(0), day(9))
    assert found.rolling[:2] == (2.0, 3.0)
    assert found.rolling[6] == pytest.approx(3.0)  # days 0-6: (2 + 4) / 2
    assert found.rolling[7] == pytest.approx(4.0)  # days 1-7: only day 1
    assert found.rolling[8] is None
    assert found.rolling[9] == pytest.approx(8.0)


def test_rolling_mean_weighs_each_day_once_and_uses_days_before_the_range():
    """Day means 1..7 over a full week average to 4; a range starting on day 7 still sees days 1-6."""
    daily = {day(i): float(i + 1) for i in range(7)}  # 1.0 .. 7.0
    found = series.energy_series(daily, day(6), day(7))
    assert found.rolling[0] == pytest.approx(4.0)
    assert found.rolling[1] == pytest.approx((2 + 3 + 4 + 5 + 6 + 7) / 6)  # day 0 left the window


def test_ranges_end_today_and_all_starts_at_the_first_data():
    """30 days means today and the 29 before; "all" starts at the first day with data; entries after
    today are left out."""
    today = day(40)
    entries = [entry(day(3), 5), entry(day(39), 6), entry(day(45), 9)]
    last30 = series.series_for(entries, 30, today)
    assert (last30.days[0], last30.days[-1], len(last30.days)) == (day(11), today, 30)
    everything = series.series_for(entries, None, today)
    assert everything.days[0] == day(3)
    assert everything.days[-1] == today
    assert 9.0 not in everything.daily


@pytest.mark.parametrize(("raw", "expected"), [("30", 30), ("all", None), (" ALL ", None), (None, 90)])
def test_parse_days(raw, expected):
    """--days takes a whole number or "all"; absent means the chart's default."""
    assert series.parse_days(raw, 90) == expected


@pytest.mark.parametrize("raw", ["0", "-3", "abc", "1.5", "99999999"])
def test_parse_days_refuses_nonsense(raw):
    """Zero, negatives, words and absurd ranges are invalid input (exit 5)."""
    with pytest.raises(InvalidInput):
        series.parse_days(raw, 30)


# -- the ledger ---------------------------------------------------------------------------------------


def seeded() -> list[Entry]:
    """Day 0: energy 2, charting. Day 1: energies 4 and 6 (mean 5), Charting on one, a walk on the other.
    Day 2: energy 8, a walk and the team. Day 3: no energy, charting. Day 9: outside the period."""
    return [
        entry(day(0), 2, drains=("charting",)),
        entry(day(1), 4, hour=7, drains=("Charting",)),
        entry(day(1), 6, fuels=("a walk",)),
        entry(day(2), 8, fuels=("a walk", "the team")),
        entry(day(3), None, drains=("charting",)),
        entry(day(9), 0, drains=("charting",), fuels=("the team",)),
    ]


def test_ledger_arithmetic_on_seeded_data():
    """Baseline = mean of day means (2, 5, 8) = 5.0. Charting: 3 days, energy on two of them (2, 5)
    -> mean 3.5, delta -1.5. A walk: days 1, 2 -> 6.5, +1.5. The team: day 2 -> 8.0, +3.0."""
    found = ledger.build_ledger(seeded(), day(0), day(3))
    assert found.baseline == pytest.approx(5.0)
    assert found.days_with_energy == 3
    assert [(r.label, r.count, r.mean, r.delta) for r in found.drains] == [("charting", 3, 3.5, -1.5)]
    fuels = [(r.label, r.count, r.mean, r.delta) for r in found.fuels]
    assert fuels == [("the team", 1, 8.0, 3.0), ("a walk", 2, 6.5, 1.5)]  # most positive first


def test_ledger_summary_sentence():
    """One sentence naming the drain on the lowest days and the fuel on the best, with the average."""
    found = ledger.build_ledger(seeded(), day(0), day(3))
    assert found.summary() == (
        "Charting appears on your lowest days: -1.5; the team on your best: +3.0 "
        "(against your average of 5.0)."
    )


def test_ledger_keeps_the_most_frequent_and_sorts_drains_lowest_first():
    """With top=2, the rare drain is dropped; the kept ones are ordered by delta, most negative first."""
    entries = [
        entry(day(0), 8, drains=("inbox", "pages")),
        entry(day(1), 2, drains=("inbox", "pages")),
        entry(day(2), 2, drains=("pages",)),
        entry(day(3), 5, drains=("rare",)),
    ]
    found = ledger.build_ledger(entries, day(0), day(3), top=2)
    # baseline (8+2+2+5)/4 = 4.25; pages (8+2+2)/3 = 4.0 -> -0.25; inbox (8+2)/2 = 5.0 -> +0.75
    assert [r.label for r in found.drains] == ["pages", "inbox"]
    assert found.drains[0].delta == pytest.approx(-0.25)
    assert found.drains[1].delta == pytest.approx(0.75)


def test_ledger_without_energy_counts_but_has_no_delta():
    """Labels named without any energy level are counted; mean and delta stay None."""
    found = ledger.build_ledger([entry(day(0), None, drains=("charting",))], day(0), day(0))
    assert found.baseline is None
    assert [(r.count, r.mean, r.delta) for r in found.drains] == [(1, None, None)]
    assert "add an energy level" in found.summary()


def test_signed_never_prints_minus_zero():
    """A difference that rounds to nothing reads 0.0."""
    assert [ledger.signed(v) for v in (-0.04, 0.04, -1.55, 2.0)] == ["0.0", "0.0", "-1.6", "+2.0"]


# -- shift and weekday patterns ---------------------------------------------------------------------


def test_patterns_count_shifts_per_check_in_and_weekdays_per_day():
    """Two night check-ins (2, 4) -> mean 3, n=2; one day shift (8), n=1; Monday has two check-ins
    (2 and 8, mean 5) but counts as one day; Tuesday one day (4)."""
    assert day(0).weekday() == 0 and day(1).weekday() == 1
    entries = [
        entry(day(0), 2, hour=6, shift="night"),
        entry(day(0), 8, shift="day"),
        entry(day(1), 4, shift="night"),
        entry(day(1), None, hour=9, shift="off"),  # no energy: not in the shift mean or its count
    ]
    found = patterns.build_patterns(entries, day(0), day(6))
    shifts = {g.label: (g.mean, g.count) for g in found.shifts}
    assert shifts["night"] == (3.0, 2)
    assert shifts["day"] == (8.0, 1)
    assert shifts["off"] == (None, 0)
    assert [g.label for g in found.shifts] == ["off", "day", "evening", "night", "on-call", "post-call"]
    weekdays = {g.label: (g.mean, g.count) for g in found.weekdays}
    assert weekdays["Monday"] == (5.0, 1)
    assert weekdays["Tuesday"] == (4.0, 1)
    assert weekdays["Sunday"] == (None, 0)


def test_pattern_summary_needs_enough_of_each():
    """Fewer than 3 per group is too few to compare; with enough, the lowest and highest are named."""
    few = patterns.build_patterns([entry(day(0), 5, shift="night")], day(0), day(6))
    assert few.summary().startswith("Too few check-ins")
    many = [entry(day(i), 2, shift="night") for i in range(3)]
    many += [entry(day(i), 8, hour=8, shift="day") for i in range(3)]
    found = patterns.build_patterns(many, day(0), day(6))
    assert found.summary().startswith(
        "Energy is lowest on night shifts (2.0, n=3) and highest on day shifts (8.0, n=3)"
    )
