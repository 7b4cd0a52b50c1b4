"""The vault file: its header, opening and connecting, the key-slot rows, and building a new one."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import DBAPIError

from purpose_app import messages
from purpose_app.crypto import keyslots
from purpose_app.errors import VaultDamaged, VaultUnavailable
from purpose_app.storage import database, migrate
from purpose_app.storage.location import DATABASE_NAME, synced_service
from purpose_app.storage.location import vault_exists as vault_exists  # named here too, as before
from purpose_app.storage.location import vault_path as vault_path
from purpose_app.storage.schema import key_slots, meta

FORMAT_VERSION = 1
_SQLITE_MAGIC = b"SQLite format 3\x00"
FILE_MODE = 0o600  # the vault file; SQLite gives its -wal, -shm and -journal files the same mode
FOLDER_MODE = 0o700
_SIDE_FILES = ("", "-wal", "-shm", "-journal")
_BUILDING = DATABASE_NAME + ".creating"
# Every name Purpose itself puts in a vault folder: a folder holding only these is Purpose's own.
OWN_NAMES = frozenset(name + side for name in (DATABASE_NAME, _BUILDING) for side in _SIDE_FILES)


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


def check_location(folder: Path, allow_synced: bool) -> None:
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


def connect(folder: Path, path: Path, *, create: bool = False) -> tuple[Engine, Connection]:
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
class OpenedFile:
    """An open vault file whose header was read; no key yet."""

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

    def replace_slot(self, slot: keyslots.KeySlot) -> None:
        """Inside a write transaction: overwrite the slot of the same name (it must exist)."""
        result = self.conn.execute(
            update(key_slots)
            .where(key_slots.c.name == slot.name)
            .values(params=slot.params, wrapped=slot.wrapped)
        )
        if result.rowcount != 1:
            raise VaultDamaged(messages.key_record_damaged())


def _owned_by_me(status: os.stat_result) -> bool:
    return hasattr(os, "getuid") and status.st_uid == os.getuid()  # POSIX only; Windows has ACLs


def _owner_only(path: Path, status: os.stat_result) -> None:
    """Take the group's and others' bits away and keep the owner's (a file the person made read-only
    stays read-only). A file someone else owns is left alone: chmod would fail anyway."""
    if status.st_mode & 0o077 and _owned_by_me(status):
        with contextlib.suppress(OSError):
            os.chmod(path, stat.S_IMODE(status.st_mode) & 0o700)


def keep_private(folder: Path) -> None:
    """Owner-only, whatever the umask was when they were made: the vault file and its -wal, -shm and
    -journal files, and the folder itself when it is the person's own and holds nothing but
    Purpose's files (a folder they chose that holds other things keeps the mode they gave it)."""
    for name in sorted(OWN_NAMES):
        try:
            status = os.lstat(folder / name)
        except OSError:
            continue  # not there (the usual case for most of these names)
        if stat.S_ISREG(status.st_mode):
            _owner_only(folder / name, status)
    try:
        status = os.lstat(folder)
        if stat.S_ISDIR(status.st_mode) and set(os.listdir(folder)) <= OWN_NAMES:
            _owner_only(folder, status)
    except OSError:
        return


def open_file(folder: Path, allow_synced: bool) -> OpenedFile:
    path = vault_path(folder)
    if not path.is_file():
        raise VaultUnavailable(messages.vault_missing(folder))
    check_location(folder, allow_synced)
    try:
        if not _looks_like_vault_file(path):
            raise VaultDamaged(messages.not_a_vault(folder))
    except PermissionError:
        raise VaultUnavailable(messages.read_only(folder)) from None
    if not (os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)):
        # SQLite would open a write-protected file read-only, leave -wal/-shm files behind and fail
        # only at the first write or at lock: refuse before touching anything.
        raise VaultUnavailable(messages.read_only(folder))
    keep_private(folder)  # before SQLite opens it: new -wal and -shm files take the file's mode
    engine, conn = connect(folder, path)
    opened = OpenedFile(folder, engine, conn, Header("", 0, b""))
    try:
        revision = migrate.current_revision(conn)
        if revision is None:
            raise VaultDamaged(messages.not_a_vault(folder))
        header = read_header(conn)  # before judging the revision: another app may use Alembic too
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


def read_header(conn: Connection) -> Header | None:
    try:
        raw = conn.execute(select(meta.c.value).where(meta.c.key == "header")).scalar_one_or_none()
        return Header.parse(bytes(raw)) if raw is not None else None
    except (DBAPIError, ValueError, KeyError, TypeError):
        return None  # no meta table, or a header that is not ours
    finally:
        conn.rollback()


def prepare_folder(folder: Path, allow_synced: bool) -> None:
    """Refuse a folder that has a vault already or must not hold one; make it if needed."""
    if vault_path(folder).exists():
        raise VaultUnavailable(messages.vault_exists(folder))
    check_location(folder, allow_synced)
    try:
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)  # the mode is for the last one only
    except OSError:
        raise VaultUnavailable(messages.read_only(folder)) from None
    keep_private(folder)  # the umask may have taken bits from FOLDER_MODE, never added any


def _create_private(path: Path) -> None:
    """An empty file only its owner can read, for SQLite to fill: SQLite would otherwise create it
    with the umask's mode (0644 under the usual 022) and give its -wal and -shm files that mode too."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)


def build(folder: Path, header: Header, slots: Iterable[keyslots.KeySlot]) -> None:
    """Write a complete new vault file under a temporary name and rename it into place, so a crash
    leaves either no vault or a complete one, never half of one."""
    path = vault_path(folder)
    building = folder / _BUILDING
    for side in _SIDE_FILES:
        Path(f"{building}{side}").unlink(missing_ok=True)
    try:
        _create_private(building)
    except OSError:
        raise VaultUnavailable(messages.read_only(folder)) from None
    engine, conn = connect(folder, building, create=True)
    try:
        with database.writing(conn):
            migrate.upgrade_to_head(conn)
            conn.execute(insert(meta).values(key="header", value=header.raw))
            for slot in slots:
                conn.execute(
                    insert(key_slots).values(name=slot.name, params=slot.params, wrapped=slot.wrapped)
                )
        database.checkpoint(conn)
    finally:
        conn.close()
        engine.dispose()
    os.replace(building, path)
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (Windows); the rename itself is still atomic
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
