"""Keeping the sync folder small: each device says what it has applied, and writers compact.

Each device keeps one acknowledgement in the folder, DIR/purpose-sync/<device id>.ack (sealed like a
change file): {"ack": 1, "device", "time" (its last sync, ISO), "applied": [change files it has
applied that are still there]}. A device whose acknowledgement is older than 90 days is silent: it
no longer holds pruning back (and is told to join again when it returns).

A writer compacts its own change files once every other device heard from has applied them: the
versions still current (the latest of each entry, deletion or document member) go into one new
file, and the old ones (and the sync tool's conflict copies of them) are removed. Nothing current is
ever dropped, so a device that was slow, or joins later, still finds everything. Its first, largest
file (a whole journal) is rewritten only when most of it is out of date, so a sync stays quick.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from purpose_app.domain.json_value import JsonObject, JsonValue
from purpose_app.domain.merge import Tokens
from purpose_app.interchange.entry_codec import load_json
from purpose_app.services.sync_documents import live
from purpose_app.services.sync_files import (
    NAME,
    ChangeFile,
    Skip,
    original_name,
    payload,
    read_change_file,
    read_sealed,
    write_sealed,
)
from purpose_app.services.sync_state import SILENT_DAYS, SyncState

ACK = re.compile(r"^([0-9a-f]{32})\.ack$")
Current = Mapping[str, str]  # entry id -> token of its version here (an entry or a deletion)


@dataclass
class Peers:
    heard: dict[str, set[str]] = field(default_factory=dict)  # device -> files it applied (<90 days)
    silent: list[str] = field(default_factory=list)


def _when(text: JsonValue) -> datetime | None:
    try:
        found = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return found if found.tzinfo is not None else None


def silent_since(last: JsonValue, now: datetime) -> bool:
    when = _when(last) if last is not None else None
    return when is not None and now - when > timedelta(days=SILENT_DAYS)


def _read_ack(path: Path, key: bytes) -> JsonObject | None:
    try:
        raw, _file_id = read_sealed(path, key)
        data = load_json(raw)
    except (Skip, ValueError):
        return None  # half-copied, damaged or another journal's: that device is simply not heard
    ok = isinstance(data, dict) and set(data) == {"ack", "device", "time", "applied"}
    if not ok or not isinstance(data, dict) or not isinstance(data["applied"], list):
        return None
    return data


def read_acks(target: Path, key: bytes, me: str, now: datetime) -> Peers:
    peers = Peers()
    for path in sorted(target.glob("*.ack")):
        match = ACK.match(path.name)
        if match is None or match.group(1) == me:
            continue
        data = _read_ack(path, key)
        if data is None or data["device"] != match.group(1) or _when(data["time"]) is None:
            continue
        applied = data["applied"]
        assert isinstance(applied, list)
        if silent_since(data["time"], now):
            peers.silent.append(match.group(1))
        else:
            peers.heard[match.group(1)] = {str(name) for name in applied}
    return peers


def write_ack(target: Path, key: bytes, me: str, applied: set[str], now: datetime) -> None:
    """This device's acknowledgement, rewritten when what it applied changed or on a new day."""
    path = target / f"{me}.ack"
    before = _read_ack(path, key) if path.exists() else None
    previous = before["applied"] if before is not None else None
    if before is not None and isinstance(previous, list) and {str(n) for n in previous} == applied:
        when = _when(before["time"])
        if when is not None and when.date() == now.date():
            return
    names: list[JsonValue] = [*sorted(applied)]
    body: JsonObject = {"ack": 1, "device": me, "time": now.isoformat(), "applied": names}
    write_sealed(target, path.name, key, json.dumps(body, separators=(",", ":")).encode())


@dataclass
class Compacted:
    removed: list[str]
    written: str | None = None
    file_id: str = ""
    records: int = 0


def compact(target: Path, key: bytes, me: str, seq: int, counts: dict[str, int], state: SyncState,
            current: Current, tokens: Tokens, peers: Peers,
            load: Callable[[set[str]], None] = lambda _ids: None) -> Compacted | None:  # fmt: skip
    """Rewrite this device's change files that every device heard from has applied (see above)."""
    own = [p for p in target.iterdir() if (m := NAME.match(p.name)) and m.group(1) == me and p.is_file()]
    acked = [p for p in own if all(p.name in applied for applied in peers.heard.values())]
    if len(acked) < 2:
        return None
    sizes = {p: p.stat().st_size for p in acked}
    largest = max(acked, key=lambda p: sizes[p])
    rest = sum(size for p, size in sizes.items() if p != largest)
    alive = len(current) + len(state.get("docs", {}))
    if sizes[largest] > rest and counts.get(largest.name, 0) <= 2 * alive:
        acked.remove(largest)  # the whole journal, still mostly current: not worth rewriting
    if len(acked) < 2:
        return None
    files: list[tuple[Path, ChangeFile]] = []
    for path in sorted(acked):
        try:
            files.append((path, read_change_file(path, key, path.name)))
        except Skip:
            continue  # left as it is; its reader skips it too
    if len(files) < 2:
        return None
    load({incoming.version.id for _path, found in files for incoming in found.entries})  # one pass
    entries: dict[str, JsonValue] = {}
    deletions: dict[str, JsonValue] = {}
    documents: dict[str, JsonValue] = {}
    for _path, found in files:
        count = len(found.raw_entries)
        raws = [*found.raw_entries, *found.raw_deletions]
        for index, (incoming, raw) in enumerate(zip(found.entries, raws, strict=True)):
            version = incoming.version
            if current.get(version.id) == tokens.token(version):
                (entries if index < count else deletions).setdefault(version.id, raw)
        for record in found.documents:
            if live(state, record):
                item: JsonObject = {"k": [record.kind, record.name, record.member], "c": list(record.clock)}
                if not record.removed:
                    item["v"] = record.value
                documents.setdefault(record.key(), item)
    result = Compacted(removed=[path.name for path, _ in files])
    if entries or deletions or documents:
        result.written = f"{me}-{seq + 1:06d}-{secrets.token_hex(4)}.changes"
        body = payload(me, seq + 1, [*entries.values()], [*deletions.values()], [*documents.values()])
        result.file_id = write_sealed(target, result.written, key, body)
        result.records = len(entries) + len(deletions) + len(documents)
    gone = set(result.removed)
    for path in target.iterdir():  # the old files, and the copies a sync tool made of them
        if path.name in gone or (original_name(path.name) in gone):
            path.unlink(missing_ok=True)
    return result
