"""What the unlocked journal keeps decrypted in memory: the entry index, its order, the page policy and
the text index.

What is decrypted when: every entry's compact metadata the first time anything is listed, searched or
counted (a save alone never needs it); a title when an entry is shown; every title and body the first
time text is searched (titles and a case-folded copy of each entry's text are kept for matching until
lock; bodies are not kept); bodies for a long listing or an export in batches of 500 (taken from the
pages read for the metadata while their text is kept: see kept_pages.py).
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace

from sqlalchemy import Connection

from purpose_app import messages
from purpose_app.domain.entry import Entry
from purpose_app.domain.query import EntryQuery, matches, search_text
from purpose_app.domain.text_index import TextIndex
from purpose_app.errors import VaultDamaged, VaultLocked
from purpose_app.services import memory
from purpose_app.services.kept_pages import KeptPages
from purpose_app.storage import database
from purpose_app.storage.meta_record import UNREADABLE
from purpose_app.storage.pages import PAGE_SIZE, PageStore
from purpose_app.storage.repository import Damage, DamagedValue, EntryRepository

MIN_PAGED = 2000  # below this many entries, reading row by row takes a few dozen ms: no pages
PAGE_FILL = 500  # entries outside pages before they are gathered into new ones (at lock)
LOCKED = "The vault is locked. Unlock it to go on."

Writing = Callable[[], AbstractContextManager[EntryRepository]]


def order_key(entry: Entry) -> tuple[float, str]:
    # The instant as a number: comparing aware datetimes with different zone objects calls
    # utcoffset() at every comparison (a third of the time sorting 50,000 entries). Microseconds
    # stay distinct in a float for dates in this era.
    return (entry.created.timestamp(), entry.id)


def with_text(entry: Entry, title: str, body: str) -> Entry:
    """The entry with this title and body (the constructor: several times faster than replace())."""
    return Entry(
        entry.id, entry.created, entry.updated, entry.revision, title, body, entry.tags, entry.energy,
        entry.drains, entry.fuels, entry.shift, entry.prompt,
    )  # fmt: skip


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while tens of thousands of objects that live on are created:
    each collection would walk all of them again, doubling the time a large journal takes to open.
    These loops create no reference cycles, so nothing is left for the collector to find."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class JournalCache:
    """Decrypted metadata, titles and search text of one unlocked vault, and its pages. Not
    thread-safe on its own: the Vault holds its lock around every call."""

    def __init__(self, conn: Connection, repo: EntryRepository, pages: PageStore) -> None:
        self._conn: Connection | None = conn
        self._repo: EntryRepository | None = repo
        self._pages: PageStore | None = pages
        self.page_of: dict[str, int] = {}  # entry id -> the page whose copy of it was read
        self.page_order: dict[str, float] = {}  # sort instants from pages, until the first sort
        self.failed_pages: set[int] = set()  # pages that did not authenticate when read
        self.kept = KeptPages()  # the pages' texts from reading the metadata, until a search folds them
        self.entries: dict[str, Entry] = {}  # metadata only: title and body empty
        self.loaded = False  # entries is read on first use: a save alone never needs it
        self.sealed_titles: dict[str, bytes] = {}
        self.titles: dict[str, str] = {}
        self.bodies: dict[str, str] = {}  # only what this session wrote
        self.text = TextIndex()  # case-folded title, body and labels of every entry, for search
        self.texts_complete = False
        self.oldest_first: list[Entry] | None = None  # sorted on first use, then maintained
        self.damaged: dict[str, Damage] = {}

    # -- the storage it reads through (gone after close: the sealers hold keys)

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise VaultLocked(LOCKED)
        return self._conn

    @property
    def repo(self) -> EntryRepository:
        if self._repo is None:
            raise VaultLocked(LOCKED)
        return self._repo

    @property
    def pages(self) -> PageStore:
        if self._pages is None:
            raise VaultLocked(LOCKED)
        return self._pages

    def clear(self) -> None:
        """Forget every decrypted value; read again on first use."""
        for cache in (self.entries, self.sealed_titles, self.titles, self.bodies):
            cache.clear()
        self.text = TextIndex()
        self.damaged.clear()
        self.page_of.clear()
        self.failed_pages.clear()
        self.page_order.clear()
        self.kept = KeptPages()
        self.loaded = False
        self.texts_complete = False
        self.oldest_first = None

    def close(self) -> None:
        """Forget everything, and let go of the repository and page store (and so of their keys)."""
        self.clear()
        self._conn = self._repo = self._pages = None
        memory.release()  # the decrypted index, gone: without this glibc keeps ~55 MB of it resident

    # -- reading

    def index(self) -> dict[str, Entry]:
        """Every readable entry's metadata by id, read and decrypted on first use."""
        if not self.loaded:
            self._read(texts=False)
        return self.entries

    def load_texts(self) -> None:
        """Decrypt every title and body once, for text search, keeping titles and a case-folded copy
        of each entry's text (not the bodies: a listing fetches the few it shows)."""
        if not self.texts_complete:
            self._read(texts=True)

    def _read(self, *, texts: bool) -> None:
        """Read the metadata (if not read yet) and, with `texts`, every title and a case-folded copy of
        each entry's text for search. Current copies in pages first (a few dozen decryptions), then
        the rows no page holds a current copy of, one by one. Damaged rows are set aside."""
        with database.reading(self.conn), collector_paused():
            if not self.loaded:
                outside = self._read_metadata(fold=texts)
            elif self.page_of:  # the pages' texts were kept when the metadata was read
                outside = [i for i in self.entries if i not in self.page_of]
            else:
                outside = None  # no pages: every row, in one pass
            if texts:
                self._read_texts(outside)
        self.loaded = True
        memory.release()  # what decrypting every page and row left freed (10-15 MB at 50,000 entries)

    def _read_metadata(self, *, fold: bool) -> list[str] | None:
        """Every entry's metadata and title: from pages where current, else from rows. Folds each
        page's text for search now (`fold`) or keeps it for the first search; returns the ids read
        from rows (None: all were)."""
        entries, page_of, store = self.entries, self.page_of, self.pages
        clean = True  # every page read, and every copy in it current
        for page_id, page in store.pages():
            try:
                summaries = page.summaries() if page is not None else None
            except UNREADABLE:
                summaries = None  # authentic but not readable: as if damaged
            if page is None or summaries is None:
                self.failed_pages.add(page_id)  # its entries come from their rows; replaced at lock
                clean = False
                continue
            ids, titles = page.ids, page.titles()
            pointing = store.pointing_at(page_id)  # id -> stamp of the rows that say "this page"
            current = list(map(pointing.get, ids))
            if current == page.stamps and len(pointing) == len(ids):  # the usual case: all current
                entries.update(zip(ids, summaries, strict=True))
                self.page_order.update(zip(ids, page.order, strict=True))
                self.titles.update(zip(ids, titles, strict=True))
                page_of.update(dict.fromkeys(ids, page_id))
            else:  # a row moved on (or points here by mistake): the row counts
                clean = False
                for entry, title, found, wanted in zip(summaries, titles, current, page.stamps, strict=True):
                    if found == wanted:
                        entries[entry.id], self.titles[entry.id], page_of[entry.id] = entry, title, page_id
            if fold:
                self.text.add_block(page.ids, page.text, page.starts, page.lengths)
            else:
                self.kept.add(page)
        # Rows outside pages, or pointing at a page whose copy was not used: read one by one.
        if not page_of:
            outside = None
        elif not clean:
            outside = [i for i in store.all_ids() if i not in page_of]
        else:  # every page's every copy was current: only rows pointing nowhere are left
            outside = store.unpaged_ids()
        for item in self.repo.summaries(outside):
            if isinstance(item, Damage):
                self.damaged[item.entry_id] = item
            else:
                entry, sealed_title = item
                entries[entry.id] = entry
                self.sealed_titles[entry.id] = sealed_title
        return outside

    def _read_texts(self, outside: list[str] | None) -> None:
        """Fold the kept page texts (one string per page) and read the other entries' titles and
        bodies from their rows, for text search."""
        while self.kept:  # each page's text let go as soon as it is folded: one copy at a time
            self.text.add_block(*self.kept.pop().block())
        for entry_id, revision, title, body in self.repo.texts(outside):
            known = self.entries.get(entry_id)
            if known is None or known.revision != revision:
                continue  # damaged metadata, or changed since: read again on the next refresh
            if isinstance(title, Damage):
                self.mark_damaged(title)
            elif isinstance(body, Damage):
                self.mark_damaged(body)
            else:
                self.titles[entry_id] = title
                self._index_text(known, title, body)
        self.texts_complete = True

    def mark_damaged(self, damage: Damage) -> VaultDamaged:
        self.damaged[damage.entry_id] = damage
        self.entries.pop(damage.entry_id, None)
        self.page_of.pop(damage.entry_id, None)
        self.text.remove(damage.entry_id)
        self.oldest_first = None
        return VaultDamaged(messages.entry_damaged(damage.entry_id, damage.field))

    # -- decrypting on demand

    def title(self, entry: Entry) -> str:
        title = self.titles.get(entry.id)
        if title is None:
            try:
                title = self.repo.open_title(entry.id, entry.revision, self.sealed_titles[entry.id])
            except DamagedValue as exc:
                raise self.mark_damaged(exc.damage) from None
            self.titles[entry.id] = title
        return title

    def body(self, entry: Entry) -> str:
        body = self.bodies.get(entry.id)
        if body is None:
            try:
                with database.reading(self.conn):
                    body = self.repo.body(entry.id, entry.revision)
            except DamagedValue as exc:
                raise self.mark_damaged(exc.damage) from None
        return body

    def _index_text(self, entry: Entry, title: str, body: str) -> None:
        self.text.put(entry.id, search_text(with_text(entry, title, body)))

    def complete(self, batch: list[Entry]) -> list[Entry]:
        """These entries with titles and bodies, in the same order, read in one transaction (500 rows
        per select). One found damaged is left out; one changed meanwhile comes as it is on disk now.
        Those whose current copy is in a page kept since the metadata was read come from it instead."""
        kept = self.kept.texts([e.id for e in batch], self.page_of) if self.kept else {}
        found: dict[str, Entry | Damage] = {}
        if len(kept) < len(batch):
            rest = [e.id for e in batch if e.id not in kept]
            with database.reading(self.conn), collector_paused():
                found = {item.entry_id if isinstance(item, Damage) else item.id: item
                         for item in self.repo.complete(rest)}  # fmt: skip
        complete: list[Entry] = []
        for entry in batch:
            text = kept.get(entry.id)
            item = with_text(entry, *text) if text is not None else found.get(entry.id)
            if isinstance(item, Damage):
                self.mark_damaged(item)
            elif item is not None:
                complete.append(item)
        return complete

    def select(self, query: EntryQuery, limit: int | None) -> list[Entry]:
        """Metadata of the entries matching the query, newest first. A text query decrypts every
        title and body the first time (see load_texts)."""
        if query.needs_bodies:
            self.load_texts()
        hits = self.text.matching(query.text) if query.text else None
        metadata_only = replace(query, text=None)
        chosen: list[Entry] = []
        for entry in self.in_order():
            if hits is not None and entry.id not in hits:
                continue
            if not matches(entry, metadata_only):
                continue
            chosen.append(entry)
            if limit is not None and len(chosen) >= limit:
                break
        return chosen

    # -- order

    def in_order(self) -> Iterator[Entry]:
        """Newest first. The sorted list is kept up to date by _place and _unplace, so a save
        never re-sorts the journal."""
        if self.oldest_first is None:
            entries, known = self.index(), self.page_order
            # Pages carry each entry's order_key instant, computed when written; the rest compute it.
            keys = [known[i] if i in known else order_key(e)[0] for i, e in entries.items()]
            with collector_paused():
                ordered = sorted(zip(keys, entries, entries.values(), strict=True))
            self.oldest_first = [entry for *_, entry in ordered]
            self.page_order = {}
        return reversed(self.oldest_first)

    def _unplace(self, entry: Entry) -> None:
        order = self.oldest_first
        if order is None:
            return
        index = bisect.bisect_left(order, order_key(entry), key=order_key)
        if index < len(order) and order[index].id == entry.id:
            del order[index]
        else:
            self.oldest_first = None  # not where expected: rebuild lazily rather than guess

    def _place(self, entry: Entry) -> None:
        if self.oldest_first is not None:
            bisect.insort(self.oldest_first, entry, key=order_key)

    # -- after our own writes (no re-read, no re-decrypt)

    def remember(self, entry: Entry) -> None:
        """Update the caches after our own write. Before the metadata is first read there is nothing
        to update: it will be read with this entry in it."""
        if not self.loaded:
            return
        previous = self.entries.get(entry.id)
        if previous is not None:
            self._unplace(previous)
        self.entries[entry.id] = summary = with_text(entry, "", "")
        self.page_of.pop(entry.id, None)  # its row was rewritten: outside pages until gathered
        self._place(summary)
        self.titles[entry.id] = entry.title
        self.bodies[entry.id] = entry.body
        if self.texts_complete:
            self._index_text(entry, entry.title, entry.body)
        self.damaged.pop(entry.id, None)

    def forget(self, entry_id: str) -> None:
        if self.loaded and entry_id in self.entries:
            self._unplace(self.entries[entry_id])
        for cache in (self.entries, self.sealed_titles, self.titles, self.bodies):
            cache.pop(entry_id, None)
        self.text.remove(entry_id)
        self.damaged.pop(entry_id, None)
        self.page_of.pop(entry_id, None)

    # -- the page policy

    def page_imported(self, added: list[Entry], stamps: list[int], before: int) -> dict[str, int]:
        """Inside the import's transaction: put a large import straight into pages (it is in memory
        already), so the next unlock reads it as pages. Returns entry id -> page."""
        if before + len(added) < MIN_PAGED or len(added) < PAGE_FILL:
            return {}  # small: gathered into a page later, with others (see write_pages)
        paged: dict[str, int] = {}
        for start in range(0, len(added), PAGE_SIZE):
            rows = list(zip(added[start : start + PAGE_SIZE], stamps[start : start + PAGE_SIZE], strict=True))
            page_id = self.pages.add(rows)
            paged.update((entry.id, page_id) for entry, _ in rows)
        return paged

    def write_pages(self, writing: Writing) -> None:
        """Gather the entries no page holds into new pages once there are enough of them in a journal
        large enough for pages to pay, and delete pages nothing points to any more. Pages are a cache:
        if this fails, nothing is lost (the rows are complete), and it is tried again next time."""
        if not self.loaded or len(self.entries) < MIN_PAGED:
            return
        if len(self.entries) - len(self.page_of) < PAGE_FILL and not self.failed_pages:
            return  # a page that failed is replaced whatever the count: its entries read slowly
        with writing() as repo:
            store = self.pages
            where = store.pointers()  # read again inside the write lock: what counts is the file
            pages = store.ids()
            usable = pages - self.failed_pages
            outside = [i for i, page in where.items() if page not in usable]
            for start in range(0, len(outside), PAGE_SIZE):
                rows = repo.page_rows(outside[start : start + PAGE_SIZE])
                if rows:
                    store.add(rows)
            pointed = {page for page in where.values() if page is not None}
            store.drop(sorted((pages - pointed) | (pages - usable)))
