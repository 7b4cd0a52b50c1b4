"""Dates in the app's words: US English order, no leading zeros, a 24-hour clock."""

from datetime import date, datetime

from purpose_app.domain import calendar_words


def test_a_day_reads_month_first_without_a_leading_zero():
    day = date(2026, 10, 4)
    assert calendar_words.month_day(day) == "Oct 4"
    assert calendar_words.short_date(day) == "Oct 4, 2026"
    assert calendar_words.date_words(day) == "October 4, 2026"
    assert calendar_words.weekday_date_words(day) == "Sunday, October 4, 2026"


def test_a_moment_adds_the_time_on_a_24_hour_clock():
    late = datetime(2026, 10, 21, 21, 5)
    assert calendar_words.moment_words(late) == "Wednesday, October 21, 2026, 21:05"
    assert calendar_words.short_moment(late) == "Wed, Oct 21, 2026, 21:05"
