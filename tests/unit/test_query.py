"""The search rule (text through the index, filters on metadata) and how dates are read."""

import os
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from purpose_app.domain.entry import Entry, EntryChanges, new_entry
from purpose_app.domain.query import (
    EntryQuery,
    matches,
    newest_first,
    parse_bound,
    parse_moment,
    search_text,
    written_on,
)
from purpose_app.domain.text_index import TextIndex
from purpose_app.errors import InvalidInput


def _entry(**fields):
    return new_entry(EntryChanges(**fields), datetime(2026, 3, 10, 12, tzinfo=UTC))


def _found(entry: Entry, needle: str, body: str = "") -> bool:
    """The live path of a text search: the entry's search text in a text index, then a lookup."""
    index = TextIndex()
    index.put(entry.id, search_text(replace(entry, body=body)))
    return entry.id in index.matching(needle)


def test_text_search_ignores_case_and_looks_at_title_body_and_labels():
    """Text matches title, body, tags, drains and fuels, in any case."""
    entry = _entry(title="Long Night", drains=("Charting",), fuels=("teaching",))
    assert _found(entry, "long night")
    assert _found(entry, "CHART")
    assert _found(entry, "Teach")
    assert _found(entry, "quiet", body="A quiet moment")
    assert not _found(entry, "quiet", body="")


def test_text_is_left_to_the_index_and_filters_to_matches():
    """matches() checks metadata alone: the text of a query is found through the index, not here."""
    entry = _entry(title="Long Night", tags=("icu",))
    assert matches(entry, EntryQuery(text="absent", tag="icu"))
    assert not matches(entry, EntryQuery(text="long", tag="ward"))


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


BOSTON = timezone(timedelta(hours=-5))


def test_an_entry_belongs_to_the_date_where_it_was_written(in_new_york, monkeypatch):
    """written_on is the date in the entry's own offset, not the machine's; date filters follow it."""
    evening = new_entry(EntryChanges(energy=3), datetime(2023, 2, 28, 19, 30, tzinfo=BOSTON))
    for zone in ("UTC", "Asia/Tokyo", "America/New_York"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        assert written_on(evening) == date(2023, 2, 28)
        assert not matches(evening, EntryQuery(since=date(2023, 3, 1)))
        assert matches(evening, EntryQuery(since=date(2023, 2, 28), until=date(2023, 2, 28)))
        assert not matches(evening, EntryQuery(until=date(2023, 2, 27)))


def test_a_moment_bound_compares_instants():
    """A date and time in a filter is an instant: since inclusive, until exclusive."""
    evening = new_entry(EntryChanges(energy=3), datetime(2023, 2, 28, 19, 30, tzinfo=BOSTON))
    at = datetime(2023, 3, 1, 0, 30, tzinfo=UTC)  # the same instant
    assert matches(evening, EntryQuery(since=at))
    assert not matches(evening, EntryQuery(until=at))


def test_parse_bound_keeps_a_bare_date_a_date():
    """A bare date stays a date (matched by written_on); with a time it is a moment."""
    assert parse_bound(" 2023-03-01 ") == date(2023, 3, 1)
    assert not isinstance(parse_bound("2023-03-01"), datetime)
    assert parse_bound("2023-03-01T08:00Z") == datetime(2023, 3, 1, 8, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_bound("2023-02-30")


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
