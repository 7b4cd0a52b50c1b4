"""Sealed pages: the current versions of up to 1,000 entries sealed together in one blob.

Why: a large journal stored one sealed value per field per entry costs 150,000 decryptions (and as
many Python objects) to open and search at 50,000 entries; read as pages it costs about fifty. Pages
are a cache of the `entries` table, never the only copy: every entry is always complete in its own row.

How a page's copy is known to be current: every write of an entry row gives it a new random `stamp`.
A page records, for each entry it holds, the stamp the row had when the page was written, and the row
records the page's id. The copy is used only while both agree; otherwise the row is read (and
authenticated) as usual. A page that fails authentication is ignored the same way.

What a page never holds: a superseded or deleted version. Editing or deleting an entry rewrites its
page without it in the same transaction (secure_delete zeroes the old page), so deleting an entry
removes its text from the pages at once; the new version joins a page later, when enough entries
are outside pages (see Vault._write_pages).

Each write of a page gives it a new random `stamp` (in the clear, and bound into its seal), which the
vault's state digest covers (storage/state_digest.py): an older copy of a page put back is noticed at
open. Pages written before the digest existed have stamp 0 and the associated data they had then.

A page's plaintext is laid out for reading fast: a JSON header with one list per column, a newline,
then every entry's search text (title, body and labels, one per line) one after the other. Opening a
journal parses only the header; a text search folds each page's text once and searches it whole,
with no per-entry copies. Sealed with associated data vault / "entry_pages" / page id / stamp.

    {"v": 1, "ids": [...], "stamps": [...], "revisions": [...], "created": [...], "updated": [...],
     "tags": [[...], ...], "energy": [...], "drains": [...], "fuels": [...], "shift": [...],
     "prompt": [...], "order": [instant], "titles": [title length, ...], "bodies": [body length, ...],
     "texts": [search text length, ...]}
    \n title \n body \n label ... \n title \n body \n label ...        (lengths in characters)
"""

from __future__ import annotations

import json
import operator
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate, repeat
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from purpose_app.crypto.envelope import Sealer, SealError, ad_prefix
from purpose_app.domain.entry import Entry, PromptRef
from purpose_app.domain.query import search_text
from purpose_app.storage.meta_record import UNREADABLE
from purpose_app.storage.schema import entries, entry_pages

TABLE = "entry_pages"
PAGE_VERSION = 1
PAGE_SIZE = 1000  # entries per page: ~1.3 MB sealed for entries of about 1,000 characters
# The header's columns, one list each, in this order. "created" to "prompt" are the fields of an
# entry's meta record (storage/meta_record.py), kept as columns so that a page's entries are built
# by C-level map() calls rather than one Python call per entry.
_COLUMNS = (
    "ids", "stamps", "revisions", "created", "updated", "tags", "energy", "drains", "fuels", "shift",
    "prompt", "order", "titles", "bodies", "texts",
)  # fmt: skip
# Point a row at its page, only if it is still the version the page holds.
_POINT = (
    update(entries)
    .where(entries.c.id == bindparam("entry_id"), entries.c.stamp == bindparam("entry_stamp"))
    .values(page=bindparam("page_id"))
)
_from_iso = datetime.fromisoformat


def _prompt(value: str | None) -> PromptRef | None:
    return PromptRef(*value.split("/", 1)) if value else None


@dataclass(frozen=True, slots=True)
class Page:
    """One page as read: its columns, and all its entries' search texts in one string."""

    page_id: int
    columns: dict[str, list[Any]]
    text: str
    starts: list[int]  # where each entry's search text starts in `text`

    @property
    def ids(self) -> list[str]:
        return self.columns["ids"]

    @property
    def stamps(self) -> list[int]:
        return self.columns["stamps"]

    @property
    def order(self) -> list[float]:
        return self.columns["order"]

    @property
    def lengths(self) -> list[int]:
        return self.columns["texts"]

    def titles(self) -> list[str]:
        ends = map(operator.add, self.starts, self.columns["titles"])
        return list(map(self.text.__getitem__, map(slice, self.starts, ends)))

    def _bodies(self) -> list[str]:
        begins = list(map(operator.add, map(operator.add, self.starts, self.columns["titles"]), repeat(1)))
        ends = map(operator.add, begins, self.columns["bodies"])
        return list(map(self.text.__getitem__, map(slice, begins, ends)))

    def summaries(self) -> list[Entry]:
        """Every entry the page holds, without title and body (what listing and filters need).
        Raises one of meta_record.UNREADABLE if a column is not what it should be."""
        return self._build(repeat(""), repeat(""))

    def entries(self) -> list[tuple[Entry, int]]:
        """Every entry the page holds, complete, with the stamp it was written with."""
        return list(zip(self._build(self.titles(), self._bodies()), self.stamps, strict=True))

    def _build(self, titles: Iterable[str], bodies: Iterable[str]) -> list[Entry]:
        c = self.columns
        return list(map(
            Entry, c["ids"], map(_from_iso, c["created"]), map(_from_iso, c["updated"]), c["revisions"],
            titles, bodies, map(tuple, c["tags"]), c["energy"], map(tuple, c["drains"]),
            map(tuple, c["fuels"]), c["shift"], map(_prompt, c["prompt"]),
        ))  # fmt: skip


def encode_page(rows: list[tuple[Entry, int]]) -> bytes:
    """The plaintext of a page holding these entries (each with its row's stamp)."""
    items = [entry for entry, _ in rows]
    texts = [search_text(entry) for entry in items]
    columns: dict[str, list[Any]] = {
        "ids": [e.id for e in items],
        "stamps": [stamp for _, stamp in rows],
        "revisions": [e.revision for e in items],
        "created": [e.created.isoformat() for e in items],
        "updated": [e.updated.isoformat() for e in items],
        "tags": [list(e.tags) for e in items],
        "energy": [e.energy for e in items],
        "drains": [list(e.drains) for e in items],
        "fuels": [list(e.fuels) for e in items],
        "shift": [e.shift for e in items],
        "prompt": [str(e.prompt) if e.prompt else None for e in items],
        "order": [e.created.timestamp() for e in items],  # the instant entries are sorted by
        "titles": [len(e.title) for e in items],
        "bodies": [len(e.body) for e in items],
        "texts": [len(t) for t in texts],
    }
    header = json.dumps({"v": PAGE_VERSION, **columns}, ensure_ascii=False, separators=(",", ":"))
    return (header + "\n" + "\n".join(texts)).encode("utf-8")


def decode_page(page_id: int, plaintext: bytes) -> Page | None:
    """The page, or None if it is not a page this release understands. Checked, not trusted: a
    value that authenticated but does not add up is treated like a damaged page."""
    try:
        split = plaintext.index(b"\n")
        header = json.loads(plaintext[:split])
        text = plaintext[split + 1 :].decode("utf-8")
        columns = {name: header[name] for name in _COLUMNS} if header.get("v") == PAGE_VERSION else None
    except (ValueError, KeyError, AttributeError):
        return None
    if columns is None:
        return None
    count = len(columns["ids"])
    if not all(isinstance(c, list) and len(c) == count for c in columns.values()):
        return None
    title_lengths, body_lengths, lengths = columns["titles"], columns["bodies"], columns["texts"]
    if columns["order"] and set(map(type, columns["order"])) != {float}:
        return None
    numbers = (*lengths, *title_lengths, *body_lengths)
    if numbers and (set(map(type, numbers)) != {int} or min(numbers) < 0):
        return None
    if not all(map(operator.lt, map(operator.add, title_lengths, body_lengths), lengths)):  # t + 1 + b <= n
        return None
    if sum(lengths) + count - 1 != len(text) and (count or text):
        return None
    starts = list(accumulate(map(operator.add, lengths[:-1], repeat(1)), initial=0)) if count else []
    return Page(page_id, columns, text, starts)


class PageStore:
    def __init__(self, conn: Connection, sealer: Sealer, vault_id: str) -> None:
        self._conn = conn
        self._sealer = sealer
        self._ad_prefix = ad_prefix(vault_id, TABLE)

    def _ad(self, page_id: int, stamp: int = 0) -> bytes:
        # Stamp 0: a page written before pages had stamps, sealed with the associated data of then.
        return self._ad_prefix.build(page_id, stamp) if stamp else self._ad_prefix.build(page_id)

    def _open(self, page_id: int, stored: tuple[bytes, int]) -> Page | None:
        """The page, or None if it does not authenticate or is not a page we understand."""
        blob, stamp = stored
        try:
            return decode_page(page_id, self._sealer.open(blob, self._ad(page_id, stamp)))
        except SealError:
            return None

    def _blob(self, page_id: int) -> tuple[bytes, int] | None:
        """The page's sealed value and its stamp, None if there is no such page."""
        row = self._conn.execute(
            select(entry_pages.c.value, entry_pages.c.stamp).where(entry_pages.c.id == page_id)
        ).one_or_none()
        return None if row is None else (bytes(row[0]), int(row[1]))

    # -- reading

    def _raw(self) -> Any:
        raw = self._conn.connection.driver_connection
        assert raw is not None
        return raw

    def pointing_at(self, page_id: int) -> dict[str, int]:
        """The rows that say their current copy is in this page: id -> the row's stamp. (The copy
        is current where the page recorded the same stamp.) Read from the paging index alone."""
        return dict(self._raw().execute("SELECT id, stamp FROM entries WHERE page = ?", (page_id,)))

    def unpaged_ids(self) -> list[str]:
        """Rows that point at no page, or at one that is not there (any more)."""
        sql = "SELECT id FROM entries WHERE page IS NULL OR page NOT IN (SELECT id FROM entry_pages)"
        return [row[0] for row in self._raw().execute(sql)]

    def all_ids(self) -> list[str]:
        return [row[0] for row in self._raw().execute("SELECT id FROM entries")]

    def pointers(self) -> dict[str, int | None]:
        """Every entry row's id -> the page it points to (None: outside pages)."""
        return dict(self._raw().execute("SELECT id, page FROM entries"))

    def ids(self) -> set[int]:
        return {int(i) for i in self._conn.execute(select(entry_pages.c.id)).scalars()}

    def pages(self) -> Iterator[tuple[int, Page | None]]:
        """Every page: (id, page), None for one that failed authentication. One at a time, so at
        most one page's plaintext is held here."""
        for page_id in sorted(self.ids()):
            blob = self._blob(page_id)
            if blob is not None:
                yield page_id, self._open(page_id, blob)

    # -- writing (inside the caller's write transaction)

    def add(self, rows: list[tuple[Entry, int]]) -> int:
        """A new page holding these entries (each with the stamp its row had when read); each row
        that still has that stamp now points to it. Returns the page id."""
        # The id is part of the seal's associated data, so the row is made first and filled after.
        page_id = int(self._conn.execute(insert(entry_pages).values(value=b"")).inserted_primary_key[0])  # type: ignore[index]
        self._replace(page_id, rows)
        self._conn.execute(
            _POINT, [{"entry_id": e.id, "entry_stamp": s, "page_id": page_id} for e, s in rows]
        )
        return page_id

    def take_out(self, entry_id: str) -> None:
        """Before an entry's row is rewritten or deleted: rewrite its page without it (or delete the
        page if it held nothing else), so no page keeps a version that is no longer current."""
        page_id = self._conn.execute(select(entries.c.page).where(entries.c.id == entry_id)).scalar()
        blob = None if page_id is None else self._blob(page_id)
        if page_id is None or blob is None:
            return
        page = self._open(page_id, blob)
        try:
            remaining = [] if page is None else [(e, s) for e, s in page.entries() if e.id != entry_id]
        except UNREADABLE:
            remaining = []  # a page that does not add up is dropped, not rewritten
        if remaining:
            self._replace(page_id, remaining)
        else:
            self.drop([page_id])

    def _replace(self, page_id: int, rows: list[tuple[Entry, int]]) -> None:
        stamp = 1 + secrets.randbits(62)  # new on every write, never 0 (0 means "from before stamps")
        sealed = self._sealer.seal(encode_page(rows), self._ad(page_id, stamp))
        self._conn.execute(
            update(entry_pages).where(entry_pages.c.id == page_id).values(value=sealed, stamp=stamp)
        )

    def drop(self, page_ids: list[int]) -> None:
        """Delete these pages (nothing current in them, or they failed authentication); rows still
        pointing at one point at none."""
        for page_id in page_ids:
            self._conn.execute(delete(entry_pages).where(entry_pages.c.id == page_id))
            self._conn.execute(update(entries).where(entries.c.page == page_id).values(page=None))
