"""Sync between devices through a folder that another tool keeps in step (Syncthing, Dropbox, ...).

The live database never goes there. Each device writes its own encrypted change files into
DIR/purpose-sync/ and reads the other devices' ones:

    DIR/purpose-sync/<device id>-<sequence>-<random>.changes     (chunked.py, purpose "sync")

A change file is sealed with the vault's sync subkey (HKDF of the data key), so only a vault with the
same data key (one restored from a backup of this one) can read it. Inside: JSON
{"format": 1, "device", "seq", "entries": [entry + "seen"], "deletions": [id, revision, "seen"]},
where "seen" is the sender's lineage of that entry (domain/merge.py says how lineages decide).

A sync: (1) read every change file not applied yet; one that is cut short, still being copied,
damaged or from another vault is skipped with a reason and tried again next time; (2) merge what
was read in ONE transaction, together with the sync state (lineages and the files applied); (3) write
one change file with every version that has not been through the folder yet (sent, or received as
it is now), and record that. A crash between (2) and (3) only means the changes go out next time; a
crash during (3) leaves a temporary file that no reader looks at, or a file sent twice (harmless:
merging a version again changes nothing).

Vault documents: ("sync", "device") {"id", "seq"} belongs to this device and is never in a backup;
("sync", "state") {"lineage": {entry id: [tokens]}, "synced": {entry id: token of the version last
through the folder}, "applied": {file name: file id}} is in backups, so a device restored from one
does not re-read what the backup already holds. A backup adds its versions to the lineages (whoever
restores it has them) but not to "synced": they still go out to devices that joined earlier.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypedDict, cast

from purpose_app import messages
from purpose_app.crypto import chunked
from purpose_app.domain.entry import Entry
from purpose_app.domain.json_value import JsonObject, JsonValue
from purpose_app.domain.merge import MAX_LINEAGE, Incoming, MergeOutcome, Tombstone
from purpose_app.errors import InvalidInput, PurposeError
from purpose_app.interchange.entry_codec import (
    entry_from_dict,
    entry_to_dict,
    load_json,
    tombstone_from_dict,
    tombstone_to_dict,
)
from purpose_app.services.private_file import write_private
from purpose_app.services.vault import Vault

KIND = "sync"
DEVICE = (KIND, "device")
STATE = (KIND, "state")
SUBFOLDER = "purpose-sync"
FORMAT = 1
MAX_CHANGE_FILE = 512 * 1024 * 1024  # a first sync of a 50,000-entry journal is about 100 MB
_NAME = re.compile(r"^([0-9a-f]{32})-(\d{6,})-([0-9a-f]{8})\.changes$")
_SEEN = frozenset({"seen"})
_STATE_KEYS = ("lineage", "synced", "applied")


class SyncState(TypedDict):
    """The ("sync", "state") document."""

    lineage: dict[str, list[str]]  # entry id -> tokens of its versions exchanged, oldest first
    synced: dict[str, str]  # entry id -> token of the version last through the folder
    applied: dict[str, str]  # change file name -> its file id


class Device(TypedDict):
    """The ("sync", "device") document: this device's own, never in a backup."""

    id: str
    seq: int


def as_document(data: SyncState | Device) -> JsonObject:
    """The same dict, as the document it is stored as (the same object, not a copy: a merge that
    updates the lineage in place stores the updated one)."""
    return cast("JsonObject", data)


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str


@dataclass
class SyncReport:
    device: str
    folder: Path
    sent: str | None = None  # the change file written, if there was anything to send
    sent_entries: int = 0
    sent_deletions: int = 0
    received: list[str] = field(default_factory=list)
    outcome: MergeOutcome = field(default_factory=MergeOutcome)
    skipped: list[Skipped] = field(default_factory=list)


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- state documents -----------------------------------------------------------------------------------


def load_state(vault: Vault) -> SyncState:
    """The sync state, with its expected shape (a damaged or odd one starts afresh, which is safe:
    files are read again and merging them again changes nothing)."""
    state = vault.document(*STATE)
    if not (isinstance(state, dict) and all(isinstance(state.get(k), dict) for k in _STATE_KEYS)):
        return SyncState(lineage={}, synced={}, applied={})
    return cast("SyncState", state)


def remember(lineage: dict[str, list[str]], entry_id: str, token: str) -> None:
    """Record that this version of the entry has been exchanged (sent, received or backed up)."""
    known = lineage.get(entry_id, [])
    if token not in known:
        lineage[entry_id] = [*known, token][-MAX_LINEAGE:]


def _device(vault: Vault) -> Device:
    found = vault.document(*DEVICE)
    if not (isinstance(found, dict) and re.fullmatch(r"[0-9a-f]{32}", str(found.get("id", "")))):
        device = Device(id=secrets.token_hex(16), seq=0)
        vault.put_document(*DEVICE, as_document(device))
        return device
    if not isinstance(found.get("seq"), int):
        found["seq"] = 0
    return cast("Device", found)


# -- the folder --------------------------------------------------------------------------------------


def _changes_folder(folder: Path, vault_folder: Path) -> Path:
    folder = folder.expanduser().absolute()
    if not folder.is_dir():
        raise InvalidInput(messages.sync_folder_missing(folder))
    real, live = folder.resolve(), vault_folder.resolve()
    if real == live or live.is_relative_to(real) or real.is_relative_to(live):
        raise InvalidInput(messages.sync_folder_holds_vault(folder))
    target = folder / SUBFOLDER
    try:
        target.mkdir(exist_ok=True)
    except OSError as exc:
        raise InvalidInput(messages.sync_folder_unwritable(folder, exc.strerror or str(exc))) from None
    return target


def _read_change_file(path: Path, key: bytes, device: str, seq: int) -> tuple[list[Incoming], str]:
    try:
        with path.open("rb") as handle:
            header = chunked.read_header(handle)
            if header.purpose != "sync":
                raise _Skip("not a change file")
            sealer = chunked.open_file(header, key=key)
            parts: list[bytes] = []
            size = 0
            for chunk in chunked.read_chunks(handle, header, sealer):
                size += len(chunk)
                if size > MAX_CHANGE_FILE:
                    raise _Skip("too large to be a change file")
                parts.append(chunk)
    except chunked.Truncated:
        raise _Skip("incomplete: cut short, or still being copied by the sync tool") from None
    except chunked.WrongKey:
        raise _Skip("written by another journal (a different key), not by a copy of this one") from None
    except chunked.Tampered as exc:
        raise _Skip(f"damaged: it failed its integrity check ({exc})") from None
    except chunked.NotChunkedFile as exc:
        raise _Skip(f"not a change file ({exc})") from None
    except OSError as exc:
        raise _Skip(f"could not be read ({exc.strerror or exc})") from None
    try:
        data = load_json(b"".join(parts))
        if not isinstance(data, dict) or set(data) != {"format", "device", "seq", "entries", "deletions"}:
            raise InvalidInput("unexpected fields")
        if data["format"] != FORMAT:
            raise InvalidInput(f"format {str(data['format'])[:10]} is not one this release reads")
        if data["device"] != device or data["seq"] != seq:
            raise InvalidInput("its name does not match its content")
        if not isinstance(data["entries"], list) or not isinstance(data["deletions"], list):
            raise InvalidInput("unexpected fields")
        records = [Incoming(entry_from_dict(r, _SEEN), _seen(r)) for r in data["entries"]]
        records += [Incoming(tombstone_from_dict(r, _SEEN), _seen(r)) for r in data["deletions"]]
    except (ValueError, InvalidInput) as exc:  # JSON and UTF-8 errors are ValueErrors
        detail = exc.message if isinstance(exc, PurposeError) else "not JSON"
        raise _Skip(f"unreadable content ({detail[:100]})") from None
    return records, header.file_id.hex()


def _seen(record: JsonValue) -> frozenset[str]:
    seen = record.get("seen") if isinstance(record, dict) else None
    tokens = [t for t in seen if isinstance(t, str)] if isinstance(seen, list) else []
    if not isinstance(seen, list) or len(seen) > 4 * MAX_LINEAGE or len(tokens) != len(seen):
        raise InvalidInput("a record has no lineage")
    return frozenset(t[:40] for t in tokens)


def _write_change_file(target: Path, name: str, key: bytes, payload: bytes) -> str:
    """Written under a hidden temporary name (readers ignore it) and renamed: the new file's id."""
    file_ids: list[bytes] = []

    def write(handle: BinaryIO) -> None:
        writer = chunked.ChunkWriter(handle, purpose="sync", key=key)
        writer.write(payload)
        writer.finish()
        file_ids.append(writer.file_id)

    def failure(reason: str) -> InvalidInput:
        return InvalidInput(messages.sync_folder_unwritable(target, reason))

    write_private(target / name, write, failure=failure)
    return file_ids[0].hex()


# -- one sync ----------------------------------------------------------------------------------------


def sync(vault: Vault, folder: Path) -> SyncReport:
    """Read the other devices' change files, merge them, write this device's changes. Never raises
    for a bad change file (it is skipped and reported); the vault changes in whole transactions."""
    target = _changes_folder(folder, vault.folder)
    device = _device(vault)
    report = SyncReport(device=device["id"], folder=target)
    for leftover in target.glob(f".{device['id']}-*.partial"):  # from a crash mid-write
        leftover.unlink(missing_ok=True)
    key = vault.subkey("sync")
    state = load_state(vault)
    applied = state["applied"]

    incoming: list[Incoming] = []
    for path in sorted(target.iterdir()):
        match = _NAME.match(path.name)
        if match is None or path.name in applied or not path.is_file():
            continue
        try:
            records, file_id = _read_change_file(path, key, match.group(1), int(match.group(2)))
        except _Skip as skip:
            report.skipped.append(Skipped(path.name, skip.reason))
            continue
        incoming += records
        report.received.append(path.name)
        applied[path.name] = file_id
    if report.received:
        report.outcome = vault.merge(
            incoming, lineage=state["lineage"], documents={STATE: as_document(state)}
        )

    tokens = vault.tokens()
    current: dict[str, tuple[Entry | Tombstone, str]] = {}
    for entry_id, revision in vault.tombstones().items():
        tombstone = Tombstone(entry_id, revision)
        current[entry_id] = (tombstone, tokens.token(tombstone))
    for entry in vault.entries(with_bodies=True):
        current[entry.id] = (entry, tokens.token(entry))  # present wins over an old tombstone
    synced = state["synced"]
    for record in incoming:  # what came from the folder need not go back to it
        here = current.get(record.version.id)
        token = tokens.token(record.version)
        if here is not None and here[1] == token:
            synced[record.version.id] = token
    _send(vault, target, key, device, state, current, report)
    if report.received and not report.sent:
        vault.put_document(*STATE, as_document(state))
    return report


def _send(
    vault: Vault,
    target: Path,
    key: bytes,
    device: Device,
    state: SyncState,
    current: dict[str, tuple[Entry | Tombstone, str]],
    report: SyncReport,
) -> None:
    """Write one change file with every version that has not been through the folder yet."""
    lineage, synced = state["lineage"], state["synced"]
    entries: list[JsonObject] = []
    deletions: list[JsonObject] = []
    for entry_id, (version, token) in sorted(current.items()):
        if synced.get(entry_id) == token:
            continue
        seen: list[JsonValue] = [*(t for t in lineage.get(entry_id, []) if t != token), token]
        seen = seen[-MAX_LINEAGE:]
        if isinstance(version, Entry):
            entries.append({**entry_to_dict(version), "seen": seen})
        else:
            deletions.append({**tombstone_to_dict(version), "seen": seen})
    if not entries and not deletions:
        return
    seq = device["seq"] + 1
    name = f"{device['id']}-{seq:06d}-{secrets.token_hex(4)}.changes"
    payload: JsonObject = {
        "format": FORMAT,
        "device": device["id"],
        "seq": seq,
        "entries": list[JsonValue](entries),
        "deletions": list[JsonValue](deletions),
    }
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    file_id = _write_change_file(target, name, key, raw)
    for record in (*entries, *deletions):
        entry_id = str(record["id"])
        token = current[entry_id][1]
        remember(lineage, entry_id, token)
        synced[entry_id] = token
    state["applied"][name] = file_id  # our own file: never read back
    vault.put_documents({STATE: as_document(state), DEVICE: {**as_document(device), "seq": seq}})
    report.sent, report.sent_entries, report.sent_deletions = name, len(entries), len(deletions)
