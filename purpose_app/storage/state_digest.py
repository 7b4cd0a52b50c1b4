"""The vault's state digest: a sealed, keyed multiset hash over every row that matters, checked at open,
so a row taken out of the file, or an older copy of one put back, is noticed.

Each value is sealed with its place (vault, table, id, field, revision), so it cannot be moved or edited;
what that cannot see is the SET of rows: a deleted row, or a whole older row put back. The digest covers
one element per row, built by SQLite from columns that are in the clear (nothing is decrypted to check
it), hashed with its table's own key (subkey "state/<table>", so the tables need no tag):

    entries      id 0x1F revision
    tombstones   id 0x1F revision
    documents    id 0x1F revision
    entry_pages  id 0x1F stamp        (new on every write of the page, and bound into its seal)

(An entry row's own stamp is left out: it is not part of any seal, so it could be set to anything and
would add nothing; formatting it would add a third to the time of the check.)

The four sums (crypto/multiset.py), added modulo 2**256, are stored in meta as "state_digest", sealed
with the "state-seal" subkey and associated data (vault, "meta", "state_digest"). An element has a
fixed number of separators per table, so a value holding one (a crafted id) gives a different element,
never another row's.

Kept in the same transaction as each write, in O(1) per row written: temporary triggers (on this
connection only, never in the file) log each row's element as it is inserted (+1) or removed (-1), in
a temporary table that commits and rolls back with the write; `flush()`, run last in every write
transaction, adds the logged change to the stored digest and empties the log. At open, the digest is
summed again from the rows and compared: a mismatch is VaultDamaged, and nothing is written.

A vault from before this digest gets its first one in the same transaction as its schema upgrade, at
its first unlock by this release; a brand-new (empty) vault gets its own at its first open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from purpose_app import messages
from purpose_app.crypto import keys, multiset
from purpose_app.crypto.envelope import Sealer, SealError, ad_prefix
from purpose_app.errors import VaultDamaged
from purpose_app.storage import database, migrate
from purpose_app.storage.schema import meta
from purpose_app.storage.vault_file import OpenedFile

META_KEY = "state_digest"
FIRST_REVISION = "0005_state_digest"  # vaults at an older schema revision have no digest yet
_LOG = "purpose_state_log"
_SEP = "'\x1f'"  # the character itself in an SQL literal: a char(31) call per row costs a fifth more
# (table, its element as an SQL expression over the row `{r}`, the columns it is built from). Each
# concatenation costs SQLite about 0.1 microsecond per row: kept to the fewest.
_ELEMENTS = (
    ("entries", f"{{r}}.id||{_SEP}||{{r}}.revision", "id, revision"),
    ("tombstones", f"{{r}}.id||{_SEP}||{{r}}.revision", "id, revision"),
    ("documents", f"{{r}}.id||{_SEP}||{{r}}.revision", "id, revision"),
    ("entry_pages", f"{{r}}.id||{_SEP}||{{r}}.stamp", "id, stamp"),
)


def _element(expression: str, row: str) -> str:
    return f"CAST({expression.format(r=row)} AS BLOB)"


def _log_statements() -> list[str]:
    """The temporary log table and, per table, the triggers that fill it. (All SQL here and in _SUMS
    is made from the constants above, never from data.)"""
    statements = [
        f"CREATE TEMP TABLE IF NOT EXISTS {_LOG} "
        "(tab INTEGER NOT NULL, sign INTEGER NOT NULL, element BLOB NOT NULL)"
    ]
    for tab, (table, expression, columns) in enumerate(_ELEMENTS):
        new, old = _element(expression, "new"), _element(expression, "old")
        for event, body in (
            ("INSERT", f"INSERT INTO {_LOG} VALUES ({tab}, 1, {new});"),  # noqa: S608
            ("DELETE", f"INSERT INTO {_LOG} VALUES ({tab}, -1, {old});"),  # noqa: S608
            (
                f"UPDATE OF {columns}",
                f"INSERT INTO {_LOG} VALUES ({tab}, -1, {old}), ({tab}, 1, {new});",  # noqa: S608
            ),
        ):
            name = f"{_LOG}_{table}_{event.split()[0].lower()}"
            statements.append(
                f"CREATE TEMP TRIGGER IF NOT EXISTS {name} AFTER {event} ON main.{table} BEGIN {body} END"
            )
    return statements


# Each table's elements and how many rows there are, read from the clear columns (from the
# entries_state and entry_pages_state indexes alone: a page's row holds a megabyte of sealed value),
# joined by SQLite into one value split in C: a Python object per row would be a third of the check's
# time at 50,000 entries. A row that gives no element (a NULL the schema forbids) or a separator inside
# a value (e.g. an id) makes the count of pieces differ from the count of rows, which is refused: so
# the split is always exactly one piece per row.
_JOIN = "'\x1e'"
_SUMS = tuple(
    f"SELECT CAST(group_concat({e.format(r='r')}, {_JOIN}) AS BLOB), count(*) FROM main.{t} r"  # noqa: S608
    for t, e, _c in _ELEMENTS
)


class StateDigest:
    """The digest of one open vault: checked at open, kept by every write on this connection."""

    def __init__(
        self, conn: Connection, hash_keys: list[bytes], seal_key: bytes, vault_id: str, folder: Path
    ) -> None:
        """hash_keys: one per table, in the order of _ELEMENTS."""
        self._conn = conn
        self._hashes: tuple[multiset.MultisetHash, ...] | None = tuple(
            multiset.MultisetHash(key) for key in hash_keys
        )
        self._sealer: Sealer | None = Sealer(seal_key)
        self._ad = ad_prefix(vault_id, "meta").build(META_KEY)
        self._folder = folder

    @classmethod
    def of(cls, opened: OpenedFile, data_key: bytes) -> StateDigest:
        """The digest of this open file, with its keys derived from the vault's data key."""
        hash_keys = [keys.subkey(data_key, f"state/{table}") for table, _e, _c in _ELEMENTS]
        seal_key = keys.subkey(data_key, "state-seal")
        return cls(opened.conn, hash_keys, seal_key, opened.header.vault_id, opened.folder)

    def _keys(self) -> tuple[tuple[multiset.MultisetHash, ...], Sealer]:
        if self._hashes is None or self._sealer is None:
            raise RuntimeError("the state digest was closed")
        return self._hashes, self._sealer

    def _raw(self) -> Any:
        return self._conn.connection.driver_connection

    def close(self) -> None:
        """At lock: drop the keys."""
        self._hashes = self._sealer = None

    # -- the stored digest

    def _stored(self) -> int | None:
        """The digest as last written, None if there is none. Raises VaultDamaged if it does not open."""
        blob = self._conn.execute(select(meta.c.value).where(meta.c.key == META_KEY)).scalar_one_or_none()
        if blob is None:
            return None
        try:
            return multiset.from_bytes(self._keys()[1].open(bytes(blob), self._ad))
        except (SealError, ValueError):
            raise VaultDamaged(messages.state_digest_changed(self._folder)) from None

    def _store(self, digest: int) -> None:
        value = self._keys()[1].seal(multiset.to_bytes(digest), self._ad)
        statement = sqlite_insert(meta).values(key=META_KEY, value=value)
        self._conn.execute(
            statement.on_conflict_do_update(index_elements=[meta.c.key], set_={"value": value})
        )

    def record_as_is(self) -> None:
        """Inside a write transaction: the rows as they are now become the vault's recorded state. For
        the first digest of a vault, and for tests that change the file on purpose."""
        self._store(self.summed()[0])

    def summed(self) -> tuple[int, int]:
        """The digest of the rows as they are now, and how many rows it covers (inside a transaction)."""
        raw, hashes = self._raw(), self._keys()[0]
        total, count = 0, 0
        for sql, hasher in zip(_SUMS, hashes, strict=True):
            joined, rows = raw.execute(sql).fetchone()
            elements = joined.split(b"\x1e") if joined is not None else []
            if len(elements) != rows:
                raise VaultDamaged(messages.state_digest_changed(self._folder))
            total, count = total + hasher.total(elements), count + rows
        return total % multiset.MODULUS, count

    # -- at open

    def open(self, opened: OpenedFile) -> None:
        """Check the digest against the rows (raising VaultDamaged, with nothing written, if they differ),
        then start keeping it. An older vault's schema is brought up to date first (OpenedFile.upgrade's
        work), in the same write transaction that records the first digest of a vault that had none.
        On any failure the file is closed: the caller cannot go on."""
        try:
            self._open(opened)
        except BaseException:
            opened.close()
            raise

    def _open(self, opened: OpenedFile) -> None:
        conn, upgrade = self._conn, opened.needs_upgrade
        with (database.writing if upgrade else database.reading)(conn):
            older = upgrade and _older_than_digest(migrate.current_revision(conn))
            if upgrade:
                migrate.upgrade_to_head(conn)
            stored, (now, count) = self._stored(), self.summed()
            if stored is None and not (older or count == 0):
                raise VaultDamaged(messages.state_digest_missing(self._folder))
            if stored is not None and stored != now:
                raise VaultDamaged(messages.state_digest_changed(self._folder))
            if stored is None and upgrade:
                self._store(now)
            for statement in _log_statements():  # temporary: nothing of this reaches the file
                conn.exec_driver_sql(statement)
        if stored is None and not upgrade:  # a new, empty vault: its first digest
            with database.writing(conn):
                if self._stored() is None:
                    self.record_as_is()
        opened.needs_upgrade = False

    # -- at each write

    def flush(self) -> None:
        """Last thing in a write transaction: add what the triggers logged to the stored digest."""
        raw = self._raw()
        logged = raw.execute(f"SELECT tab, sign, element FROM {_LOG}").fetchall()  # noqa: S608 (a constant)
        if not logged:
            return
        change = 0
        for tab, hasher in enumerate(self._keys()[0]):
            added = [e for t, s, e in logged if t == tab and s > 0]
            removed = [e for t, s, e in logged if t == tab and s < 0]
            change += hasher.change(added, removed)
        stored = self._stored()
        if stored is None:
            raise VaultDamaged(messages.state_digest_missing(self._folder))
        self._store(stored + change)
        self._conn.exec_driver_sql(f"DELETE FROM {_LOG}")  # noqa: S608 (a constant)


def _older_than_digest(revision: str | None) -> bool:
    known = migrate.KNOWN_REVISIONS
    return revision in known and known.index(revision) < known.index(FIRST_REVISION)
