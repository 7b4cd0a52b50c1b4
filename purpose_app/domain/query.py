"""Which entries a query selects: one search rule for text, filters on metadata, and dates as typed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from purpose_app.domain.entry import Entry
from purpose_app.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class EntryQuery:
    """Every condition must hold.

    The search rule: `text` matches when it is a substring, ignoring case (full case folding), of the
    entry's `search_text`: its title, body and labels. The vault finds those entries through its
    text index (domain.text_index), never by reading bodies one at a time; `matches` checks the rest,
    which needs metadata alone.
    """

    text: str | None = None
    tag: str | None = None
    drain: str | None = None
    fuel: str | None = None
    shift: str | None = None
    # A date (see `written_on`): the entry's own date is on or after `since`, on or before `until`.
    # A moment (a datetime): the entry was created at or after `since`, before `until`.
    since: datetime | date | None = None
    until: datetime | date | None = None

    @property
    def needs_bodies(self) -> bool:
        return bool(self.text)


def search_text(entry: Entry) -> str:
    """What a text search looks in: title, body and labels, one per line (before case folding)."""
    return "\n".join((entry.title, entry.body, *entry.tags, *entry.drains, *entry.fuels))


def _has_label(labels: tuple[str, ...], wanted: str) -> bool:
    key = wanted.strip().lstrip("#@").casefold()
    return any(label.casefold() == key for label in labels)


def written_on(entry: Entry) -> date:
    """THE date rule: an entry belongs to the date on which it was written, where it was written.

    That is the calendar date in the entry's own UTC offset, whatever the zone of the machine that
    reads it: 28 Feb 19:30 -05:00 belongs to 28 Feb, also on a laptop set to UTC (where it is 1 Mar).
    Every date filter (the app's, `purpose list --since/--until`) goes through here.
    """
    return entry.created.date()


def _after_start(entry: Entry, since: datetime | date) -> bool:
    if isinstance(since, datetime):  # first: a datetime is a date too
        return entry.created >= since
    return written_on(entry) >= since


def _before_end(entry: Entry, until: datetime | date) -> bool:
    if isinstance(until, datetime):
        return entry.created < until
    return written_on(entry) <= until


def matches(entry: Entry, query: EntryQuery) -> bool:
    """Whether the entry meets the query's filters on metadata (its text goes through the index)."""
    if query.since is not None and not _after_start(entry, query.since):
        return False
    if query.until is not None and not _before_end(entry, query.until):
        return False
    if query.tag and not _has_label(entry.tags, query.tag):
        return False
    if query.drain and not _has_label(entry.drains, query.drain):
        return False
    if query.fuel and not _has_label(entry.fuels, query.fuel):
        return False
    return not (query.shift and entry.shift != query.shift)


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.created, e.id), reverse=True)


def take(entries: Iterable[Entry], limit: int | None) -> Iterator[Entry]:
    for count, entry in enumerate(entries):
        if limit is not None and count >= limit:
            return
        yield entry


def parse_bound(text: str) -> datetime | date:
    """A date filter as typed: a bare date (YYYY-MM-DD) stays a date, matched by `written_on`, so a
    range of dates includes both ends; a date and time is a moment (naive means local time)."""
    raw = text.strip()
    if len(raw) == 10:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass  # parse_moment says how to write a date
    return parse_moment(raw)


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime:
    """A date (YYYY-MM-DD) or an ISO date-time; naive values are in the person's local time zone.

    With end_of_day, a bare date means the start of the following day (so --until is inclusive).
    """
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            if end_of_day:
                day += timedelta(days=1)
            return datetime.combine(day, time()).astimezone()
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f'"{raw[:40]}" is not a date I can read. Use YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2026-11-24.'
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # naive means local time, with that date's offset
    return moment
