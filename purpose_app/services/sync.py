"""Sync between devices through a folder that another tool keeps in step (Syncthing, Dropbox, ...).

The live database never goes there. Each device writes its own encrypted change files into
DIR/purpose-sync/ and reads the other devices' ones:

    DIR/purpose-sync/<device id>-<sequence>-<random>.changes     (sync_files.py: the format)
    DIR/purpose-sync/<device id>.ack                            (sync_prune.py: what it applied)

A change file is sealed with the vault's sync subkey (HKDF of the data key), so only a vault with the
same data key (joined, or restored from a backup of this one) can read it. It carries entries and
deletions, each with "seen", the sender's lineage of that entry (domain/merge.py says how lineages
decide), and the members of every document that travels, each with its clock
(domain/document_merge.py: the rule of each kind, and the kinds that stay on their device).

A sync: (1) notice the documents changed here since the last sync; (2) read every change file not
applied yet; one that is cut short, still being copied, damaged or from another vault is skipped
with a reason and tried again next time, and a sync tool's conflict copy is read as the file it
copies, so nothing is applied twice; (3) merge the documents read (one transaction with the
document clocks), then the entries (one transaction with the lineages and the files applied: a crash
between the two only means the files are read again, which changes nothing); (4) write one change
file with every version not yet through the folder; (5) acknowledge what was applied, and compact
this device's own files that every device heard from has applied. A crash during (4) leaves a
temporary file no reader looks at, or a file sent twice (harmless: merging a version again changes
nothing).

Vault documents: ("sync", "device") {"id", "seq", "last", "files"} belongs to this device and is never
in a backup; ("sync", "state") {"applied": {file name: file id}, "docs": {member: clock}, "clock",
"scan": {group: digest}} with ("sync", "entries-<2 hex>") {"lineage": {entry id: [tokens]}, "synced":
{entry id: token of the version last through the folder}} (sync_state.py) are in backups, so a device
restored from one does not re-read what the backup holds. A backup adds its versions to the lineages
(whoever restores it has them) but not to "synced": they still go out to devices that joined earlier.
Only entries changed since the last sync are read (sync_scan.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from purpose_app import messages
from purpose_app.domain import clock
from purpose_app.domain.entry import Entry
from purpose_app.domain.json_value import JsonValue
from purpose_app.domain.merge import MAX_LINEAGE, Incoming, MergeOutcome, Tombstone
from purpose_app.interchange.entry_codec import entry_to_dict, tombstone_to_dict
from purpose_app.services import sync_documents as documents
from purpose_app.services.join_record import ensure_join_record
from purpose_app.services.sync_files import (
    MAX_CHANGE_FILE,
    DocumentRecord,
    Skip,
    changes_folder,
    original_name,
    payload,
    read_change_file,
    write_sealed,
)
from purpose_app.services.sync_prune import compact, read_acks, silent_since, write_ack
from purpose_app.services.sync_scan import TokensHere, look
from purpose_app.services.sync_state import (
    DEVICE,
    FORMAT,
    GROUP,
    KIND,
    SILENT_DAYS,
    STATE,
    SUBFOLDER,
    Device,
    Saving,
    Shards,
    SyncState,
    as_document,
    load,
    load_state,
    more,
    remember,
    save,
)
from purpose_app.services.sync_state import device as this_device
from purpose_app.services.vault import Vault

__all__ = [
    "DEVICE", "FORMAT", "KIND", "MAX_CHANGE_FILE", "SILENT_DAYS", "STATE", "SUBFOLDER", "Device",
    "Skipped", "SyncReport", "SyncState", "as_document", "load_state", "remember", "sync",
]  # fmt: skip

Current = dict[str, tuple[Entry | Tombstone, str]]  # entries and deletions that may need sending


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
    sent_documents: int = 0  # document members (a favorite, a version of my why, a setting...)
    received: list[str] = field(default_factory=list)
    received_documents: int = 0  # document members that changed here
    outcome: MergeOutcome = field(default_factory=MergeOutcome)
    skipped: list[Skipped] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)  # other devices heard from in the last 90 days
    silent: list[str] = field(default_factory=list)  # devices not heard from for 90 days or more
    pruned: list[str] = field(default_factory=list)  # this device's change files compacted away
    rejoin: str | None = None  # set when this device itself was silent: it should join again


def sync(vault: Vault, folder: Path, *, now: datetime | None = None) -> SyncReport:
    """Read the other devices' change files, merge them, write this device's changes, acknowledge
    and compact. Never raises for a bad change file (it is skipped and reported); the vault changes
    in whole transactions."""
    target = changes_folder(folder, vault.folder)
    device = this_device(vault)
    now = now or clock.now()
    report = SyncReport(device=device["id"], folder=target)
    for leftover in target.glob(f".{device['id']}-*.partial"):  # from a crash mid-write
        leftover.unlink(missing_ok=True)
    if silent_since(device.get("last"), now):
        report.rejoin = messages.sync_rejoin(SILENT_DAYS)
    key = vault.subkey("sync")
    state, shards = load(vault, groups=())  # the entries' parts are read as they are needed
    incoming, records, newly = _read(target, key, state, report)
    more(vault, state, shards, {record.version.id[:GROUP] for record in incoming})
    # Read, merge and write the documents as one step: the app syncs on a worker thread, and a
    # favorite or a version of "my why" saved between the read and the write would be overwritten.
    with vault.exclusive():
        members = documents.local_members(vault)
        documents.notice_local_changes(state, members, device["id"])
        changes = documents.merge_records(state, members, records)
        report.received_documents = changes.received
        if changes.any:  # before the files count as applied: a crash here means reading them again
            documents.apply(vault, changes, save(state, shards))
    state["applied"].update(newly)
    if newly:
        report.outcome = vault.merge(incoming, lineage=state["lineage"], documents=Saving(state, shards))

    tokens = vault.tokens()
    here = look(vault, state, report.outcome.written, tokens)  # only what changed since the last sync
    more(vault, state, shards, {entry_id[:GROUP] for entry_id in here.versions})
    synced = state["synced"]
    for record in incoming:  # what came from the folder need not go back to it
        found = here.versions.get(record.version.id)
        if found is not None and (found[0] is record.version or found[1] == tokens.token(record.version)):
            synced[record.version.id] = found[1]
    _send(vault, target, key, device, state, here.versions, report)
    rescanned = state.get("scan") != here.groups
    state["scan"] = here.groups  # every entry of every group is now through the folder
    current = TokensHere(vault, here, tokens)
    _tidy(vault, target, key, device, (state, shards), current, report, now, rescanned)
    ensure_join_record(vault, folder)  # a new device joins with it and the passphrase (sync_join.py)
    return report


def _read(target: Path, key: bytes, state: SyncState,
          report: SyncReport) -> tuple[list[Incoming], list[DocumentRecord], dict[str, str]]:  # fmt: skip
    applied = state["applied"]
    known = set(applied.values())
    incoming: list[Incoming] = []
    records: list[DocumentRecord] = []
    newly: dict[str, str] = {}
    for path in sorted(target.iterdir()):
        original = original_name(path.name)
        if original is None or path.name in applied or not path.is_file():
            continue  # a sync tool's temporary file, an acknowledgement, or a file applied already
        try:
            found = read_change_file(path, key, original)
        except Skip as skip:
            report.skipped.append(Skipped(path.name, skip.reason))
            continue
        newly[path.name] = found.file_id
        if found.file_id in known:
            continue  # a conflict copy of a file applied already: the same bytes, noted only
        known.add(found.file_id)
        incoming += found.entries
        records += found.documents
        report.received.append(path.name)
    return incoming, records, newly


def _send(vault: Vault, target: Path, key: bytes, device: Device, state: SyncState, current: Current,
          report: SyncReport) -> None:  # fmt: skip
    """Write one change file with every version that has not been through the folder yet. What was
    sent is recorded by _tidy's store (one write of the large state; a crash before it only means
    these versions are sent again, which changes nothing)."""
    lineage, synced = state["lineage"], state["synced"]
    entries: list[JsonValue] = []
    deletions: list[JsonValue] = []
    for entry_id, (version, token) in sorted(current.items()):
        if synced.get(entry_id) == token:
            continue
        seen: list[JsonValue] = [*(t for t in lineage.get(entry_id, []) if t != token), token]
        seen = seen[-MAX_LINEAGE:]
        if isinstance(version, Entry):
            entries.append({**entry_to_dict(version), "seen": seen})
        else:
            deletions.append({**tombstone_to_dict(version), "seen": seen})
    docs = documents.unsent(state, documents.local_members(vault))
    if not entries and not deletions and not docs:
        return
    seq = device["seq"] + 1
    name = f"{device['id']}-{seq:06d}-{secrets.token_hex(4)}.changes"
    file_id = write_sealed(target, name, key, payload(device["id"], seq, entries, deletions, docs))
    for record in (*entries, *deletions):
        assert isinstance(record, dict)
        entry_id = str(record["id"])
        token = current[entry_id][1]
        remember(lineage, entry_id, token)
        synced[entry_id] = token
    documents.mark_sent(state, docs)
    state["applied"][name] = file_id  # our own file: never read back
    device["seq"] = seq
    device.setdefault("files", {})[name] = len(entries) + len(deletions) + len(docs)
    report.sent, report.sent_entries, report.sent_deletions = name, len(entries), len(deletions)
    report.sent_documents = len(docs)


def _tidy(vault: Vault, target: Path, key: bytes, device: Device, loaded: tuple[SyncState, Shards],
          current: TokensHere, report: SyncReport, now: datetime, rescanned: bool) -> None:  # fmt: skip
    """Acknowledge what was applied, compact this device's files, and forget files that are gone."""
    state, shards = loaded
    present = {p.name for p in target.iterdir()}
    applied = state["applied"]
    forgotten = [name for name in applied if name not in present]
    for name in forgotten:
        del applied[name]
    peers = read_acks(target, key, device["id"], now)
    report.devices, report.silent = sorted(peers.heard), sorted(peers.silent)
    write_ack(target, key, device["id"], set(applied), now)
    counts = device.setdefault("files", {})
    done = compact(target, key, device["id"], device["seq"], counts, state, current, vault.tokens(), peers,
                   current.load)  # fmt: skip
    if done is not None:
        report.pruned = done.removed
        for name in done.removed:
            applied.pop(name, None)
            counts.pop(name, None)
        if done.written:
            device["seq"] += 1
            applied[done.written] = done.file_id
            counts[done.written] = done.records
    for name in list(counts):
        if name not in present and name not in applied:
            del counts[name]
    last = device.get("last")
    documents = save(state, shards)  # more than the head: entries moved since read (or kept the old way)
    changed = report.sent or report.received or report.received_documents or forgotten or done or rescanned
    if changed or len(documents) > 1 or not isinstance(last, str) or last[:10] != now.isoformat()[:10]:
        device["last"] = now.isoformat()
        vault.put_documents({**documents, DEVICE: as_document(device)})
