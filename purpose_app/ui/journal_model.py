"""Journal: entries by date, search and filters, paged so 50,000 entries stay smooth. No flet here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from purpose_app.domain.entry import Entry, EntryChanges, parse_shift
from purpose_app.domain.query import EntryQuery, parse_moment
from purpose_app.services.session import Session

PAGE_SIZE = 40


@dataclass
class Filters:
    text: str = ""
    tag: str = ""
    drain: str = ""
    fuel: str = ""
    shift: str = ""
    since: str = ""
    until: str = ""

    def query(self) -> EntryQuery:
        """Raises InvalidInput (with a calm message) for a date or shift that does not parse."""
        return EntryQuery(
            text=self.text.strip() or None,
            tag=self.tag.strip() or None,
            drain=self.drain.strip() or None,
            fuel=self.fuel.strip() or None,
            shift=parse_shift(self.shift) if self.shift.strip() else None,
            since=parse_moment(self.since) if self.since.strip() else None,
            until=parse_moment(self.until, end_of_day=True) if self.until.strip() else None,
        )


class JournalModel:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.filters = Filters()
        self.pages = 1
        self.results: list[Entry] = []
        self.has_more = False

    def search(self) -> list[Entry]:
        query = self.filters.query()
        limit = self.pages * PAGE_SIZE
        found = self.session.require().entries(query, limit=limit + 1)
        self.has_more = len(found) > limit
        self.results = found[:limit]
        return self.results

    def set_filters(self, **values: str) -> list[Entry]:
        self.filters = replace(self.filters, **values)
        self.pages = 1
        return self.search()

    def more(self) -> list[Entry]:
        self.pages += 1
        return self.search()

    def open(self, entry_id: str) -> Entry:
        return self.session.require().get(entry_id)

    def edit(self, entry_id: str, changes: EntryChanges) -> Entry:
        entry = self.session.require().edit(entry_id, changes)
        self.search()
        return entry

    def delete(self, entry_id: str) -> None:
        self.session.require().delete(entry_id)
        self.search()

    def labels(self, kind: str, limit: int = 30) -> list[str]:
        counts: Counter[str] = Counter()
        for entry in self.session.require().entries(with_titles=False):
            counts.update(getattr(entry, kind))
        return [label for label, _ in counts.most_common(limit)]
