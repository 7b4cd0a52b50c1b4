"""Filters and text search over entries in memory."""

import os
import time
from datetime import UTC, datetime

import pytest

from purpose_app.domain.entry import EntryChanges, new_entry
from purpose_app.domain.query import EntryQuery, matches, newest_first, parse_moment
from purpose_app.errors import InvalidInput


def _entry(**fields):
    return new_entry(EntryChanges(**fields), datetime(2026, 3, 10, 12, tzinfo=UTC))


def test_text_search_ignores_case_and_looks_at_title_body_and_labels():
    """Text matches title, body, tags, drains and fuels, in any case."""
    entry = _entry(title="Long Night", drains=("Charting",), fuels=("teaching",))
    assert matches(entry, EntryQuery(text="long night"))
    assert matches(entry, EntryQuery(text="CHART"))
    assert matches(entry, EntryQuery(text="Teach"))
    assert matches(entry, EntryQuery(text="quiet"), body="A quiet moment")
    assert not matches(entry, EntryQuery(text="quiet"), body="")


def test_filters_combine_and_labels_match_whole():
    """Every given filter must hold; a label filter matches whole labels, ignoring case and #."""
    entry = _entry(tags=("ICU",), drains=("charting",), shift="night")
    assert matches(entry, EntryQuery(tag="#icu", drain="Charting", shift="night"))
    assert not matches(entry, EntryQuery(tag="ic"))
    assert not matches(entry, EntryQuery(tag="icu", fuel="teaching"))
    assert not matches(entry, EntryQuery(shift="day"))


def test_date_range_is_inclusive_of_since_and_exclusive_of_until():
    """since <= created < until."""
    entry = _entry(energy=5)
    at = entry.created
    assert matches(entry, EntryQuery(since=at, until=at.replace(hour=13)))
    assert not matches(entry, EntryQuery(until=at))
    assert not matches(entry, EntryQuery(since=at.replace(hour=13)))


@pytest.fixture
def in_new_york(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def test_dates_are_local_days_and_until_covers_the_whole_day(in_new_york):
    """A bare date means local midnight; --until DATE includes that whole day (DST-aware)."""
    assert os.environ["TZ"] == "America/New_York"
    since = parse_moment("2026-07-01")
    until = parse_moment("2026-07-01", end_of_day=True)
    assert since.isoformat() == "2026-07-01T00:00:00-04:00"
    assert until.isoformat() == "2026-07-02T00:00:00-04:00"
    assert parse_moment("2026-01-15T08:00").utcoffset().total_seconds() == -5 * 3600
    assert parse_moment("2026-01-15T08:00Z").tzinfo is not None


@pytest.mark.parametrize("raw", ["yesterday", "2026-13-01", "24/11/2026", ""])
def test_unreadable_dates_are_refused_with_an_example(raw):
    """A date that does not parse says which format to use."""
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_moment(raw)


def test_newest_first_orders_by_created_time():
    """Entries sort by when they happened, not when they were typed."""
    early = new_entry(EntryChanges(energy=1), datetime(2025, 1, 1, tzinfo=UTC))
    late = new_entry(EntryChanges(energy=2), datetime(2026, 1, 1, tzinfo=UTC))
    assert newest_first([early, late]) == [late, early]
