"""Dates as the app's words say them: US English order ("Wednesday, October 21, 2026"), a 24-hour
clock as on a ward's notes. One place, so a screen, a chart, a good-day sentence and a handout agree.

The day number is formatted by hand: strftime's "%-d" (no leading zero) is not portable (Windows)."""

from __future__ import annotations

from datetime import date, datetime


def month_day(day: date) -> str:
    """ "Oct 21": a chart's tick."""
    return f"{day:%b} {day.day}"


def date_words(day: date) -> str:
    """ "October 21, 2026"."""
    return f"{day:%B} {day.day}, {day.year}"


def weekday_date_words(day: date) -> str:
    """ "Wednesday, October 21, 2026"."""
    return f"{day:%A}, {date_words(day)}"


def short_date(day: date) -> str:
    """ "Oct 21, 2026"."""
    return f"{month_day(day)}, {day.year}"


def moment_words(moment: datetime) -> str:
    """ "Wednesday, October 21, 2026, 14:30": an entry's heading."""
    return f"{weekday_date_words(moment)}, {moment:%H:%M}"


def short_moment(moment: datetime) -> str:
    """ "Wed, Oct 21, 2026, 14:30": a row in a list."""
    return f"{moment:%a}, {short_date(moment)}, {moment:%H:%M}"
