"""The sync documents of a vault (this device's identity, what it has exchanged) and sync's names."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict, cast

from purpose_app.domain.json_value import JsonObject, JsonValue
from purpose_app.domain.merge import MAX_LINEAGE
from purpose_app.services.vault import Vault

KIND = "sync"
DEVICE = (KIND, "device")
STATE = (KIND, "state")
SUBFOLDER = "purpose-sync"
FORMAT = 2  # 2: with documents; format 1 files (entries and deletions only) are still read
SILENT_DAYS = 90  # a device not heard from for this long no longer holds pruning back
_STATE_KEYS = ("lineage", "synced", "applied")
SHARD = "entries-"  # ("sync", "entries-<2 hex>"): the lineage and synced of the ids starting so
GROUP = 2  # hex characters of an entry id that name its shard (256 shards)


class SyncState(TypedDict):
    """The ("sync", "state") document."""

    lineage: dict[str, list[str]]  # entry id -> tokens of its versions exchanged, oldest first
    synced: dict[str, str]  # entry id -> token of the version last through the folder
    applied: dict[str, str]  # change file name -> its file id
    # document member key -> [counter, device, digest or None (removed), 1 if through the folder]
    docs: NotRequired[dict[str, list[JsonValue]]]
    clock: NotRequired[int]  # the highest document counter seen (Lamport)
    scan: NotRequired[dict[str, str]]  # group of entry ids -> digest of their row stamps (sync_scan.py)


@dataclass
class Shards:
    """What the shards read hold as stored: their entries' lineages and synced tokens, their names."""

    lineage: dict[str, list[str]] = field(default_factory=dict)
    synced: dict[str, str] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    loaded: set[str] = field(default_factory=set)  # the groups read
    all: bool = False  # every group read


class Device(TypedDict):
    """The ("sync", "device") document: this device's own, never in a backup."""

    id: str
    seq: int
    last: NotRequired[str]  # when this device last synced (ISO): to notice a long silence
    files: NotRequired[dict[str, int]]  # its change files in the folder -> records in each


def as_document(data: SyncState | Device) -> JsonObject:
    """The same dict, as the document it is stored as (the same object, not a copy: a merge that
    updates the lineage in place stores the updated one)."""
    return cast("JsonObject", data)


def load_state(vault: Vault) -> SyncState:
    """The sync state, with its expected shape (a damaged or odd one starts afresh, which is safe:
    files are read again and merging them again changes nothing)."""
    return load(vault)[0]


def load(vault: Vault, groups: Collection[str] | None = None) -> tuple[SyncState, Shards]:
    """The sync state with the entries of these groups (None: all), and what their shards hold:
    what save() compares with, to write only the shards that changed. more() reads other groups."""
    state = vault.document(*STATE)
    shards = Shards()
    if not (isinstance(state, dict) and all(isinstance(state.get(k), dict) for k in _STATE_KEYS)):
        _take_all(vault, shards)  # as stored, so that save() empties them all: a fresh start
        return SyncState(lineage={}, synced={}, applied={}, docs={}, clock=0), shards
    if not isinstance(state.get("docs"), dict):
        state["docs"] = {}
    if not isinstance(state.get("clock"), int) or isinstance(state.get("clock"), bool):
        state["clock"] = 0
    whole = cast("SyncState", state)
    if groups is None or whole["lineage"] or whole["synced"]:
        _take_all(vault, shards)  # entries kept the older way, or by a backup, join every shard
    else:
        for group in groups:
            _take(shards, SHARD + group, vault.document(KIND, SHARD + group))
            shards.loaded.add(group)
    _gather(whole, shards)
    return whole, shards


def _take_all(vault: Vault, shards: Shards) -> None:
    shards.all = True
    for name, data in vault.documents(KIND).items():
        if name.startswith(SHARD):
            _take(shards, name, data)


def more(vault: Vault, state: SyncState, shards: Shards, groups: Collection[str]) -> None:
    """Read the entries of these groups into the state too (before any of them is looked at)."""
    if shards.all:
        return
    for group in sorted(set(groups) - shards.loaded):
        shards.loaded.add(group)
        part = Shards()
        _take(part, SHARD + group, vault.document(KIND, SHARD + group))
        shards.names |= part.names
        shards.lineage.update(part.lineage)
        shards.synced.update(part.synced)
        state["lineage"].update((i, list(t)) for i, t in part.lineage.items())
        state["synced"].update(part.synced)


def _take(shards: Shards, name: str, data: JsonValue) -> None:
    if not isinstance(data, dict):
        return
    shards.names.add(name)
    part_lineage, part_synced = data.get("lineage"), data.get("synced")
    if isinstance(part_lineage, dict) and isinstance(part_synced, dict):
        found = cast("dict[str, list[str]]", part_lineage)  # tokens are strings: sync wrote them
        shards.lineage.update((i, t) for i, t in found.items() if isinstance(t, list))
        shards.synced.update((i, t) for i, t in part_synced.items() if isinstance(t, str))


def _gather(state: SyncState, shards: Shards) -> None:
    """Put the shards' entries into the state (copies: save() compares the two). A state document
    may hold entries too: one written before shards, or by a backup (which adds its versions to the
    lineages): both count."""
    older_lineage, older_synced = state["lineage"], state["synced"]
    lineage = {i: list(t) for i, t in shards.lineage.items()}
    synced = dict(shards.synced)
    for entry_id, tokens in older_lineage.items():
        known = lineage.get(entry_id)
        if known is None:
            lineage[entry_id] = list(tokens)
        elif not set(tokens) <= set(known):
            lineage[entry_id] = [*(t for t in tokens if t not in known), *known][-MAX_LINEAGE:]
    for entry_id, token in older_synced.items():
        synced.setdefault(entry_id, token)
    state["lineage"], state["synced"] = lineage, synced


def save(state: SyncState, shards: Shards) -> dict[tuple[str, str], JsonValue]:
    """The documents to store for this state: the state without its entries, and the shards whose
    entries changed since read (a sync of one entry writes one shard, not the whole state). `shards`
    becomes what is stored: call it when the state is about to be stored."""
    lineage, synced = state["lineage"], state["synced"]
    was_lineage, was_synced = shards.lineage, shards.synced
    dirty = {i[:GROUP] for i, t in lineage.items() if was_lineage.get(i) != t}
    dirty.update(i[:GROUP] for i, t in synced.items() if was_synced.get(i) != t)
    dirty.update(i[:GROUP] for i in was_lineage.keys() - lineage.keys())
    dirty.update(i[:GROUP] for i in was_synced.keys() - synced.keys())
    found: dict[tuple[str, str], JsonValue] = {STATE: {**as_document(state), "lineage": {}, "synced": {}}}
    if not dirty:
        return found
    # An entry of a group not read would overwrite its shard without the others in it: a bug.
    assert shards.all or dirty <= shards.loaded, sorted(dirty - shards.loaded)
    parts: dict[str, tuple[dict[str, JsonValue], dict[str, JsonValue]]] = {g: ({}, {}) for g in dirty}
    for entry_id, tokens in lineage.items():
        if (part := parts.get(entry_id[:GROUP])) is not None:
            part[0][entry_id] = list[JsonValue](tokens)
            was_lineage[entry_id] = list(tokens)
    for entry_id, token in synced.items():
        if (part := parts.get(entry_id[:GROUP])) is not None:
            part[1][entry_id] = token
            was_synced[entry_id] = token
    for gone in [i for i in was_lineage.keys() - lineage.keys()]:
        del was_lineage[gone]
    for gone in [i for i in was_synced.keys() - synced.keys()]:
        del was_synced[gone]
    for group in sorted(dirty):
        found[(KIND, SHARD + group)] = {"lineage": parts[group][0], "synced": parts[group][1]}
        shards.names.add(SHARD + group)
    return found


class Saving(Mapping[tuple[str, str], JsonValue]):
    """save(), worked out when first looked at: a merge stores it after learning the lineages."""

    def __init__(self, state: SyncState, shards: Shards) -> None:
        self._state, self._shards = state, shards
        self._found: dict[tuple[str, str], JsonValue] | None = None

    def _documents(self) -> dict[tuple[str, str], JsonValue]:
        if self._found is None:
            self._found = save(self._state, self._shards)
        return self._found

    def __getitem__(self, key: tuple[str, str]) -> JsonValue:
        return self._documents()[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._documents())

    def __len__(self) -> int:
        return len(self._documents())


def remember(lineage: dict[str, list[str]], entry_id: str, token: str) -> None:
    """Record that this version of the entry has been exchanged (sent, received or backed up)."""
    known = lineage.get(entry_id, [])
    if token not in known:
        lineage[entry_id] = [*known, token][-MAX_LINEAGE:]


def device(vault: Vault) -> Device:
    """This device's identity, made on its first sync."""
    found = vault.document(*DEVICE)
    if not (isinstance(found, dict) and re.fullmatch(r"[0-9a-f]{32}", str(found.get("id", "")))):
        made = Device(id=secrets.token_hex(16), seq=0)
        vault.put_document(*DEVICE, as_document(made))
        return made
    if not isinstance(found.get("seq"), int):
        found["seq"] = 0
    return cast("Device", found)
