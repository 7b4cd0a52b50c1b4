"""The vault service: create, unlock, read and write entries, lock, and manage the keys.

Services take and return plain values (Entry, EntryChanges, EntryQuery, str); they never prompt and
never print. The command line and the UI translate.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import DBAPIError

from purpose_app import messages
from purpose_app.crypto import kdf, keys, keyslots
from purpose_app.crypto.envelope import Sealer
from purpose_app.domain.entry import Entry, EntryChanges, apply_changes, new_entry
from purpose_app.domain.query import EntryQuery, matches, newest_first
from purpose_app.errors import (
    EntryNotFound,
    InvalidInput,
    PurposeError,
    UsageError,
    VaultDamaged,
    VaultLocked,
    VaultUnavailable,
    WrongSecret,
)
from purpose_app.storage import database, migrate
from purpose_app.storage.location import DATABASE_NAME, synced_service
from purpose_app.storage.repository import Damage, DamagedValue, EntryRepository
from purpose_app.storage.schema import key_slots, meta

FORMAT_VERSION = 1
MIN_PASSPHRASE_LENGTH = 8
_SQLITE_MAGIC = b"SQLite format 3\x00"
_T = TypeVar("_T")


@dataclass(frozen=True)
class Header:
    """The vault's identity, in the clear and bound into every key slot and every sealed field."""

    vault_id: str
    format: int
    raw: bytes

    @classmethod
    def new(cls) -> Header:
        data = {"app": "purpose", "format": FORMAT_VERSION, "vault_id": uuid.uuid4().hex}
        return cls.parse(json.dumps(data, sort_keys=True, separators=(",", ":")).encode())

    @classmethod
    def parse(cls, raw: bytes) -> Header:
        data = json.loads(raw)
        if data.get("app") != "purpose":
            raise ValueError("not a purpose header")
        return cls(vault_id=str(data["vault_id"]), format=int(data["format"]), raw=raw)


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise InvalidInput(messages.PASSPHRASE_TOO_SHORT)


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

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()

    def slot(self, name: str) -> keyslots.KeySlot:
        row = self.conn.execute(
            select(key_slots.c.params, key_slots.c.wrapped).where(key_slots.c.name == name)
        ).one_or_none()
        self.conn.rollback()
        if row is None:
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
    engine, conn = _connect(folder, path)
    opened = _Opened(folder, engine, conn, Header("", 0, b""))
    try:
        revision = migrate.current_revision(conn)
        if revision is None:
            raise VaultDamaged(messages.not_a_vault(folder))
        if revision not in migrate.KNOWN_REVISIONS:
            raise VaultUnavailable(messages.too_new(folder))
        raw = conn.execute(select(meta.c.value).where(meta.c.key == "header")).scalar_one_or_none()
        conn.rollback()
        try:
            header = Header.parse(bytes(raw)) if raw is not None else None
        except (ValueError, KeyError, TypeError):
            header = None
        if header is None:
            raise VaultDamaged(messages.not_a_vault(folder))
        if header.format > FORMAT_VERSION:
            raise VaultUnavailable(messages.too_new(folder))
        if revision != migrate.HEAD:
            with database.writing(conn):
                migrate.upgrade_to_head(conn)
    except BaseException:
        opened.close()
        raise
    opened.header = header
    return opened


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
    params, _salt = keyslots.passphrase_params(opened.slot(keyslots.PASSPHRASE))
    return Vault(opened, data_key, kdf_profile=params.profile)


def create(
    folder: Path, passphrase: str, params: kdf.KdfParams, *, allow_synced: bool = False
) -> tuple[Vault, str]:
    """A new vault in `folder`; returns it unlocked, with the recovery key to show once.

    Built under a temporary name and renamed into place, so a crash leaves either no vault or a
    complete one, never half of one.
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

    header = Header.new()
    data_key = keys.new_data_key()
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
    """An unlocked vault. Holds keys and decrypted summaries until lock(); thread-safe."""

    def __init__(self, opened: _Opened, data_key: bytes, *, kdf_profile: str) -> None:
        self.folder = opened.folder
        self.kdf_profile = kdf_profile
        self._opened: _Opened | None = opened
        self._data_key: bytes | None = data_key
        self._guard = threading.RLock()
        self._repo = EntryRepository(
            opened.conn, Sealer(keys.subkey(data_key, "entries")), opened.header.vault_id
        )
        self._entries: dict[str, Entry] = {}  # without bodies
        self._bodies: dict[str, str] = {}
        self._bodies_complete = False
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
            return list(self._damaged.values())

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.lock()

    def _live(self) -> _Opened:
        if self._opened is None:
            raise VaultLocked("The vault is locked. Unlock it to go on.")
        return self._opened

    def _reload(self) -> None:
        opened = self._live()
        self._seen_version = database.data_version(opened.conn)
        self._entries.clear()
        self._bodies.clear()
        self._bodies_complete = False
        self._damaged.clear()
        with database.reading(opened.conn):
            for item in self._repo.summaries():
                if isinstance(item, Damage):
                    self._damaged[item.entry_id] = item
                else:
                    self._entries[item.id] = item

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
        # Our own commit does not move data_version, so the cache stays valid without a reload.

    # -- entries

    def resolve(self, ref: str) -> str:
        """The full id for an id or a unique prefix of at least four characters."""
        with self._guard:
            self._refresh()
            ref = ref.strip().lower()
            if ref in self._entries or ref in self._damaged:
                return ref
            if len(ref) >= 4:
                found = [i for i in (*self._entries, *self._damaged) if i.startswith(ref)]
                if len(found) == 1:
                    return found[0]
                if len(found) > 1:
                    raise InvalidInput(messages.entry_ambiguous(ref, len(found)))
            raise EntryNotFound(messages.entry_not_found(ref))

    def get(self, ref: str) -> Entry:
        """One entry with its body."""
        with self._guard:
            entry_id = self.resolve(ref)
            if entry_id in self._damaged:
                damage = self._damaged[entry_id]
                raise VaultDamaged(messages.entry_damaged(damage.entry_id, damage.field))
            summary = self._entries[entry_id]
            return replace(summary, body=self._body(summary))

    def _body(self, summary: Entry) -> str:
        if summary.id in self._bodies:
            return self._bodies[summary.id]
        try:
            with database.reading(self._live().conn):
                return self._repo.body(summary.id, summary.revision)
        except DamagedValue as exc:
            self._damaged[summary.id] = exc.damage
            raise VaultDamaged(messages.entry_damaged(summary.id, exc.damage.field)) from None

    def _load_bodies(self) -> None:
        if self._bodies_complete:
            return
        with database.reading(self._live().conn):
            for entry_id, body in self._repo.bodies():
                if isinstance(body, Damage):
                    self._damaged[entry_id] = body
                    self._entries.pop(entry_id, None)
                else:
                    self._bodies[entry_id] = body
        self._bodies_complete = True

    def entries(
        self,
        query: EntryQuery | None = None,
        *,
        limit: int | None = None,
        with_bodies: bool = False,
    ) -> list[Entry]:
        """Entries matching the query, newest first. Bodies are filled in when asked for or when the
        query searches text (which decrypts every body once and keeps them until lock)."""
        query = query or EntryQuery()
        with self._guard:
            self._refresh()
            if query.needs_bodies or with_bodies:
                self._load_bodies()
            found: list[Entry] = []
            for entry in newest_first(self._entries.values()):
                if matches(entry, query, self._bodies.get(entry.id, "")):
                    found.append(entry)
                    if limit is not None and len(found) >= limit:
                        break
            if query.needs_bodies or with_bodies:
                return [replace(e, body=self._bodies.get(e.id, "")) for e in found]
            return found

    def count(self) -> int:
        with self._guard:
            self._refresh()
            return len(self._entries)

    def add(self, changes: EntryChanges, now: datetime | None = None) -> Entry:
        entry = new_entry(changes, now or _now())
        with self._guard:
            self._refresh()
            with self._writing() as repo:
                repo.insert(entry)
            self._remember(entry)
        return entry

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
                repo.delete(entry_id)
            self._entries.pop(entry_id, None)
            self._bodies.pop(entry_id, None)
            self._damaged.pop(entry_id, None)
        return entry_id

    def _remember(self, entry: Entry) -> None:
        self._entries[entry.id] = replace(entry, body="")
        if self._bodies_complete:
            self._bodies[entry.id] = entry.body
        else:
            self._bodies.pop(entry.id, None)

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
            opened, self._opened = self._opened, None
            self._data_key = None
            self._repo = None  # type: ignore[assignment]
            self._entries.clear()
            self._bodies.clear()
            self._bodies_complete = False
            self._damaged.clear()
            if opened is not None:
                try:
                    database.checkpoint(opened.conn)
                finally:
                    opened.close()


__all__ = [
    "FORMAT_VERSION",
    "Header",
    "UsageError",
    "Vault",
    "check_new_passphrase",
    "create",
    "unlock",
    "unlock_with_recovery",
]
