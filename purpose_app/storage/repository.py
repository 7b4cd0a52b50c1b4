"""Entries in and out of SQLite, sealed at this boundary. Above it: plain Entry values. Below: blobs."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from purpose_app.crypto.envelope import Sealer, SealError, ad_prefix
from purpose_app.domain.entry import Entry
from purpose_app.storage.meta_record import UNREADABLE, entry_from_meta, meta_json
from purpose_app.storage.pages import PageStore
from purpose_app.storage.schema import entries, tombstones

TABLE = "entries"
_INSERT = insert(entries)


@dataclass(frozen=True, slots=True)
class Damage:
    """One stored value that failed authentication or could not be read."""

    entry_id: str
    field: str


class DamagedValue(Exception):
    def __init__(self, damage: Damage) -> None:
        super().__init__(f"{damage.field} of entry {damage.entry_id}")
        self.damage = damage


def _entry_from(entry_id: str, revision: int, meta: bytes, title: str, body: str) -> Entry:
    return entry_from_meta(entry_id, revision, meta.decode("utf-8"), title, body)


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


class EntryRepository:
    def __init__(self, conn: Connection, sealer: Sealer, vault_id: str, pages: PageStore) -> None:
        self._conn = conn
        self._sealer = sealer
        self.pages = pages
        # Encoded once: unlock builds two associated-data strings per entry, 100,000 at 50,000 entries.
        self._ad_prefix = ad_prefix(vault_id, TABLE)
        self._ad = self._ad_prefix.record  # (entry id, field, revision)

    def _seal_row(self, entry: Entry) -> dict[str, object]:
        seal, rev = self._sealer.seal, entry.revision
        return {
            "id": entry.id,
            "revision": rev,
            "meta": seal(meta_json(entry), self._ad(entry.id, "meta", rev)),
            "title": seal(entry.title.encode("utf-8"), self._ad(entry.id, "title", rev)),
            "body": seal(entry.body.encode("utf-8"), self._ad(entry.id, "body", rev)),
            "stamp": secrets.randbits(62),  # new on every write: a page's older copy stops counting
            "page": None,
        }

    def _open(self, blob: bytes, entry_id: str, field: str, revision: int) -> bytes:
        try:
            return self._sealer.open(blob, self._ad(entry_id, field, revision))
        except SealError:
            raise DamagedValue(Damage(entry_id, field)) from None

    def _open_text(self, blob: bytes, entry_id: str, field: str, revision: int) -> str:
        raw = self._open(blob, entry_id, field, revision)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise DamagedValue(Damage(entry_id, field)) from None

    def insert(self, entry: Entry) -> None:
        # Values as parameters, not .values(): the statement is compiled once and cached, which
        # matters when a restore or an import inserts thousands of rows in one transaction.
        self._conn.execute(_INSERT, self._seal_row(entry))

    def insert_many(self, batch: list[Entry]) -> list[int]:
        """Insert the rows in one statement; returns their stamps, in order (for writing pages)."""
        if not batch:
            return []
        rows = [self._seal_row(entry) for entry in batch]
        self._conn.execute(_INSERT, rows)
        return [int(row["stamp"]) for row in rows]  # type: ignore[call-overload]

    def replace(self, entry: Entry) -> bool:
        """Store a new revision over the previous one; False if the stored revision moved on."""
        self.pages.take_out(entry.id)  # undone with the transaction if the revision moved on
        row = self._seal_row(entry)
        result = self._conn.execute(
            update(entries)
            .where(entries.c.id == entry.id, entries.c.revision == entry.revision - 1)
            .values(**row)
        )
        return result.rowcount == 1

    def overwrite(self, entry: Entry, expected_revision: int | None) -> bool:
        """Store `entry` over the row with its id, whatever revision it holds (a merge may keep an
        incoming version with a lower revision, or repair a damaged row). With expected_revision,
        only if the stored revision is still that one. False if no row was changed."""
        condition = [entries.c.id == entry.id]
        if expected_revision is not None:
            condition.append(entries.c.revision == expected_revision)
        self.pages.take_out(entry.id)
        result = self._conn.execute(update(entries).where(*condition).values(**self._seal_row(entry)))
        return result.rowcount == 1

    def delete(self, entry_id: str, expected_revision: int | None = None) -> bool:
        """Delete the row and leave a tombstone with the revision it had (for sync and merges)."""
        condition = [entries.c.id == entry_id]
        if expected_revision is not None:
            condition.append(entries.c.revision == expected_revision)
        revision = self._conn.execute(select(entries.c.revision).where(*condition)).scalar_one_or_none()
        if revision is None:
            return False
        self.pages.take_out(entry_id)
        self._conn.execute(delete(entries).where(entries.c.id == entry_id))
        self.put_tombstone(entry_id, int(revision))
        return True

    # -- tombstones: ids of deleted entries, in the clear (no content), so deletions can be merged

    def tombstones(self) -> dict[str, int]:
        return {str(i): int(r) for i, r in self._conn.execute(select(tombstones.c.id, tombstones.c.revision))}

    def put_tombstone(self, entry_id: str, revision: int) -> None:
        statement = sqlite_insert(tombstones).values(id=entry_id, revision=revision)
        self._conn.execute(
            statement.on_conflict_do_update(index_elements=[tombstones.c.id], set_={"revision": revision})
        )

    def drop_tombstones(self, entry_ids: list[str]) -> None:
        for start in range(0, len(entry_ids), 500):  # SQLite limits the number of bound values
            batch = entry_ids[start : start + 500]
            self._conn.execute(delete(tombstones).where(tombstones.c.id.in_(batch)))

    def _raw(self) -> Any:
        """The driver connection, inside the caller's transaction: bulk reads skip SQLAlchemy's
        per-row result processing (a third of unlock time at 50,000 entries)."""
        return self._conn.connection.driver_connection

    def ids(self) -> set[str]:
        """Every stored entry id, readable or not (ids are in the clear)."""
        return {row[0] for row in self._raw().execute("SELECT id FROM entries")}

    def stamps(self) -> dict[str, int]:
        """Every stored entry id -> its row's stamp (new on every write of the row), from the paging
        index alone: what sync compares to notice changed entries without decrypting any."""
        return dict(self._raw().execute("SELECT id, stamp FROM entries"))

    def stamp_total(self) -> tuple[int, int]:
        """How many rows there are and the exact sum of their stamps (a tenth of the time of stamps()
        at 50,000 rows): every id in one group."""
        return self.stamp_groups(0).get("", (0, 0))

    def stamp_groups(self, width: int) -> dict[str, tuple[int, int]]:
        """Per group of ids (their first `width` characters): how many rows and the exact sum of their
        stamps, summed by SQLite in two 31-bit halves (one sum of 62-bit stamps would overflow its
        64-bit integers)."""
        found = self._raw().execute(
            "SELECT substr(id, 1, ?), count(*), sum(stamp >> 31), sum(stamp & 2147483647) "
            "FROM entries GROUP BY 1",
            (width,),
        )
        return {str(group): (int(count), (int(high) << 31) + int(low)) for group, count, high, low in found}

    def ids_in_groups(self, groups: set[str], width: int) -> set[str]:
        """The ids of the rows in these groups (see stamp_groups; sync's 256 at most, one query)."""
        marks = _placeholders(len(groups))  # only "?" marks go into the text; the groups are bound
        rows = self._raw().execute(
            f"SELECT id FROM entries WHERE substr(id, 1, ?) IN ({marks})",  # noqa: S608
            (width, *sorted(groups)),
        )
        return {str(row[0]) for row in rows}

    def present(self, ids: set[str]) -> set[str]:
        """Which of these ids have a row."""
        return {str(row[0]) for row in self._rows("id", sorted(ids))}

    def _rows(self, columns: str, only: list[str] | None) -> Iterator[tuple[Any, ...]]:
        """Rows of these columns: all of them, or only those with these ids (500 per select)."""
        if only is None:
            yield from self._raw().execute(f"SELECT {columns} FROM entries")  # noqa: S608 (a constant)
            return
        for start in range(0, len(only), 500):
            batch = only[start : start + 500]
            marks = _placeholders(len(batch))  # only "?" marks go into the text; ids are bound
            yield from self._raw().execute(f"SELECT {columns} FROM entries WHERE id IN ({marks})", batch)  # noqa: S608

    def summaries(self, only: list[str] | None = None) -> Iterator[tuple[Entry, bytes] | Damage]:
        """Every entry's metadata (or these entries'), with its title still sealed (opened lazily by
        open_title): only what sorting and filtering need is decrypted. Damaged rows come as Damage."""
        opener = self._open
        for entry_id, revision, meta, title in self._rows("id, revision, meta, title", only):
            try:
                meta_raw = opener(meta, entry_id, "meta", revision)
                yield _entry_from(entry_id, revision, meta_raw, "", ""), title
            except DamagedValue as exc:
                yield exc.damage
            except UNREADABLE:
                yield Damage(entry_id, "meta")

    def open_title(self, entry_id: str, revision: int, blob: bytes) -> str:
        return self._open_text(blob, entry_id, "title", revision)

    def body(self, entry_id: str, revision: int) -> str:
        blob = self._conn.execute(
            select(entries.c.body).where(entries.c.id == entry_id, entries.c.revision == revision)
        ).scalar_one()
        return self._open_text(blob, entry_id, "body", revision)

    def texts(self, only: list[str] | None = None) -> Iterator[tuple[str, int, str | Damage, str | Damage]]:
        """Every entry's id, revision, title and body, decrypted one row at a time (a caller that
        keeps only what it needs keeps memory flat). A value that fails comes as Damage.

        The associated data is built once per row for both fields: this is the loop a first text
        search runs 50,000 times in a large journal."""
        open_blob, both_ads = self._sealer.open, self._ad_prefix.record_fields
        for entry_id, revision, title, body in self._rows("id, revision, title, body", only):
            title_ad, body_ad = both_ads(entry_id, revision, "title", "body")
            try:
                title_text: str | Damage = open_blob(title, title_ad).decode("utf-8")
            except (SealError, UnicodeDecodeError):
                title_text = Damage(entry_id, "title")
            try:
                body_text: str | Damage = open_blob(body, body_ad).decode("utf-8")
            except (SealError, UnicodeDecodeError):
                body_text = Damage(entry_id, "body")
            yield entry_id, revision, title_text, body_text

    def _complete_rows(self, entry_ids: list[str]) -> Iterator[tuple[Entry | Damage, int]]:
        """Each of these entries as stored, every field decrypted (or Damage), with its row's stamp.
        Ids not stored are left out."""
        for entry_id, revision, stamp, meta, title, body in self._rows(
            "id, revision, stamp, meta, title, body", entry_ids
        ):
            try:
                meta_raw = self._open(meta, entry_id, "meta", revision)
                title_text = self._open_text(title, entry_id, "title", revision)
                body_text = self._open_text(body, entry_id, "body", revision)
                yield _entry_from(entry_id, revision, meta_raw, title_text, body_text), int(stamp)
            except DamagedValue as exc:
                yield exc.damage, int(stamp)
            except UNREADABLE:
                yield Damage(entry_id, "meta"), int(stamp)

    def page_rows(self, entry_ids: list[str]) -> list[tuple[Entry, int]]:
        """These entries, complete, each with its row's stamp (what a page is written from). A
        damaged row is left out: it stays outside pages, and is reported when read."""
        return [(item, stamp) for item, stamp in self._complete_rows(entry_ids) if isinstance(item, Entry)]

    def complete(self, entry_ids: list[str]) -> Iterator[Entry | Damage]:
        """The stored version of each of these entries, every field decrypted; a damaged one comes
        as Damage. Ids not stored are left out."""
        return (item for item, _stamp in self._complete_rows(entry_ids))
