"""Journal: entries by date, search and filters, paged so 50,000 entries stay smooth. No flet here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from itertools import chain

from purpose_app.domain import calendar_words
from purpose_app.domain.entry import Entry, EntryChanges, parse_shift
from purpose_app.domain.query import EntryQuery, parse_bound, search_text
from purpose_app.errors import EntryNotFound, PurposeError, VaultDamaged
from purpose_app.services.library import Library
from purpose_app.services.session import Session

PAGE_SIZE = 40
HEADLINE_CHARS = 90
SNIPPET_BEFORE, SNIPPET_AFTER = 40, 90  # characters of context around the first match
LABEL_KINDS = ("tags", "drains", "fuels")
LABEL_CHOICES = 30  # the most used labels offered in each filter


@dataclass(frozen=True)
class Snippet:
    """The words around the first match: before, the match itself (as written), after."""

    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Row:
    """One line of the journal list, in words: what it is, when, and what it holds."""

    entry_id: str
    headline: str
    when: str  # where it was written (its own offset): the date the date filters use
    details: str  # energy and tags
    snippet: Snippet | None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def headline(entry: Entry) -> str:
    """The title; without one, the first line of the text; without text, what the check-in holds."""
    if entry.title.strip():
        return _clip(entry.title.strip(), HEADLINE_CHARS)
    first = next((line.strip() for line in entry.body.splitlines() if line.strip()), "")
    if first:
        return _clip(first, HEADLINE_CHARS)
    parts = [f"energy {entry.energy}"] if entry.energy is not None else []
    parts += [entry.shift] if entry.shift else []
    parts += list(entry.drains) + list(entry.fuels)
    return "Check-in: " + ", ".join(parts) if parts else "Untitled entry"


def details(entry: Entry) -> str:
    parts = [f"energy {entry.energy} of 10"] if entry.energy is not None else []
    parts += [" ".join(f"#{t}" for t in entry.tags)] if entry.tags else []
    return "  ·  ".join(parts)


def _folded_with_positions(text: str) -> tuple[str, list[int] | None]:
    """The folded text, and where each folded character came from (None: from the same place)."""
    folded_text = text.casefold()
    if len(folded_text) == len(text):
        # No character folds to nothing, so equal lengths mean each folded to exactly one: the usual
        # case, one C call instead of a Python loop over a long body (40 rows took 40 ms).
        return folded_text, None
    # Full case folding can change lengths ("ß" -> "ss"): keep where each folded character came from.
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in char.casefold():
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def snippet(entry: Entry, needle: str) -> Snippet | None:
    """The first match of the search rule (case-insensitive substring of the entry's search text),
    with a little of the words around it on one line; None when there is nothing to show."""
    wanted = needle.strip().casefold()
    if not wanted:
        return None
    text = search_text(entry)
    folded, origin = _folded_with_positions(text)
    found = folded.find(wanted)
    if found < 0:
        return None
    if origin is None:
        start, end = found, found + len(wanted)
    else:
        start, end = origin[found], origin[found + len(wanted) - 1] + 1
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    head = max(line_start, start - SNIPPET_BEFORE)
    tail = min(line_end, end + SNIPPET_AFTER)
    before = ("…" if head > line_start else "") + text[head:start]
    after = text[end:tail] + ("…" if tail < line_end else "")
    return Snippet(before.lstrip(), text[start:end], after.rstrip())


def when(entry: Entry) -> str:
    return calendar_words.short_moment(entry.created)


def row(entry: Entry, text: str = "") -> Row:
    return Row(entry.id, headline(entry), when(entry), details(entry), snippet(entry, text) if text else None)


def split_labels(text: str) -> tuple[str, ...]:
    """Labels as typed in one field, separated with commas (as the Today screen's tags)."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


@dataclass
class EntryForm:
    """Everything an entry holds, as the entry window shows and edits it. Labels are typed with commas;
    energy is None when unset; shift is "" when unset; prompt is read-only (the text of the prompt the
    entry answered when its pack is here, its reference otherwise)."""

    title: str
    body: str
    tags: str
    energy: int | None
    drains: str
    fuels: str
    shift: str
    prompt: str = ""

    @classmethod
    def of(cls, entry: Entry, prompt: str = "") -> EntryForm:
        return cls(
            title=entry.title,
            body=entry.body,
            tags=", ".join(entry.tags),
            energy=entry.energy,
            drains=", ".join(entry.drains),
            fuels=", ".join(entry.fuels),
            shift=entry.shift or "",
            prompt=prompt,
        )

    def changes(self, before: EntryForm) -> EntryChanges:
        """Only what was changed (a label field left as shown is left alone, even when a label holds a
        comma); what was emptied is cleared."""
        values: dict[str, object] = {}
        clear: set[str] = set()
        for name in ("title", "body"):
            if getattr(self, name) != getattr(before, name):
                values[name] = getattr(self, name)
        for name in ("tags", "drains", "fuels"):
            if getattr(self, name) != getattr(before, name):
                labels = split_labels(getattr(self, name))
                if labels:
                    values[name] = labels
                else:
                    clear.add(name)
        if self.energy != before.energy:
            if self.energy is None:
                clear.add("energy")
            else:
                values["energy"] = self.energy
        if self.shift != before.shift:
            if self.shift:
                values["shift"] = self.shift
            else:
                clear.add("shift")
        return EntryChanges(**values, clear=frozenset(clear))  # type: ignore[arg-type]


@dataclass
class Filters:
    text: str = ""
    tag: str = ""
    drain: str = ""
    fuel: str = ""
    shift: str = ""
    since: str = ""
    until: str = ""

    @property
    def active(self) -> int:
        """How many filters (besides the search words) narrow the list."""
        chosen = (self.tag, self.drain, self.fuel, self.shift, self.since, self.until)
        return sum(bool(value.strip()) for value in chosen)

    def query(self) -> EntryQuery:
        """Raises InvalidInput (with a calm message) for a date or shift that does not parse."""
        return EntryQuery(
            text=self.text.strip() or None,
            tag=self.tag.strip() or None,
            drain=self.drain.strip() or None,
            fuel=self.fuel.strip() or None,
            shift=parse_shift(self.shift) if self.shift.strip() else None,
            since=parse_bound(self.since) if self.since.strip() else None,
            until=parse_bound(self.until) if self.until.strip() else None,
        )


class JournalModel:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.filters = Filters()
        self.pages = 1
        self.results: list[Entry] = []
        self.has_more = False
        self.matching: int | None = None  # how many entries a search or filter selects; None: no filter

    @property
    def filtered(self) -> bool:
        return self.filters != Filters()

    def search(self) -> list[Entry]:
        query = self.filters.query()
        limit = self.pages * PAGE_SIZE
        vault = self.session.require()
        # Bodies for the rows shown only: the words around a match, or an untitled entry's first line.
        found = vault.entries(query, limit=limit + 1, with_bodies=bool(query.text))
        if not query.text:
            found = self._untitled_bodies(found)
        self.has_more = len(found) > limit
        self.results = found[:limit]
        if not self.filtered:
            self.matching = None
        elif not self.has_more:
            self.matching = len(self.results)
        else:  # metadata only: the text index and the filters, nothing more decrypted
            self.matching = len(vault.entries(query, with_titles=False))
        return self.results

    def prepare_search(self) -> None:
        """Ready the text search before the first key (the search field got focus)."""
        self.session.require().prepare_search()

    def _untitled_bodies(self, found: list[Entry]) -> list[Entry]:
        """The bodies of the untitled entries only (their headline is the first line): the others
        need none, and 40 single reads were a third of opening Journal (issue 14)."""
        vault = self.session.require()
        listed: list[Entry] = []
        for entry in found:
            if entry.title.strip():
                listed.append(entry)
                continue
            try:
                listed.append(vault.get(entry.id))
            except (VaultDamaged, EntryNotFound):
                continue  # found damaged, or deleted elsewhere meanwhile: left out, as a listing does
        return listed

    def rows(self) -> list[Row]:
        """The results as the list shows them (search words in context when searching)."""
        return [row(entry, self.filters.text) for entry in self.results]

    def filters_label(self) -> str:
        """ "Filters", or "Filters (2)" when two are in use, so hidden filters are never forgotten."""
        active = self.filters.active
        return f"Filters ({active})" if active else "Filters"

    def count_text(self) -> str:
        if self.matching is None:
            return ""
        if self.matching == 0:
            return "No entries match."
        return f"{self.matching:,} {'entry matches' if self.matching == 1 else 'entries match'}."

    def set_filters(self, **values: str) -> list[Entry]:
        self.filters = replace(self.filters, **values)
        self.pages = 1
        return self.search()

    def more(self) -> list[Entry]:
        self.pages += 1
        return self.search()

    def open(self, entry_id: str) -> Entry:
        return self.session.require().get(entry_id)

    def prompt_text(self, entry: Entry) -> str:
        """The prompt the entry answered, in words when its pack is here; its reference otherwise."""
        if entry.prompt is None:
            return ""
        try:
            return Library(self.session.require()).prompt(str(entry.prompt)).text
        except PurposeError:  # a pack turned off, removed or never here: the reference still says which
            return str(entry.prompt)

    def form(self, entry_id: str) -> tuple[Entry, EntryForm]:
        """The entry and its fields, for the entry window."""
        entry = self.open(entry_id)
        return entry, EntryForm.of(entry, self.prompt_text(entry))

    def save_form(self, entry_id: str, before: EntryForm, after: EntryForm) -> Entry:
        """What the entry window changed, stored (nothing when nothing changed)."""
        changes = after.changes(before)
        if changes == EntryChanges():
            return self.open(entry_id)
        return self.edit(entry_id, changes)

    def edit(self, entry_id: str, changes: EntryChanges) -> Entry:
        entry = self.session.require().edit(entry_id, changes)
        self.search()
        return entry

    def delete(self, entry_id: str) -> None:
        self.session.require().delete(entry_id)
        self.search()

    def labels(self, kind: str, limit: int = LABEL_CHOICES) -> list[str]:
        """The most used labels of one kind ("tags", "drains" or "fuels"), most common first."""
        return _most_common(self.session.require().entries(with_titles=False), kind, limit)

    def label_choices(self, limit: int = LABEL_CHOICES) -> dict[str, list[str]]:
        """The Tag, Drain and Fuel filters' choices: the most used labels of each kind, from one listing
        of the metadata (read when the filters are shown, not each time Journal opens: issue 14)."""
        entries = self.session.require().entries(with_titles=False)
        return {kind: _most_common(entries, kind, limit) for kind in LABEL_KINDS}


def _most_common(entries: list[Entry], kind: str, limit: int) -> list[str]:
    # Counted in one C-level pass (Counter of a flat iterable): a Counter.update per entry took
    # twice as long.
    counts = Counter(chain.from_iterable(getattr(entry, kind) for entry in entries))
    return [label for label, _ in counts.most_common(limit)]
