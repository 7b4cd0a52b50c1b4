"""Encrypted backups: the whole journal in one file, restored into a new vault or merged into one.

The file is chunked.py's format (purpose "backup"), protected by a passphrase through Argon2id: the
vault's passphrase or a separate one. The payload is JSON lines:

    {"type": "backup", "format": 1, "vault_id", "data_key", "made"}      first
    {"type": "entry", ...every field, id, revision, times with zone}    one per entry
    {"type": "deletion", "id", "revision"}                              one per tombstone
    {"type": "document", "kind", "name", "data"}                        one per vault document
    {"type": "end", "entries", "deletions", "documents"}                last: the counts again

What a backup holds: every readable entry; the tombstones (so a merge or a synced copy does not bring
deleted entries back); every document (pack settings, imported packs, personal prompts, favourites,
"my why", programmes, self-check results, support contacts, signing identity, trusted signers, app
settings, today's draft, the sync state) except what belongs to this device alone: its sync identity
and its ("device", ...) settings such as where its sync folder is (a restored copy on another machine
must not start syncing with a path that means nothing there, or something else); and the vault id
and data key, so a vault restored from it can sync with this one. Entries that fail their integrity
check cannot be read, so they are not in it (the caller is told how many).

Making a backup marks every version in it as exchanged in the sync state: whoever restores the backup
has exactly those versions, which lets later syncs tell an old version from a concurrent edit.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, TypeVar

from purpose_app import messages
from purpose_app.crypto import chunked, kdf
from purpose_app.domain.entry import Entry
from purpose_app.domain.json_value import JsonObject, JsonValue
from purpose_app.domain.merge import Incoming, MergeOutcome, Tombstone
from purpose_app.errors import InvalidInput, VaultUnavailable, WrongSecret
from purpose_app.interchange.entry_codec import (
    check_depth,
    entry_from_dict,
    entry_to_dict,
    load_json,
    tombstone_from_dict,
    tombstone_to_dict,
)
from purpose_app.services import sync, vault
from purpose_app.services.private_file import write_private
from purpose_app.storage.location import DATABASE_NAME
from purpose_app.storage.vault_file import vault_path

FORMAT = 1
MAX_LINE = 32 * 1024 * 1024  # one entry of a million characters is at most about 6 MB of JSON
MAX_NAME = 200
Progress = Callable[[int, int], None]  # (done, total); total is 0 while unknown
_T = TypeVar("_T")


@dataclass
class Backup:
    """A backup's contents, decrypted and checked. Holds plaintext and the data key: keep it briefly."""

    vault_id: str
    data_key: bytes
    made: str
    entries: list[Entry] = field(default_factory=list)
    tombstones: list[Tombstone] = field(default_factory=list)
    documents: dict[tuple[str, str], JsonValue] = field(default_factory=dict)

    def incoming(self) -> Iterator[Incoming]:
        yield from (Incoming(e) for e in self.entries)
        yield from (Incoming(t) for t in self.tombstones)


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    entries: int
    deletions: int
    documents: int
    damaged: int  # entries that could not be read, so are not in the backup


@dataclass(frozen=True)
class RestoreSummary:
    outcome: MergeOutcome
    documents_added: int
    documents_kept: int  # in the backup, but the vault has its own (a merge never overwrites them)
    same_journal: bool = True  # False: a backup of another journal, whose documents never come in
    documents_left_out: int = 0  # its documents (identity, trusted signers, settings...), not merged


# -- making one --------------------------------------------------------------------------------------


def _line(record: JsonObject) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


@dataclass
class _Snapshot:
    entries: list[Entry]
    tombstones: list[Tombstone]
    documents: dict[tuple[str, str], JsonValue]
    state: sync.SyncState
    vault_id: str
    data_key: bytes
    damaged: int


def _snapshot(source: vault.Vault) -> _Snapshot:
    """Everything a backup holds, read once, with the sync state updated to match (not yet saved)."""
    entries = source.entries(with_bodies=True)
    present = {e.id for e in entries}
    tombstones = [Tombstone(i, r) for i, r in sorted(source.tombstones().items()) if i not in present]
    # ("device", ...) documents are one machine's settings (its sync folder): never in a backup.
    documents = {k: v for k, v in source.all_documents().items() if k != sync.DEVICE and k[0] != "device"}
    state = sync.load_state(source)
    tokens = source.tokens()
    for entry in entries:
        sync.remember(state["lineage"], entry.id, tokens.token(entry))
    for tombstone in tombstones:
        sync.remember(state["lineage"], tombstone.id, tokens.token(tombstone))
    documents[sync.STATE] = sync.as_document(state)
    vault_id, data_key = source.identity()
    return _Snapshot(entries, tombstones, documents, state, vault_id, data_key, len(source.damaged))


def _payload(handle: BinaryIO, snap: _Snapshot, passphrase: str, params: kdf.KdfParams,
             progress: Progress | None) -> None:  # fmt: skip
    _write_payload(
        handle, passphrase, params, snap.vault_id, snap.data_key, snap.entries, snap.tombstones,
        snap.documents, progress,
    )  # fmt: skip


def _never_cheaper(source: vault.Vault, params: kdf.KdfParams) -> kdf.KdfParams:
    """A backup carries the data key: guessing its passphrase must cost at least what guessing the
    vault's does, whatever PURPOSE_KDF_PROFILE says."""
    return kdf.at_least(params, source.key_cost or kdf.DEFAULT)


def write_backup(
    source: vault.Vault,
    path: Path,
    passphrase: str,
    params: kdf.KdfParams,
    *,
    progress: Progress | None = None,
) -> BackupSummary:
    """Write the whole vault to `path`, encrypted under `passphrase`. Written beside it and renamed
    into place, so `path` is either the old file or the complete new one, never half of one."""
    vault.check_new_passphrase(passphrase)
    params = _never_cheaper(source, params)
    snap = _snapshot(source)
    write_private(path, lambda handle: _payload(handle, snap, passphrase, params, progress))
    source.put_document(*sync.STATE, sync.as_document(snap.state))  # only once the file is safely in place
    return BackupSummary(path, len(snap.entries), len(snap.tombstones), len(snap.documents), snap.damaged)


def backup_bytes(
    source: vault.Vault, passphrase: str, params: kdf.KdfParams, *, progress: Progress | None = None
) -> tuple[bytes, int]:
    """The same backup in memory (for the app, which hands it to the browser to save): (bytes,
    entries in it). The bytes are the encrypted file; nothing readable is ever held outside it."""
    vault.check_new_passphrase(passphrase)
    params = _never_cheaper(source, params)
    snap = _snapshot(source)
    buffer = io.BytesIO()
    _payload(buffer, snap, passphrase, params, progress)
    source.put_document(*sync.STATE, sync.as_document(snap.state))
    return buffer.getvalue(), len(snap.entries)


def _write_payload(
    handle: BinaryIO,
    passphrase: str,
    params: kdf.KdfParams,
    vault_id: str,
    data_key: bytes,
    entries: list[Entry],
    tombstones: list[Tombstone],
    documents: dict[tuple[str, str], JsonValue],
    progress: Progress | None,
) -> None:
    writer = chunked.ChunkWriter(handle, purpose="backup", passphrase=passphrase, params=params)
    made = datetime.now(UTC).isoformat()
    head: JsonObject = {"type": "backup", "format": FORMAT, "vault_id": vault_id, "made": made}
    writer.write(_line({**head, "data_key": base64.b64encode(data_key).decode("ascii")}))
    total = len(entries)
    for done, entry in enumerate(entries, start=1):
        writer.write(_line({"type": "entry", **entry_to_dict(entry)}))
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)
    for tombstone in tombstones:
        writer.write(_line({"type": "deletion", **tombstone_to_dict(tombstone)}))
    for (kind, name), data in sorted(documents.items()):
        writer.write(_line({"type": "document", "kind": kind, "name": name, "data": data}))
    counts = {"entries": len(entries), "deletions": len(tombstones), "documents": len(documents)}
    writer.write(_line({"type": "end", **counts}))
    writer.finish()


# -- reading one -------------------------------------------------------------------------------------


def read_backup(path: Path, passphrase: str, *, progress: Progress | None = None) -> Backup:
    """Decrypt and check a whole backup. Raises WrongSecret for a wrong passphrase and InvalidInput
    for anything else wrong with the file; touches no vault."""
    try:
        with path.open("rb") as handle:
            header = chunked.read_header(handle)
            if header.purpose != "backup" or not header.needs_passphrase:
                raise InvalidInput(messages.backup_unreadable(path, "it is a sync change file, not a backup"))
            try:
                sealer = chunked.open_file(header, passphrase=passphrase)
            except chunked.WrongKey:
                raise WrongSecret(messages.WRONG_BACKUP_PASSPHRASE) from None
            reader = _Reader(path, progress)
            for chunk in chunked.read_chunks(handle, header, sealer):
                reader.feed(chunk)
            return reader.finish()
    except chunked.Truncated:
        raise InvalidInput(messages.backup_unreadable(path, "it is incomplete (cut short)")) from None
    except chunked.Tampered as exc:
        raise InvalidInput(
            messages.backup_unreadable(path, f"it failed its integrity check ({exc})")
        ) from None
    except chunked.NotChunkedFile as exc:
        raise InvalidInput(messages.backup_unreadable(path, f"it is not a Purpose backup ({exc})")) from None
    except OSError as exc:
        raise InvalidInput(
            messages.backup_unreadable(path, f"it cannot be read ({exc.strerror or exc})")
        ) from None


class _Reader:
    """Splits the decrypted stream into JSON lines and checks each record as it comes."""

    def __init__(self, path: Path, progress: Progress | None) -> None:
        self._path = path
        self._progress = progress
        self._pending = bytearray()
        self._line = 0
        self._backup: Backup | None = None
        self._ended = False

    def _bad(self, detail: str) -> InvalidInput:
        return InvalidInput(messages.backup_unreadable(self._path, f"record {self._line} {detail}"))

    def feed(self, chunk: bytes) -> None:
        self._pending += chunk
        while (end := self._pending.find(b"\n")) >= 0:
            line = bytes(self._pending[:end])
            del self._pending[: end + 1]
            self._record(line)
        if len(self._pending) > MAX_LINE:
            raise self._bad("is too long")

    def _record(self, line: bytes) -> None:
        self._line += 1
        if self._ended:
            raise self._bad("follows the end record")
        try:
            record = load_json(line)
        except InvalidInput as exc:
            raise self._bad(f"is {exc.message}") from None
        if not isinstance(record, dict):
            raise self._bad("has the wrong shape")
        kind = record.pop("type", None)
        if self._backup is None:
            self._backup = self._head(kind, record)
            return
        backup = self._backup
        if kind == "entry":
            backup.entries.append(self._checked(entry_from_dict, record))
            if self._progress is not None and len(backup.entries) % 200 == 0:
                self._progress(len(backup.entries), 0)
        elif kind == "deletion":
            backup.tombstones.append(self._checked(tombstone_from_dict, record))
        elif kind == "document":
            self._document(record)
        elif kind == "end":
            counts = {"entries": len(backup.entries), "deletions": len(backup.tombstones)}
            if record != {**counts, "documents": len(backup.documents)}:
                raise self._bad("says the backup holds other records than it does")
            self._ended = True
        else:
            raise self._bad("is of an unknown type")

    def _checked(self, parse: Callable[[JsonObject], _T], record: JsonObject) -> _T:
        try:
            return parse(record)
        except InvalidInput as exc:
            raise self._bad(f"is not valid: {exc.message[:160]}") from None

    def _head(self, kind: JsonValue, record: JsonObject) -> Backup:
        if kind != "backup" or set(record) != {"format", "vault_id", "made", "data_key"}:
            raise self._bad("is not a backup's first record")
        if record["format"] != FORMAT:
            raise self._bad(f"has format {str(record['format'])[:10]}, which this release cannot read")
        vault_id, made, key = record["vault_id"], record["made"], record["data_key"]
        if not (isinstance(vault_id, str) and re.fullmatch(r"[0-9a-f]{32}", vault_id)):
            raise self._bad("has an impossible vault id")
        try:
            data_key = base64.b64decode(str(key), validate=True)
        except ValueError:
            data_key = b""
        if len(data_key) != 32 or not isinstance(made, str):
            raise self._bad("has an impossible key")
        return Backup(vault_id, data_key, made[:40])

    def _document(self, record: JsonObject) -> None:
        assert self._backup is not None
        kind, name = record.get("kind"), record.get("name")
        if set(record) != {"kind", "name", "data"} or not isinstance(kind, str) or not isinstance(name, str):
            raise self._bad("is a document of the wrong shape")
        if (
            not (0 < len(kind) <= MAX_NAME and len(name) <= MAX_NAME)
            or (kind, name) in self._backup.documents
        ):
            raise self._bad("is a document with an impossible or repeated name")
        try:
            check_depth(record["data"])
        except InvalidInput as exc:
            raise self._bad(f"is a document that {exc.message}") from None
        self._backup.documents[(kind, name)] = record["data"]

    def finish(self) -> Backup:
        if self._pending or self._backup is None or not self._ended:
            raise InvalidInput(messages.backup_unreadable(self._path, "it has no end record"))
        if self._progress is not None:
            self._progress(len(self._backup.entries), len(self._backup.entries))
        return self._backup


# -- restoring ---------------------------------------------------------------------------------------


def restore_new(
    folder: Path,
    backup: Backup,
    new_passphrase: str,
    params: kdf.KdfParams,
    *,
    allow_synced: bool = False,
    progress: Callable[[int], None] | None = None,
) -> tuple[vault.Vault, str, RestoreSummary]:
    """A new vault in `folder` (which must hold none) with everything in the backup, the same data
    key and a new passphrase; returns it unlocked, with its new recovery key to show once. If the
    restore fails, the new vault is removed again: nothing is left behind."""
    vault.check_new_passphrase(new_passphrase)
    if vault_path(folder).exists():
        raise VaultUnavailable(messages.vault_exists(folder))
    folder_existed = folder.exists()
    opened, recovery_key = vault.create(
        folder, new_passphrase, params, allow_synced=allow_synced, identity=(backup.vault_id, backup.data_key)
    )
    try:
        outcome = opened.merge(backup.incoming(), documents=backup.documents, progress=progress)
    except BaseException:
        opened.lock()
        for suffix in ("", "-wal", "-shm", "-journal"):
            (folder / (DATABASE_NAME + suffix)).unlink(missing_ok=True)
        if not folder_existed:
            with contextlib.suppress(OSError):  # not empty after all: leave it
                folder.rmdir()
        raise
    return opened, recovery_key, RestoreSummary(outcome, len(backup.documents), 0)


def is_same_journal(target: vault.Vault, backup: Backup) -> bool:
    """Whether the backup was made from this journal or a copy of it: the same vault id AND the same
    data key. The id is in the clear in every vault file, so only the key proves it."""
    vault_id, data_key = target.identity()
    return backup.vault_id == vault_id and hmac.compare_digest(backup.data_key, data_key)


def restore_merge(
    target: vault.Vault, backup: Backup, *, progress: Callable[[int], None] | None = None
) -> RestoreSummary:
    """Merge the backup into an open vault by entry id and revision (domain/merge.py), in one
    transaction. Documents the vault lacks are added; the vault's own are never overwritten; the
    backup's sync state is left out (it describes another copy's exchanges). A backup of ANOTHER
    journal brings entries and deletions only: a signing identity, trusted signers or settings
    chosen by whoever made it must never arrive that way."""
    offered = {k: v for k, v in backup.documents.items() if k[0] != sync.KIND}
    if not is_same_journal(target, backup):
        outcome = target.merge(backup.incoming(), documents={}, progress=progress)
        return RestoreSummary(outcome, 0, 0, same_journal=False, documents_left_out=len(offered))
    existing = target.all_documents()
    added = {k: v for k, v in offered.items() if k not in existing}
    outcome = target.merge(backup.incoming(), documents=added, progress=progress)
    return RestoreSummary(outcome, len(added), len(offered) - len(added))
