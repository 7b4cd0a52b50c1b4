"""The unlocked journal: entries, documents and keys of one open vault, until lock.

Services take and return plain values (Entry, EntryChanges, EntryQuery, str, JSON); they never prompt
and never print. The command line and the UI translate. What is kept decrypted is journal_cache.py's,
documents journal_documents.py's, imports and merges journal_imports.py's.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.exc import DBAPIError

from purpose_app import messages
from purpose_app.crypto import kdf, keys, keyslots
from purpose_app.crypto.envelope import Sealer
from purpose_app.domain import clock
from purpose_app.domain.entry import Entry, EntryChanges, apply_changes, new_entry
from purpose_app.domain.json_value import JsonValue
from purpose_app.domain.merge import Incoming, MergeOutcome, Tokens
from purpose_app.domain.passphrase import check_new_passphrase
from purpose_app.domain.query import EntryQuery
from purpose_app.errors import (
    EntryNotFound,
    InvalidInput,
    PurposeError,
    VaultDamaged,
    VaultLocked,
    VaultUnavailable,
)
from purpose_app.services import journal_imports
from purpose_app.services.journal_cache import LOCKED, JournalCache, with_text
from purpose_app.services.journal_documents import DocumentStore
from purpose_app.services.journal_imports import ImportOutcome
from purpose_app.services.journal_rows import RowReads
from purpose_app.services.journal_transaction import Transaction
from purpose_app.storage import database
from purpose_app.storage.documents import DocumentRepository
from purpose_app.storage.pages import PageStore
from purpose_app.storage.repository import Damage, EntryRepository
from purpose_app.storage.state_digest import StateDigest
from purpose_app.storage.vault_file import OpenedFile

_BATCH = 500  # entries stream() reads at a time, holding the vault's lock only meanwhile
_FEW = 50  # up to this many bodies are read one by one


class Vault(RowReads):
    """An unlocked vault. Holds keys and decrypted data until lock(); thread-safe. Saves touch one
    row, whatever the size; what is decrypted when is told in journal_cache.py."""

    def __init__(self, opened: OpenedFile, data_key: bytes, *, key_cost: kdf.KdfParams | None) -> None:
        self._state = StateDigest.of(opened, data_key)
        self._state.open(opened)  # upgrades an older schema, checks the rows; closes the file on failure
        self.folder = opened.folder
        # What a guess at the passphrase costs now (None: its slot is unreadable, a recovery replaces it).
        self.key_cost = key_cost
        self._opened: OpenedFile | None = opened
        self._data_key: bytes | None = data_key
        self._guard = threading.RLock()
        conn, vault_id = opened.conn, opened.header.vault_id
        pages = PageStore(conn, Sealer(keys.subkey(data_key, "pages")), vault_id)
        repo = EntryRepository(conn, Sealer(keys.subkey(data_key, "entries")), vault_id, pages)
        self._cache = JournalCache(conn, repo, pages)
        doc_repo = DocumentRepository(conn, Sealer(keys.subkey(data_key, "documents")), vault_id)
        self._docs = DocumentStore(conn, doc_repo)
        self._seen_version = -1
        with self._guard:
            self._reload()

    # -- state

    @property
    def locked(self) -> bool:
        return self._opened is None

    @property
    def uses_test_kdf(self) -> bool:
        return self.key_cost is not None and self.key_cost.profile == kdf.TEST.profile

    def rewrap_cost(self, proposed: kdf.KdfParams | None = None) -> kdf.KdfParams:
        """The cost of a new wrap of this vault's key (a new passphrase, a backup): never cheaper."""
        return kdf.rewrap_cost(self.key_cost, proposed)

    @property
    def damaged(self) -> list[Damage]:
        with self._guard:
            self._refresh()
            self._cache.index()
            return list(self._cache.damaged.values())

    @property
    def damaged_documents(self) -> int:
        """Documents left out when last read because they did not open."""
        return self._docs.damaged

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.lock()

    def _live(self) -> OpenedFile:
        if self._opened is None:
            raise VaultLocked(LOCKED)
        return self._opened

    def _reload(self) -> None:
        """Forget what was read; it is read again (from the new state of the file) on first use."""
        self._seen_version = database.data_version(self._live().conn)
        self._cache.clear()
        self._docs.clear()

    def _refresh(self) -> None:
        """Another process or window may have written since we read: reload if so."""
        if database.data_version(self._live().conn) != self._seen_version:
            self._reload()

    @contextmanager
    def _writing(self) -> Iterator[EntryRepository]:
        conn = self._live().conn
        try:
            with database.writing(conn):
                yield self._cache.repo
                self._state.flush()  # the digest of the rows, kept in the same transaction
        except DBAPIError as exc:
            text = database.sqlite_message(exc).lower()
            if "readonly" in text or "read-only" in text:
                raise VaultUnavailable(messages.read_only(self.folder)) from None
            raise PurposeError(messages.could_not_save(text)) from None
        # Our own commit does not move data_version, so the caches stay valid without a reload.

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One write transaction for entries and documents together: what the block does through the
        Transaction is committed when it ends, or, if it raises, none of it. E.g. saving an entry and
        removing its draft, so a failure never leaves a saved entry with its draft still offered."""
        with self._guard:
            self._refresh()
            with self._writing() as repo:
                tx = Transaction(repo, self._docs)
                try:
                    yield tx
                finally:
                    tx.end()
            for entry in tx.added:  # only after the commit: a failure leaves the caches as they were
                self._cache.remember(entry)
            self._docs.applied(tx.stored, tx.removed)

    # -- entries

    def resolve(self, ref: str) -> str:
        """The full id for an id or a unique prefix of at least four characters."""
        with self._guard:
            self._refresh()
            ref = ref.strip().lower()
            index, damaged = self._cache.index(), self._cache.damaged
            if ref in index or ref in damaged:
                return ref
            if len(ref) >= 4:
                found = [i for i in (*index, *damaged) if i.startswith(ref)]
                if len(found) == 1:
                    return found[0]
                if len(found) > 1:
                    raise InvalidInput(messages.entry_ambiguous(ref, len(found)))
            raise EntryNotFound(messages.entry_not_found(ref))

    def get(self, ref: str) -> Entry:
        """One entry with its title and body."""
        with self._guard:
            entry_id = self.resolve(ref)
            cache = self._cache
            if entry_id in cache.damaged:
                damage = cache.damaged[entry_id]
                raise VaultDamaged(messages.entry_damaged(damage.entry_id, damage.field))
            entry = cache.index()[entry_id]
            return with_text(entry, cache.title(entry), cache.body(entry))

    def entries(
        self,
        query: EntryQuery | None = None,
        *,
        limit: int | None = None,
        with_bodies: bool = False,
        with_titles: bool = True,
    ) -> list[Entry]:
        """Entries matching the query, newest first, with titles; bodies too when asked for.

        A text query decrypts every title and body the first time (then keeps what matching needs
        until lock); other filters work on metadata alone. with_titles=False gives metadata only
        (dates, energy, labels, shift, prompt), decrypting nothing more: what trends and the daily
        prompt need. An entry found damaged on the way is left out and listed in `damaged`."""
        query = query or EntryQuery()
        with self._guard:
            chosen, cache = self._select(query, limit), self._cache
            if with_bodies and len(chosen) > _FEW:
                return cache.complete(chosen)  # a few reads of 500 rows beat thousands of single-row reads
            if not (with_titles or with_bodies):
                return chosen  # the cached metadata itself (immutable)
            found: list[Entry] = []
            for entry in chosen:
                try:
                    title = cache.title(entry)
                    body = cache.body(entry) if with_bodies else ""
                except VaultDamaged:
                    continue
                found.append(with_text(entry, title, body))
            return found

    def stream(self, query: EntryQuery | None = None, *, oldest_first: bool = False) -> Iterator[Entry]:
        """Complete entries matching the query (every field decrypted), read 500 at a time, so an
        export of a large journal holds one batch of bodies in memory, not all of them."""
        with self._guard:
            chosen = self._select(query or EntryQuery(), None)
        if oldest_first:
            chosen.reverse()
        for start in range(0, len(chosen), _BATCH):
            with self._guard:  # not held while the caller works on a batch
                batch = self._cache.complete(chosen[start : start + _BATCH])
            yield from batch

    def _select(self, query: EntryQuery, limit: int | None) -> list[Entry]:
        self._refresh()
        return self._cache.select(query, limit)

    def count(self) -> int:
        with self._guard:
            self._refresh()
            return len(self._cache.index())

    def add(self, changes: EntryChanges, now: datetime | None = None) -> Entry:
        entry = new_entry(changes, now or clock.now())  # checked before any transaction begins
        with self.transaction() as tx:
            tx.insert(entry)
        return entry

    def import_entries(
        self, entries: Iterable[Entry], *, progress: Callable[[int], None] | None = None
    ) -> ImportOutcome:
        """Store complete entries (from an importer or a restore) in ONE transaction: all or nothing.

        An entry whose id is already in the vault is skipped, so importing the same file twice never
        duplicates (importers derive stable ids from their source). Each entry is validated first;
        `progress` is called with the running count so a screen or terminal can show it."""
        with self._guard:
            self._refresh()
            return journal_imports.import_entries(self._cache, self._writing, entries, progress)

    def edit(self, ref: str, changes: EntryChanges, now: datetime | None = None) -> Entry:
        with self._guard:
            current = self.get(ref)
            updated = apply_changes(current, changes, now or clock.now())
            with self._writing() as repo:
                if not repo.replace(updated):
                    raise PurposeError(messages.entry_changed_elsewhere(current.id))
            self._cache.remember(updated)
        return updated

    def delete(self, ref: str) -> str:
        with self._guard:
            entry_id = self.resolve(ref)
            with self._writing() as repo:
                repo.delete(entry_id)  # leaves a tombstone, so the deletion can reach other devices
            self._cache.forget(entry_id)
        return entry_id

    # -- merging versions from elsewhere (a backup, another device)

    def tokens(self) -> Tokens:
        """Version tokens and conflict-copy ids for this vault (keyed by its data key)."""
        return Tokens(keys.subkey(self._key(), "merge"))

    def tombstones(self) -> dict[str, int]:
        """Deleted entries: id -> the revision it had."""
        with self._guard, database.reading(self._live().conn):
            return self._cache.repo.tombstones()

    def merge(
        self,
        incoming: Iterable[Incoming],
        *,
        lineage: dict[str, list[str]] | None = None,
        documents: Mapping[tuple[str, str], JsonValue] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> MergeOutcome:
        """Bring in entries and deletions from a backup or another device, by id and revision (the
        rules are in domain/merge.py), in ONE transaction together with `documents`: all or nothing.

        Incoming entries are validated like typed ones. `lineage` (sync only) is updated in place
        with what the incoming versions say; documents are stored after the plan is made, so a
        lineage that is part of one is saved as updated. Caches change only after the commit."""
        with self._guard:
            self._refresh()
            return journal_imports.merge(
                self._cache, self._docs, self._writing, self.tokens(), incoming,
                lineage=lineage, documents=documents, progress=progress,
            )  # fmt: skip

    # -- documents: small sealed records keyed by (kind, name), for everything that is not an entry

    def document(self, kind: str, name: str, default: JsonValue = None) -> JsonValue:
        """The data stored under (kind, name), or default. A copy: changing it changes nothing."""
        with self._guard:
            self._refresh()
            return self._docs.get(kind, name, default)

    def documents(self, kind: str) -> dict[str, JsonValue]:
        with self._guard:
            self._refresh()
            return self._docs.of_kind(kind)

    def all_documents(self) -> dict[tuple[str, str], JsonValue]:
        """Every readable document, keyed by (kind, name); copies."""
        with self._guard:
            self._refresh()
            return self._docs.all()

    def put_document(self, kind: str, name: str, data: JsonValue) -> None:
        """Store JSON-shaped data under (kind, name), replacing what was there, in one transaction."""
        self.put_documents({(kind, name): data})

    def put_documents(self, documents: Mapping[tuple[str, str], JsonValue]) -> None:
        """Store several documents in one transaction: all or none."""
        with self.transaction() as tx:
            for (kind, name), data in documents.items():
                tx.put_document(kind, name, data)

    def delete_document(self, kind: str, name: str) -> bool:
        with self._guard:
            self._refresh()
            if not self._docs.has(kind, name):
                return False  # nothing to write: no write transaction either
            with self.transaction() as tx:
                return tx.delete_document(kind, name)

    # -- keys

    def change_passphrase(self, new_passphrase: str, params: kdf.KdfParams | None = None) -> None:
        """Re-wrap the data key under a new passphrase at rewrap_cost(params), in one transaction."""
        check_new_passphrase(new_passphrase)
        cost = self.rewrap_cost(params)
        with self._guard:
            opened, data_key = self._live(), self._key()
            slot = keyslots.wrap_with_passphrase(data_key, new_passphrase, opened.header.raw, cost)
            with self._writing():
                opened.replace_slot(slot)
            self.key_cost = cost

    def regenerate_recovery_key(self) -> str:
        """A new recovery key; the old one stops working the moment this returns."""
        with self._guard:
            opened, data_key = self._live(), self._key()
            secret = keys.new_recovery_secret()
            with self._writing():
                opened.replace_slot(keyslots.wrap_with_recovery(data_key, secret, opened.header.raw))
        return keys.format_recovery_key(secret)

    def identity(self) -> tuple[str, bytes]:
        """The vault id and data key. Only for an encrypted backup: a copy restored from it keeps the
        key, so the two can sync (both derive the same sync key)."""
        with self._guard:
            return self._live().header.vault_id, self._key()

    def subkey(self, purpose: str) -> bytes:
        """An independent key derived from the data key for one purpose (e.g. "sync")."""
        with self._guard:
            return keys.subkey(self._key(), purpose)

    def _key(self) -> bytes:
        if self._data_key is None:
            raise VaultLocked(LOCKED)
        return self._data_key

    # -- lock

    def lock(self) -> None:
        """Drop the keys (the data key and the sealers built from it) and every decrypted value, and
        truncate the WAL. Safe to call twice."""
        with self._guard:
            if self._opened is not None:
                # A cache: the journal is complete in its rows; if this fails it is tried next time.
                with contextlib.suppress(PurposeError, DBAPIError):
                    self._cache.write_pages(self._writing)
            opened, self._opened = self._opened, None
            self._data_key = None
            self._state.close()
            self._cache.close()
            self._docs.close()
            if opened is not None:
                try:
                    database.checkpoint(opened.conn)
                except DBAPIError:
                    pass  # best effort: the keys are already gone, and the WAL holds only ciphertext
                finally:
                    opened.close()
