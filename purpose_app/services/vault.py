"""The vault service: create, unlock, read and write entries, lock, and manage the keys.

Services take and return plain values (Entry, EntryChanges, EntryQuery, str); they never prompt and
never print. The command line and the UI translate.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import gc
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import DBAPIError

from purpose_app import messages
from purpose_app.crypto import kdf, keys, keyslots
from purpose_app.crypto.envelope import Sealer
from purpose_app.domain.entry import Entry, EntryChanges, apply_changes, check_complete, new_entry
from purpose_app.domain.merge import Incoming, MergeOutcome, Merger, Tokens, check_tombstone
from purpose_app.domain.query import EntryQuery, matches
from purpose_app.domain.text_index import TextIndex
from purpose_app.errors import (
    EntryNotFound,
    InvalidInput,
    PurposeError,
    VaultDamaged,
    VaultLocked,
    VaultUnavailable,
    WrongSecret,
)
from purpose_app.storage import database, migrate
from purpose_app.storage.documents import Document, DocumentRepository
from purpose_app.storage.location import DATABASE_NAME, synced_service
from purpose_app.storage.meta_record import UNREADABLE
from purpose_app.storage.pages import PAGE_SIZE, PageStore, search_text
from purpose_app.storage.repository import Damage, DamagedValue, EntryRepository
from purpose_app.storage.schema import key_slots, meta

FORMAT_VERSION = 1
MIN_PASSPHRASE_LENGTH = 8
_SQLITE_MAGIC = b"SQLite format 3\x00"
_T = TypeVar("_T")
_BATCH = 500  # entries stream() reads at a time, holding the vault's lock only meanwhile
_WRITE_BATCH = 1000  # rows per INSERT statement when importing
_FEW = 50  # up to this many bodies are read one by one
MIN_PAGED = 2000  # below this many entries, reading row by row takes a few dozen ms: no pages
PAGE_FILL = 500  # entries outside pages before they are gathered into new ones (at lock)


@dataclass(frozen=True)
class Header:
    """The vault's identity, in the clear and bound into every key slot and every sealed field."""

    vault_id: str
    format: int
    raw: bytes

    @classmethod
    def new(cls, vault_id: str | None = None) -> Header:
        data = {"app": "purpose", "format": FORMAT_VERSION, "vault_id": vault_id or uuid.uuid4().hex}
        return cls.parse(json.dumps(data, sort_keys=True, separators=(",", ":")).encode())

    @classmethod
    def parse(cls, raw: bytes) -> Header:
        data = json.loads(raw)
        if data.get("app") != "purpose":
            raise ValueError("not a purpose header")
        return cls(vault_id=str(data["vault_id"]), format=int(data["format"]), raw=raw)


@dataclass(frozen=True)
class ImportOutcome:
    added: tuple[str, ...]
    skipped: tuple[str, ...]  # already in the vault (same id): a re-import never duplicates


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise InvalidInput(messages.PASSPHRASE_TOO_SHORT)


def _order_key(entry: Entry) -> tuple[float, str]:
    # The instant as a number: comparing aware datetimes with different zone objects calls
    # utcoffset() at every comparison (a third of the time sorting 50,000 entries). Microseconds
    # stay distinct in a float for dates in this era.
    return (entry.created.timestamp(), entry.id)


def _with_text(entry: Entry, title: str, body: str) -> Entry:
    """The entry with this title and body (the constructor: several times faster than replace())."""
    return Entry(
        entry.id, entry.created, entry.updated, entry.revision, title, body, entry.tags, entry.energy,
        entry.drains, entry.fuels, entry.shift, entry.prompt,
    )  # fmt: skip


@contextmanager
def _collector_paused() -> Iterator[None]:
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


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


# -- opening the file ------------------------------------------------------------------------------


def _check_location(folder: Path, allow_synced: bool) -> None:
    if not allow_synced:
        service = synced_service(folder)
        if service:
            raise VaultUnavailable(messages.synced_folder(folder, service))


def _looks_like_vault_file(path: Path) -> bool:
    """SQLite's magic and the WAL flag (bytes 18-19 == 2), read without letting SQLite touch the file:
    opening a foreign database would otherwise switch it to WAL mode, i.e. change it."""
    with path.open("rb") as handle:
        head = handle.read(20)
    return head[:16] == _SQLITE_MAGIC and head[18:20] == b"\x02\x02"


def _connect(folder: Path, path: Path, *, create: bool = False) -> tuple[Engine, Connection]:
    engine = database.make_engine(path, create=create)
    try:
        conn = engine.connect()
        problem = database.quick_check(conn)
    except DBAPIError as exc:
        engine.dispose()
        text = database.sqlite_message(exc).lower()
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            raise VaultUnavailable(messages.read_only(folder)) from None
        if "not a database" in text or "encrypted" in text:
            raise VaultDamaged(messages.not_a_vault(folder)) from None
        raise VaultDamaged(messages.database_damaged(folder, text)) from None
    if problem:
        conn.close()
        engine.dispose()
        raise VaultDamaged(messages.database_damaged(folder, problem))
    return engine, conn


@dataclass
class _Opened:
    folder: Path
    engine: Engine
    conn: Connection
    header: Header
    needs_upgrade: bool = False

    def upgrade(self) -> None:
        """Bring an older vault's schema up to date, in one transaction."""
        if self.needs_upgrade:
            with database.writing(self.conn):
                migrate.upgrade_to_head(self.conn)
            self.needs_upgrade = False

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()

    def slot(self, name: str) -> keyslots.KeySlot:
        row = self.conn.execute(
            select(key_slots.c.params, key_slots.c.wrapped).where(key_slots.c.name == name)
        ).one_or_none()
        self.conn.rollback()
        if row is None:
            self.close()  # the caller cannot go on: do not leave the file open
            raise VaultDamaged(messages.key_record_damaged())
        return keyslots.KeySlot(name, bytes(row.params), bytes(row.wrapped))


def _open_file(folder: Path, allow_synced: bool) -> _Opened:
    path = folder / DATABASE_NAME
    if not path.is_file():
        raise VaultUnavailable(messages.vault_missing(folder))
    _check_location(folder, allow_synced)
    try:
        if not _looks_like_vault_file(path):
            raise VaultDamaged(messages.not_a_vault(folder))
    except PermissionError:
        raise VaultUnavailable(messages.read_only(folder)) from None
    if not (os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)):
        # SQLite would open a write-protected file read-only, leave -wal/-shm files behind and fail
        # only at the first write or at lock: refuse before touching anything.
        raise VaultUnavailable(messages.read_only(folder))
    engine, conn = _connect(folder, path)
    opened = _Opened(folder, engine, conn, Header("", 0, b""))
    try:
        revision = migrate.current_revision(conn)
        if revision is None:
            raise VaultDamaged(messages.not_a_vault(folder))
        header = _read_header(conn)  # before judging the revision: another app may use Alembic too
        if header is None:
            raise VaultDamaged(messages.not_a_vault(folder))
        if revision not in migrate.KNOWN_REVISIONS or header.format > FORMAT_VERSION:
            raise VaultUnavailable(messages.too_new(folder))
        opened.needs_upgrade = revision != migrate.HEAD  # done after unlock: a wrong guess writes nothing
    except BaseException:
        opened.close()
        raise
    opened.header = header
    return opened


def _read_header(conn: Connection) -> Header | None:
    try:
        raw = conn.execute(select(meta.c.value).where(meta.c.key == "header")).scalar_one_or_none()
        return Header.parse(bytes(raw)) if raw is not None else None
    except (DBAPIError, ValueError, KeyError, TypeError):
        return None  # no meta table, or a header that is not ours
    finally:
        conn.rollback()


def _unwrap_or_close(opened: _Opened, unwrap: Callable[[], _T], wrong: str) -> _T:
    try:
        return unwrap()
    except keyslots.UnwrapError:
        opened.close()
        raise WrongSecret(wrong) from None
    except keyslots.SlotFormatError:
        opened.close()
        raise VaultDamaged(messages.key_record_damaged()) from None
    except BaseException:
        opened.close()
        raise


def unlock(folder: Path, passphrase: str, *, allow_synced: bool = False) -> Vault:
    """Open the vault with its passphrase. Raises WrongSecret without changing a byte on disk."""
    opened = _open_file(folder, allow_synced)
    slot = opened.slot(keyslots.PASSPHRASE)
    data_key = _unwrap_or_close(
        opened,
        lambda: keyslots.unwrap_with_passphrase(slot, passphrase, opened.header.raw),
        messages.WRONG_PASSPHRASE,
    )
    params, _salt = keyslots.passphrase_params(slot)
    return Vault(opened, data_key, kdf_profile=params.profile)


def unlock_with_recovery(folder: Path, recovery_key: str, *, allow_synced: bool = False) -> Vault:
    """Open the vault with its recovery key (to set a new passphrase)."""
    try:
        secret = keys.parse_recovery_key(recovery_key)
    except keys.RecoveryKeyFormatError as exc:
        raise WrongSecret(messages.recovery_key_typo(str(exc))) from None
    opened = _open_file(folder, allow_synced)
    slot = opened.slot(keyslots.RECOVERY)
    data_key = _unwrap_or_close(
        opened,
        lambda: keyslots.unwrap_with_recovery(slot, secret, opened.header.raw),
        messages.WRONG_RECOVERY_KEY,
    )
    try:
        profile = keyslots.passphrase_params(opened.slot(keyslots.PASSPHRASE))[0].profile
    except keyslots.SlotFormatError:
        # A damaged passphrase slot is exactly when the recovery key is needed: it opens the vault
        # so change_passphrase can write a fresh slot.
        profile = ""
    except BaseException:
        opened.close()
        raise
    return Vault(opened, data_key, kdf_profile=profile)


def create(
    folder: Path,
    passphrase: str,
    params: kdf.KdfParams,
    *,
    allow_synced: bool = False,
    identity: tuple[str, bytes] | None = None,
) -> tuple[Vault, str]:
    """A new vault in `folder`; returns it unlocked, with the recovery key to show once.

    Built under a temporary name and renamed into place, so a crash leaves either no vault or a
    complete one, never half of one. `identity` (vault id, data key) comes from a backup being
    restored: the copy keeps the key, so it can sync with the vault the backup was made from.
    """
    check_new_passphrase(passphrase)
    path = folder / DATABASE_NAME
    if path.exists():
        raise VaultUnavailable(messages.vault_exists(folder))
    _check_location(folder, allow_synced)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise VaultUnavailable(messages.read_only(folder)) from None
    building = folder / (DATABASE_NAME + ".creating")
    for leftover in (building, *(Path(f"{building}{s}") for s in ("-wal", "-shm", "-journal"))):
        leftover.unlink(missing_ok=True)

    header = Header.new(identity[0] if identity else None)
    data_key = identity[1] if identity else keys.new_data_key()
    recovery_secret = keys.new_recovery_secret()
    pass_slot = keyslots.wrap_with_passphrase(data_key, passphrase, header.raw, params)
    rec_slot = keyslots.wrap_with_recovery(data_key, recovery_secret, header.raw)

    engine, conn = _connect(folder, building, create=True)
    try:
        with database.writing(conn):
            migrate.upgrade_to_head(conn)
            conn.execute(insert(meta).values(key="header", value=header.raw))
            for slot in (pass_slot, rec_slot):
                conn.execute(
                    insert(key_slots).values(name=slot.name, params=slot.params, wrapped=slot.wrapped)
                )
        database.checkpoint(conn)
    finally:
        conn.close()
        engine.dispose()
    os.replace(building, path)
    _fsync_dir(folder)
    opened = _open_file(folder, allow_synced=True)
    vault = Vault(opened, data_key, kdf_profile=params.profile)
    return vault, keys.format_recovery_key(recovery_secret)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (Windows); the rename itself is still atomic
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- the unlocked vault -----------------------------------------------------------------------------


class Vault:
    """An unlocked vault. Holds keys and decrypted data until lock(); thread-safe.

    What is decrypted when: every entry's compact metadata the first time anything is listed,
    searched or counted (a save alone never needs it); a title when an entry is shown; every title
    and body the first time text is searched (titles and a case-folded copy of each entry's text are
    kept for matching until lock; bodies are not kept); bodies for a long listing or an export in
    batches of 500. Saves touch one row, whatever the size.
    """

    def __init__(self, opened: _Opened, data_key: bytes, *, kdf_profile: str) -> None:
        try:
            opened.upgrade()
        except BaseException:
            opened.close()
            raise
        self.folder = opened.folder
        self.kdf_profile = kdf_profile
        self._opened: _Opened | None = opened
        self._data_key: bytes | None = data_key
        self._guard = threading.RLock()
        vault_id = opened.header.vault_id
        self._pages = PageStore(opened.conn, Sealer(keys.subkey(data_key, "pages")), vault_id)
        self._repo = EntryRepository(
            opened.conn, Sealer(keys.subkey(data_key, "entries")), vault_id, self._pages
        )
        self._page_of: dict[str, int] = {}  # entry id -> the page whose copy of it was read
        self._page_order: dict[str, float] = {}  # sort instants from pages, until the first sort
        self._failed_pages: set[int] = set()  # pages that did not authenticate when read
        # Each page's (ids, text, starts, lengths) from reading the metadata, until a search folds them.
        self._page_texts: list[tuple[list[str], str, list[int], list[int]]] = []
        self._doc_repo = DocumentRepository(opened.conn, Sealer(keys.subkey(data_key, "documents")), vault_id)
        self._documents: dict[tuple[str, str], Document] | None = None  # loaded on first use
        self.damaged_documents = 0
        self._entries: dict[str, Entry] = {}  # metadata only: title and body empty
        self._loaded = False  # _entries is read on first use: a save alone never needs it
        self._sealed_titles: dict[str, bytes] = {}
        self._titles: dict[str, str] = {}
        self._bodies: dict[str, str] = {}  # only what this session wrote
        self._text = TextIndex()  # case-folded title, body and labels of every entry, for search
        self._texts_complete = False
        self._oldest_first: list[Entry] | None = None  # sorted on first use, then maintained
        self._damaged: dict[str, Damage] = {}
        self._seen_version = -1
        with self._guard:
            self._reload()

    # -- state

    @property
    def locked(self) -> bool:
        return self._opened is None

    @property
    def uses_test_kdf(self) -> bool:
        return self.kdf_profile == kdf.TEST.profile

    @property
    def damaged(self) -> list[Damage]:
        with self._guard:
            self._refresh()
            self._index()
            return list(self._damaged.values())

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.lock()

    def _live(self) -> _Opened:
        if self._opened is None:
            raise VaultLocked("The vault is locked. Unlock it to go on.")
        return self._opened

    def _forget_plaintext(self) -> None:
        for cache in (self._entries, self._sealed_titles, self._titles, self._bodies):
            cache.clear()
        self._text = TextIndex()
        self._damaged.clear()
        self._page_of.clear()
        self._failed_pages.clear()
        self._page_order.clear()
        self._page_texts = []
        self._loaded = False
        self._documents = None
        self._texts_complete = False
        self._oldest_first = None

    def _reload(self) -> None:
        """Forget what was read; it is read again (from the new state of the file) on first use."""
        self._seen_version = database.data_version(self._live().conn)
        self._forget_plaintext()

    def _index(self) -> dict[str, Entry]:
        """Every readable entry's metadata by id, read and decrypted on first use."""
        if not self._loaded:
            self._read(texts=False)
        return self._entries

    def _read(self, *, texts: bool) -> None:
        """Read the metadata (if not read yet) and, with `texts`, every title and a case-folded copy of
        each entry's text for search. Current copies in pages first (a few dozen decryptions), then
        the rows no page holds a current copy of, one by one. Damaged rows are set aside."""
        with database.reading(self._live().conn), _collector_paused():
            if not self._loaded:
                outside = self._read_metadata(fold=texts)
            elif self._page_of:  # the pages' texts were kept when the metadata was read
                outside = [i for i in self._entries if i not in self._page_of]
            else:
                outside = None  # no pages: every row, in one pass
            if texts:
                self._read_texts(outside)
        self._loaded = True

    def _read_metadata(self, *, fold: bool) -> list[str] | None:
        """Every entry's metadata and title: from pages where current, else from rows. Folds each
        page's text for search now (`fold`) or keeps it for the first search; returns the ids read
        from rows (None: all were)."""
        entries, page_of = self._entries, self._page_of
        clean = True  # every page read, and every copy in it current
        for page_id, page in self._pages.pages():
            try:
                summaries = page.summaries() if page is not None else None
            except UNREADABLE:
                summaries = None  # authentic but not readable: as if damaged
            if page is None or summaries is None:
                self._failed_pages.add(page_id)  # its entries come from their rows; replaced at lock
                clean = False
                continue
            ids, titles = page.ids, page.titles()
            pointing = self._pages.pointing_at(page_id)  # id -> stamp of the rows that say "this page"
            current = list(map(pointing.get, ids))
            if current == page.stamps and len(pointing) == len(ids):  # the usual case: all current
                entries.update(zip(ids, summaries, strict=True))
                self._page_order.update(zip(ids, page.order, strict=True))
                self._titles.update(zip(ids, titles, strict=True))
                page_of.update(dict.fromkeys(ids, page_id))
            else:  # a row moved on (or points here by mistake): the row counts
                clean = False
                for entry, title, found, wanted in zip(summaries, titles, current, page.stamps, strict=True):
                    if found == wanted:
                        entries[entry.id], self._titles[entry.id], page_of[entry.id] = entry, title, page_id
            if fold:
                self._text.add_block(page.ids, page.text, page.starts, page.lengths)
            else:
                self._page_texts.append((page.ids, page.text, page.starts, page.lengths))
        # Rows outside pages, or pointing at a page whose copy was not used: read one by one.
        if not page_of:
            outside = None
        elif not clean:
            outside = [i for i in self._pages.all_ids() if i not in page_of]
        else:  # every page's every copy was current: only rows pointing nowhere are left
            outside = self._pages.unpaged_ids()
        for item in self._repo.summaries(outside):
            if isinstance(item, Damage):
                self._damaged[item.entry_id] = item
            else:
                entry, sealed_title = item
                entries[entry.id] = entry
                self._sealed_titles[entry.id] = sealed_title
        return outside

    def _read_texts(self, outside: list[str] | None) -> None:
        """Fold the kept page texts (one string per page) and read the other entries' titles and
        bodies from their rows, for text search."""
        while self._page_texts:  # each page's text let go as soon as it is folded: one copy at a time
            self._text.add_block(*self._page_texts.pop())
        for entry_id, revision, title, body in self._repo.texts(outside):
            known = self._entries.get(entry_id)
            if known is None or known.revision != revision:
                continue  # damaged metadata, or changed since: read again on the next refresh
            if isinstance(title, Damage):
                self._mark_damaged(title)
            elif isinstance(body, Damage):
                self._mark_damaged(body)
            else:
                self._titles[entry_id] = title
                self._index_text(known, title, body)
        self._texts_complete = True

    def _refresh(self) -> None:
        """Another process or window may have written since we read: reload if so."""
        if database.data_version(self._live().conn) != self._seen_version:
            self._reload()

    @contextmanager
    def _writing(self) -> Iterator[EntryRepository]:
        conn = self._live().conn
        try:
            with database.writing(conn):
                yield self._repo
        except DBAPIError as exc:
            text = database.sqlite_message(exc).lower()
            if "readonly" in text or "read-only" in text:
                raise VaultUnavailable(messages.read_only(self.folder)) from None
            raise PurposeError(
                f"Purpose could not save ({text[:120]}). Nothing was changed; please try again."
            ) from None
        # Our own commit does not move data_version, so the caches stay valid without a reload.

    def _mark_damaged(self, damage: Damage) -> VaultDamaged:
        self._damaged[damage.entry_id] = damage
        self._entries.pop(damage.entry_id, None)
        self._page_of.pop(damage.entry_id, None)
        self._text.remove(damage.entry_id)
        self._oldest_first = None
        return VaultDamaged(messages.entry_damaged(damage.entry_id, damage.field))

    # -- decrypting on demand

    def _title(self, entry: Entry) -> str:
        title = self._titles.get(entry.id)
        if title is None:
            try:
                title = self._repo.open_title(entry.id, entry.revision, self._sealed_titles[entry.id])
            except DamagedValue as exc:
                raise self._mark_damaged(exc.damage) from None
            self._titles[entry.id] = title
        return title

    def _body(self, entry: Entry) -> str:
        body = self._bodies.get(entry.id)
        if body is None:
            try:
                with database.reading(self._live().conn):
                    body = self._repo.body(entry.id, entry.revision)
            except DamagedValue as exc:
                raise self._mark_damaged(exc.damage) from None
        return body

    def _load_texts(self) -> None:
        """Decrypt every title and body once, for text search, keeping titles and a case-folded copy
        of each entry's text (not the bodies: a listing fetches the few it shows)."""
        if not self._texts_complete:
            self._read(texts=True)

    def _index_text(self, entry: Entry, title: str, body: str) -> None:
        self._text.put(entry.id, search_text(_with_text(entry, title, body)))

    def _complete(self, batch: list[Entry]) -> list[Entry]:
        """These entries with titles and bodies, in the same order, read in one transaction (500 rows
        per select). One found damaged is left out; one changed meanwhile comes as it is on disk now."""
        with database.reading(self._live().conn), _collector_paused():
            found = {item.entry_id if isinstance(item, Damage) else item.id: item
                     for item in self._repo.complete([e.id for e in batch])}  # fmt: skip
        complete: list[Entry] = []
        for entry in batch:
            item = found.get(entry.id)
            if isinstance(item, Damage):
                self._mark_damaged(item)
            elif item is not None:
                complete.append(item)
        return complete

    def _in_order(self) -> Iterator[Entry]:
        """Newest first. The sorted list is kept up to date by _place and _unplace, so a save
        never re-sorts the journal."""
        if self._oldest_first is None:
            entries, known = self._index(), self._page_order
            # Pages carry each entry's _order_key instant, computed when written; the rest compute it.
            keys = [known[i] if i in known else _order_key(e)[0] for i, e in entries.items()]
            with _collector_paused():
                ordered = sorted(zip(keys, entries, entries.values(), strict=True))
            self._oldest_first = [entry for *_, entry in ordered]
            self._page_order = {}
        return reversed(self._oldest_first)

    def _unplace(self, entry: Entry) -> None:
        order = self._oldest_first
        if order is None:
            return
        index = bisect.bisect_left(order, _order_key(entry), key=_order_key)
        if index < len(order) and order[index].id == entry.id:
            del order[index]
        else:
            self._oldest_first = None  # not where expected: rebuild lazily rather than guess

    def _place(self, entry: Entry) -> None:
        if self._oldest_first is not None:
            bisect.insort(self._oldest_first, entry, key=_order_key)

    # -- entries

    def resolve(self, ref: str) -> str:
        """The full id for an id or a unique prefix of at least four characters."""
        with self._guard:
            self._refresh()
            ref = ref.strip().lower()
            index = self._index()
            if ref in index or ref in self._damaged:
                return ref
            if len(ref) >= 4:
                found = [i for i in (*index, *self._damaged) if i.startswith(ref)]
                if len(found) == 1:
                    return found[0]
                if len(found) > 1:
                    raise InvalidInput(messages.entry_ambiguous(ref, len(found)))
            raise EntryNotFound(messages.entry_not_found(ref))

    def get(self, ref: str) -> Entry:
        """One entry with its title and body."""
        with self._guard:
            entry_id = self.resolve(ref)
            if entry_id in self._damaged:
                damage = self._damaged[entry_id]
                raise VaultDamaged(messages.entry_damaged(damage.entry_id, damage.field))
            entry = self._index()[entry_id]
            return _with_text(entry, self._title(entry), self._body(entry))

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
            chosen = self._select(query, limit)
            if with_bodies and len(chosen) > _FEW:
                return self._complete(chosen)  # a few reads of 500 rows beat thousands of single-row reads
            if not (with_titles or with_bodies):
                return chosen  # the cached metadata itself (immutable)
            found: list[Entry] = []
            for entry in chosen:
                try:
                    title = self._title(entry)
                    body = self._body(entry) if with_bodies else ""
                except VaultDamaged:
                    continue
                found.append(_with_text(entry, title, body))
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
                batch = self._complete(chosen[start : start + _BATCH])
            yield from batch

    def _select(self, query: EntryQuery, limit: int | None) -> list[Entry]:
        """Metadata of the entries matching the query, newest first. A text query decrypts every
        title and body the first time (see _load_texts)."""
        self._refresh()
        if query.needs_bodies:
            self._load_texts()
        hits = self._text.matching(query.text) if query.text else None
        metadata_only = replace(query, text=None)
        chosen: list[Entry] = []
        for entry in self._in_order():
            if hits is not None and entry.id not in hits:
                continue
            if not matches(entry, metadata_only):
                continue
            chosen.append(entry)
            if limit is not None and len(chosen) >= limit:
                break
        return chosen

    def count(self) -> int:
        with self._guard:
            self._refresh()
            return len(self._index())

    def add(self, changes: EntryChanges, now: datetime | None = None) -> Entry:
        entry = new_entry(changes, now or _now())
        with self._guard:
            self._refresh()
            with self._writing() as repo:
                repo.insert(entry)
            self._remember(entry)
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
            added: list[Entry] = []
            skipped: list[str] = []
            seen: set[str] = set()
            with self._writing() as repo:
                tombstoned = repo.tombstones()
                stored = repo.ids()  # readable or damaged: either way the id is taken
                pending: list[Entry] = []
                stamps: list[int] = []
                for count, entry in enumerate(entries, start=1):
                    check_complete(entry)
                    if entry.id in stored or entry.id in seen:
                        skipped.append(entry.id)
                    else:
                        pending.append(entry)
                        seen.add(entry.id)
                        if len(pending) == _WRITE_BATCH:
                            stamps += repo.insert_many(pending)
                            added += pending
                            pending = []
                    if progress is not None and count % 200 == 0:
                        progress(count)
                stamps += repo.insert_many(pending)
                added += pending
                repo.drop_tombstones([e.id for e in added if e.id in tombstoned])  # back after a delete
                paged = self._page_imported(added, stamps, len(stored))
            for entry in added:  # only after the commit: a failed import leaves the caches as they were
                self._remember(entry)
            if self._loaded:
                self._page_of.update(paged)
            if progress is not None:
                progress(len(added) + len(skipped))
        return ImportOutcome(tuple(e.id for e in added), tuple(skipped))

    def _page_imported(self, added: list[Entry], stamps: list[int], before: int) -> dict[str, int]:
        """Inside the import's transaction: put a large import straight into pages (it is in memory
        already), so the next unlock reads it as pages. Returns entry id -> page."""
        if before + len(added) < MIN_PAGED or len(added) < PAGE_FILL:
            return {}  # small: gathered into a page later, with others (see _write_pages)
        paged: dict[str, int] = {}
        for start in range(0, len(added), PAGE_SIZE):
            rows = list(zip(added[start : start + PAGE_SIZE], stamps[start : start + PAGE_SIZE], strict=True))
            page_id = self._pages.add(rows)
            paged.update((entry.id, page_id) for entry, _ in rows)
        return paged

    def _write_pages(self) -> None:
        """Gather the entries no page holds into new pages once there are enough of them in a journal
        large enough for pages to pay, and delete pages nothing points to any more. Pages are a cache:
        if this fails, nothing is lost (the rows are complete), and it is tried again next time."""
        if not self._loaded or len(self._entries) < MIN_PAGED:
            return
        if len(self._entries) - len(self._page_of) < PAGE_FILL and not self._failed_pages:
            return  # a page that failed is replaced whatever the count: its entries read slowly
        with self._writing() as repo:
            where = self._pages.pointers()  # read again inside the write lock: what counts is the file
            pages = self._pages.ids()
            usable = pages - self._failed_pages
            outside = [i for i, page in where.items() if page not in usable]
            for start in range(0, len(outside), PAGE_SIZE):
                rows = repo.page_rows(outside[start : start + PAGE_SIZE])
                if rows:
                    self._pages.add(rows)
            pointed = {page for page in where.values() if page is not None}
            self._pages.drop(sorted((pages - pointed) | (pages - usable)))

    def edit(self, ref: str, changes: EntryChanges, now: datetime | None = None) -> Entry:
        with self._guard:
            current = self.get(ref)
            updated = apply_changes(current, changes, now or _now())
            with self._writing() as repo:
                if not repo.replace(updated):
                    raise PurposeError(messages.entry_changed_elsewhere(current.id))
            self._remember(updated)
        return updated

    def delete(self, ref: str) -> str:
        with self._guard:
            entry_id = self.resolve(ref)
            with self._writing() as repo:
                repo.delete(entry_id)  # leaves a tombstone, so the deletion can reach other devices
            self._forget(entry_id)
        return entry_id

    def _forget(self, entry_id: str) -> None:
        if self._loaded and entry_id in self._entries:
            self._unplace(self._entries[entry_id])
        for cache in (self._entries, self._sealed_titles, self._titles, self._bodies):
            cache.pop(entry_id, None)
        self._text.remove(entry_id)
        self._damaged.pop(entry_id, None)
        self._page_of.pop(entry_id, None)

    # -- merging versions from elsewhere (a backup, another device)

    def tokens(self) -> Tokens:
        """Version tokens and conflict-copy ids for this vault (keyed by its data key)."""
        return Tokens(keys.subkey(self._key(), "merge"))

    def tombstones(self) -> dict[str, int]:
        """Deleted entries: id -> the revision it had."""
        with self._guard, database.reading(self._live().conn):
            return self._repo.tombstones()

    def merge(
        self,
        incoming: Iterable[Incoming],
        *,
        lineage: dict[str, list[str]] | None = None,
        documents: Mapping[tuple[str, str], Any] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> MergeOutcome:
        """Bring in entries and deletions from a backup or another device, by id and revision (the
        rules are in domain/merge.py), in ONE transaction together with `documents`: all or nothing.

        Incoming entries are validated like typed ones. `lineage` (sync only) is updated in place
        with what the incoming versions say; documents are stored after the plan is made, so a
        lineage that is part of one is saved as updated. Caches change only after the commit."""
        with self._guard:
            self._refresh()
            # Deciding needs every field of the local versions; a damaged one is left out (and listed
            # in _damaged): an incoming version replaces it.
            local = {e.id: e for e in self._complete(list(self._index().values()))}
            with database.reading(self._live().conn):
                tombstones = self._repo.tombstones()
            merger = Merger(local, tombstones, self.tokens(), lineage=lineage, damaged=list(self._damaged))
            count = 0
            for count, item in enumerate(incoming, start=1):
                if isinstance(item.version, Entry):
                    check_complete(item.version)
                else:
                    check_tombstone(item.version)
                merger.add(item)
                if progress is not None and count % 200 == 0:
                    progress(count)
            plan = merger.plan()
            docs = self._docs()
            stored: list[Document] = []
            with self._writing() as repo:
                for entry in plan.inserts:
                    repo.insert(entry)
                repo.drop_tombstones(plan.revived)
                for entry, expected in plan.overwrites:
                    if not repo.overwrite(entry, expected):
                        raise PurposeError(messages.entry_changed_elsewhere(entry.id))
                for entry_id, expected, revision in plan.deletes:
                    if not repo.delete(entry_id, expected):
                        raise PurposeError(messages.entry_changed_elsewhere(entry_id))
                    repo.put_tombstone(entry_id, revision)
                for tombstone in plan.tombstones:
                    repo.put_tombstone(tombstone.id, tombstone.revision)
                for (kind, name), data in (documents or {}).items():
                    stored.append(self._store_document(docs.get((kind, name)), kind, name, data))
            for entry in (*plan.inserts, *(e for e, _ in plan.overwrites)):
                self._remember(entry)
            for entry_id, _, _ in plan.deletes:
                self._forget(entry_id)
            for doc in stored:
                docs[(doc.kind, doc.name)] = doc
            if progress is not None:
                progress(count)
        return plan.outcome

    def _remember(self, entry: Entry) -> None:
        """Update the caches after our own write (no re-read, no re-decrypt). Before the metadata is
        first read there is nothing to update: it will be read with this entry in it."""
        if not self._loaded:
            return
        previous = self._entries.get(entry.id)
        if previous is not None:
            self._unplace(previous)
        self._entries[entry.id] = summary = _with_text(entry, "", "")
        self._page_of.pop(entry.id, None)  # its row was rewritten: outside pages until gathered
        self._place(summary)
        self._titles[entry.id] = entry.title
        self._bodies[entry.id] = entry.body
        if self._texts_complete:
            self._index_text(entry, entry.title, entry.body)
        self._damaged.pop(entry.id, None)

    # -- documents: small sealed records keyed by (kind, name), for everything that is not an entry

    def _docs(self) -> dict[tuple[str, str], Document]:
        self._refresh()
        if self._documents is None:
            loaded: dict[tuple[str, str], Document] = {}
            self.damaged_documents = 0
            with database.reading(self._live().conn):
                for doc in self._doc_repo.all():
                    if isinstance(doc, Damage):
                        self.damaged_documents += 1  # left out; the rest keep working
                    else:
                        loaded[(doc.kind, doc.name)] = doc
            self._documents = loaded
        return self._documents

    def document(self, kind: str, name: str, default: Any = None) -> Any:
        """The data stored under (kind, name), or default. A copy: changing it changes nothing."""
        with self._guard:
            doc = self._docs().get((kind, name))
            return copy.deepcopy(doc.data) if doc is not None else default

    def documents(self, kind: str) -> dict[str, Any]:
        with self._guard:
            return {name: copy.deepcopy(d.data) for (k, name), d in self._docs().items() if k == kind}

    def all_documents(self) -> dict[tuple[str, str], Any]:
        """Every readable document, keyed by (kind, name); copies."""
        with self._guard:
            return {key: copy.deepcopy(d.data) for key, d in self._docs().items()}

    def put_document(self, kind: str, name: str, data: Any) -> None:
        """Store JSON-shaped data under (kind, name), replacing what was there, in one transaction."""
        self.put_documents({(kind, name): data})

    def put_documents(self, documents: Mapping[tuple[str, str], Any]) -> None:
        """Store several documents in one transaction: all or none."""
        with self._guard:
            docs = self._docs()
            with self._writing():
                stored = [self._store_document(docs.get(key), *key, data) for key, data in documents.items()]
            for doc in stored:
                docs[(doc.kind, doc.name)] = doc

    def _store_document(self, previous: Document | None, kind: str, name: str, data: Any) -> Document:
        """Inside a write transaction: insert or replace one document."""
        if previous is None:
            return self._doc_repo.insert(kind, name, data)
        replaced = self._doc_repo.replace(previous, data)
        if replaced is None:
            raise PurposeError(messages.record_changed_elsewhere())
        return replaced

    def delete_document(self, kind: str, name: str) -> bool:
        with self._guard:
            docs = self._docs()
            previous = docs.get((kind, name))
            if previous is None:
                return False
            with self._writing():
                self._doc_repo.delete(previous)
            del docs[(kind, name)]
            return True

    # -- keys

    def change_passphrase(self, new_passphrase: str, params: kdf.KdfParams) -> None:
        """Re-wrap the data key under a new passphrase, in one transaction. Entries are untouched."""
        check_new_passphrase(new_passphrase)
        with self._guard:
            opened, data_key = self._live(), self._key()
            slot = keyslots.wrap_with_passphrase(data_key, new_passphrase, opened.header.raw, params)
            self._replace_slot(slot)
            self.kdf_profile = params.profile

    def regenerate_recovery_key(self) -> str:
        """A new recovery key; the old one stops working the moment this returns."""
        with self._guard:
            opened, data_key = self._live(), self._key()
            secret = keys.new_recovery_secret()
            self._replace_slot(keyslots.wrap_with_recovery(data_key, secret, opened.header.raw))
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
            raise VaultLocked("The vault is locked. Unlock it to go on.")
        return self._data_key

    def _replace_slot(self, slot: keyslots.KeySlot) -> None:
        conn = self._live().conn
        with self._writing():
            result = conn.execute(
                update(key_slots)
                .where(key_slots.c.name == slot.name)
                .values(params=slot.params, wrapped=slot.wrapped)
            )
            if result.rowcount != 1:
                raise VaultDamaged(messages.key_record_damaged())

    # -- lock

    def lock(self) -> None:
        """Drop the keys and every decrypted value, and truncate the WAL. Safe to call twice."""
        with self._guard:
            if self._opened is not None:
                # A cache: the journal is complete in its rows; if this fails it is tried next time.
                with contextlib.suppress(PurposeError, DBAPIError):
                    self._write_pages()
            opened, self._opened = self._opened, None
            self._data_key = None
            self._repo = None  # type: ignore[assignment]
            self._forget_plaintext()
            if opened is not None:
                try:
                    database.checkpoint(opened.conn)
                except DBAPIError:
                    pass  # best effort: the keys are already gone, and the WAL holds only ciphertext
                finally:
                    opened.close()


__all__ = [
    "FORMAT_VERSION",
    "Header",
    "Vault",
    "check_new_passphrase",
    "create",
    "unlock",
    "unlock_with_recovery",
]
