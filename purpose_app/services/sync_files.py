"""The files of the sync folder: change files read and written, and what sync tools leave beside them.

A change file (sealed with the vault's sync subkey) holds JSON:
    {"format": 2, "device", "seq", "entries": [entry + "seen"], "deletions": [id, revision, "seen"],
     "documents": [{"k": [kind, name, member], "c": [counter, device], "v": value (absent: removed)}]}
Format 1 files (no "documents") are still read.

Sync tools leave files of their own: half-copied temporaries (".syncthing.NAME.tmp", "~syncthing~NAME.tmp")
never match a change file's name and are not looked at; conflict copies
("NAME.sync-conflict-DATE-TIME-DEVICE.changes", "NAME (... conflicted copy ...).changes",
"NAME_conflict-DATE-TIME.changes") are read as the file they copy, and a copy whose file id was
applied already is only noted, so nothing is applied twice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from purpose_app import messages
from purpose_app.crypto import chunked
from purpose_app.domain.document_merge import travels
from purpose_app.domain.json_value import JsonObject, JsonValue
from purpose_app.domain.merge import MAX_LINEAGE, Incoming
from purpose_app.errors import InvalidInput, PurposeError
from purpose_app.interchange.entry_codec import entry_from_dict, load_json, tombstone_from_dict
from purpose_app.services.private_file import write_private
from purpose_app.services.sync_state import FORMAT, SUBFOLDER

MAX_CHANGE_FILE = 512 * 1024 * 1024  # a first sync of a 50,000-entry journal is about 100 MB
NAME = re.compile(r"^([0-9a-f]{32})-(\d{6,})-([0-9a-f]{8})\.changes$")
_CONFLICT = re.compile(
    r"^(?P<stem>[0-9a-f]{32}-\d{6,}-[0-9a-f]{8})"
    r"(?:\.sync-conflict-\d{8}-\d{6}-[0-9A-Za-z]{7}|\s\([^()]*conflicted copy[^()]*\)|_conflict-\d{8}-\d{6})"
    r"\.changes$",
    re.IGNORECASE,
)
_SEEN = frozenset({"seen"})
_DEVICE = re.compile(r"[0-9a-f]{32}")
_KEYS_1 = {"format", "device", "seq", "entries", "deletions"}


class Skip(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DocumentRecord:
    kind: str
    name: str
    member: str
    clock: tuple[int, str]
    value: JsonValue
    removed: bool

    def key(self) -> str:
        return member_key(self.kind, self.name, self.member)


@dataclass
class ChangeFile:
    device: str
    seq: int
    file_id: str
    entries: list[Incoming]
    raw_entries: list[JsonValue]  # as read: what compaction writes again
    raw_deletions: list[JsonValue]
    documents: list[DocumentRecord]


def member_key(kind: str, name: str, member: str) -> str:
    return json.dumps([kind, name, member], ensure_ascii=False, separators=(",", ":"))


def original_name(name: str) -> str | None:
    """The change file a sync tool's file stands for: itself, the one a conflict copy copies, or None."""
    if NAME.match(name):
        return name
    found = _CONFLICT.match(name)
    return f"{found.group('stem')}.changes" if found else None


def changes_folder(folder: Path, vault_folder: Path) -> Path:
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


def read_sealed(path: Path, key: bytes) -> tuple[bytes, str]:
    """The plaintext of a sealed sync file and its file id; raises Skip with a reason."""
    try:
        with path.open("rb") as handle:
            header = chunked.read_header(handle)
            if header.purpose != "sync":
                raise Skip("not a change file")
            sealer = chunked.open_file(header, key=key)
            parts: list[bytes] = []
            size = 0
            for chunk in chunked.read_chunks(handle, header, sealer):
                size += len(chunk)
                if size > MAX_CHANGE_FILE:
                    raise Skip("too large to be a change file")
                parts.append(chunk)
    except chunked.Truncated:
        raise Skip("incomplete: cut short, or still being copied by the sync tool") from None
    except chunked.WrongKey:
        raise Skip("written by another journal (a different key), not by a copy of this one") from None
    except chunked.Tampered as exc:
        raise Skip(f"damaged: it failed its integrity check ({exc})") from None
    except chunked.NotChunkedFile as exc:
        raise Skip(f"not a change file ({exc})") from None
    except OSError as exc:
        raise Skip(f"could not be read ({exc.strerror or exc})") from None
    return b"".join(parts), header.file_id.hex()


def read_change_file(path: Path, key: bytes, name: str) -> ChangeFile:
    """One change file, checked whole (`name`: the change file it is, for a conflict copy)."""
    match = NAME.match(name)
    assert match is not None
    device, seq = match.group(1), int(match.group(2))
    raw, file_id = read_sealed(path, key)
    try:
        data = load_json(raw)
        if (
            not isinstance(data, dict)
            or type(data.get("format")) is not int
            or data["format"] not in (1, FORMAT)
        ):
            fmt = data.get("format") if isinstance(data, dict) else None
            raise InvalidInput(f"format {str(fmt)[:10]} is not one this release reads")
        expected = _KEYS_1 | ({"documents"} if data["format"] == FORMAT else set())
        if set(data) != expected:
            raise InvalidInput("unexpected fields")
        if data["device"] != device or data["seq"] != seq:
            raise InvalidInput("its name does not match its content")
        entries, deletions = data["entries"], data["deletions"]
        if not isinstance(entries, list) or not isinstance(deletions, list):
            raise InvalidInput("unexpected fields")
        records = [Incoming(entry_from_dict(r, _SEEN), _seen(r), checked=True) for r in entries]
        records += [Incoming(tombstone_from_dict(r, _SEEN), _seen(r)) for r in deletions]
        documents = _documents(data.get("documents", []))
    except (ValueError, InvalidInput) as exc:  # JSON and UTF-8 errors are ValueErrors
        detail = exc.message if isinstance(exc, PurposeError) else "not JSON"
        raise Skip(f"unreadable content ({detail[:100]})") from None
    return ChangeFile(device, seq, file_id, records, entries, deletions, documents)


def _seen(record: JsonValue) -> frozenset[str]:
    seen = record.get("seen") if isinstance(record, dict) else None
    tokens = [t for t in seen if isinstance(t, str)] if isinstance(seen, list) else []
    if not isinstance(seen, list) or len(seen) > 4 * MAX_LINEAGE or len(tokens) != len(seen):
        raise InvalidInput("a record has no lineage")
    return frozenset(t[:40] for t in tokens)


def _documents(found: JsonValue) -> list[DocumentRecord]:
    if not isinstance(found, list):
        raise InvalidInput("unexpected fields")
    records: list[DocumentRecord] = []
    for item in found:
        if not isinstance(item, dict) or not set(item) <= {"k", "c", "v"} or not {"k", "c"} <= set(item):
            raise InvalidInput("a document record has unexpected fields")
        where, clock = item["k"], item["c"]
        if not (isinstance(where, list) and len(where) == 3 and all(isinstance(w, str) for w in where)):
            raise InvalidInput("a document record has no name")
        if not (isinstance(clock, list) and len(clock) == 2 and type(clock[0]) is int and clock[0] >= 1
                and isinstance(clock[1], str) and _DEVICE.fullmatch(clock[1])):  # fmt: skip
            raise InvalidInput("a document record has no clock")
        kind, name, member = (str(w) for w in where)
        if not travels(kind, name):
            continue  # a kind this device keeps to itself, or one a newer release made: left alone
        records.append(
            DocumentRecord(kind, name, member, (clock[0], str(clock[1])), item.get("v"), "v" not in item)
        )
    return records


def payload(device: str, seq: int, entries: list[JsonValue], deletions: list[JsonValue],
            documents: list[JsonValue]) -> bytes:  # fmt: skip
    body: JsonObject = {
        "format": FORMAT,
        "device": device,
        "seq": seq,
        "entries": entries,
        "deletions": deletions,
        "documents": documents,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_sealed(target: Path, name: str, key: bytes, raw: bytes) -> str:
    """Written under a hidden temporary name (readers ignore it) and renamed: the new file's id."""
    file_ids: list[bytes] = []

    def write(handle: BinaryIO) -> None:
        writer = chunked.ChunkWriter(handle, purpose="sync", key=key)
        writer.write(raw)
        writer.finish()
        file_ids.append(writer.file_id)

    def failure(reason: str) -> InvalidInput:
        return InvalidInput(messages.sync_folder_unwritable(target, reason))

    write_private(target / name, write, failure=failure)
    return file_ids[0].hex()
