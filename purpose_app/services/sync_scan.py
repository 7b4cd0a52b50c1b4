"""Which entries may have changed here since the last sync, found without decrypting the journal.

Every write of an entry's row gives it a new random stamp (storage/repository.py). Entries are put
in 256 groups by the first two characters of their id, and the sync state keeps, per group, a digest
of its rows' stamps (their count and sum) as they were when every entry in it had been through the
folder ("scan"). A group whose digest is the same has no entry changed since; only the entries of the other
groups are read whole and fingerprinted (about 200 per group at 50,000 entries). Deletions are
cheap (their token is their revision), so every one is looked at. A state without "scan" (a first
sync, one restored from a backup into another file, one started afresh) reads every entry once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from purpose_app.domain.entry import Entry
from purpose_app.domain.merge import Tokens, Tombstone, Version
from purpose_app.services.sync_state import GROUP, SyncState
from purpose_app.services.vault import Vault

_ONE_BY_ONE = 2000  # up to this many entries are read by id; more, in one pass over the journal


@dataclass
class Here:
    """The versions here that may differ from what last went through the folder."""

    versions: dict[str, tuple[Version, str]]  # id -> (version, its token)
    groups: dict[str, str]  # group -> digest of its rows' stamps now (their count and sum)
    count: int  # entries and deletions here


class TokensHere(Mapping[str, str]):
    """Id -> token of the version here, read on demand (compaction asks about the ids in its files).
    Its length is every entry and deletion here; iterating gives those known so far."""

    def __init__(self, vault: Vault, here: Here, tokens: Tokens) -> None:
        self._vault, self._here, self._tokens = vault, here, tokens
        self._known: dict[str, str | None] = {i: token for i, (_version, token) in here.versions.items()}

    def load(self, ids: set[str]) -> None:
        """Read these entries in one go (ids not here are remembered as such)."""
        missing = {i for i in ids if i not in self._known}
        self._known.update(dict.fromkeys(missing))
        for entry in _read(self._vault, missing):
            self._known[entry.id] = self._tokens.token(entry)

    def __getitem__(self, entry_id: str) -> str:
        self.load({entry_id})
        token = self._known[entry_id]
        if token is None:
            raise KeyError(entry_id)
        return token

    def __iter__(self) -> Iterator[str]:
        return (i for i, token in self._known.items() if token is not None)

    def __len__(self) -> int:
        return self._here.count


def _digest(count: int, total: int) -> str:
    """A group's rows as a count and a sum of stamps: a row written again has a new random 62-bit
    stamp, so the sum moves (unless changes cancel out exactly, a chance of one in 2**62)."""
    return f"{count}-{total % 2**64:x}"


def _read(vault: Vault, ids: set[str]) -> list[Entry]:
    """These entries whole (one found damaged is left out, as a listing leaves it out)."""
    if not ids:
        return []
    if len(ids) > _ONE_BY_ONE:
        return [e for e in vault.entries(with_bodies=True) if e.id in ids]
    return vault.whole(sorted(ids))


def look(vault: Vault, state: SyncState, written: Mapping[str, tuple[Version, str]], tokens: Tokens) -> Here:
    """The entries of changed groups and every deletion, with their tokens. `written`: versions a
    merge just stored, with their tokens (in memory already: not read back)."""
    # Summed per group by SQLite: a dict of every id and stamp, grouped in Python, took three times as
    # long at 50,000 entries (a sync that receives one entry is mostly process start and unlock).
    sums = vault.stamp_groups(GROUP)
    groups = {group: _digest(count, total) for group, (count, total) in sums.items()}
    recorded = state.get("scan", {})
    stale_groups = {group for group, digest in groups.items() if recorded.get(group) != digest}
    stale = vault.ids_in_groups(stale_groups, GROUP) if stale_groups else set()
    versions: dict[str, tuple[Version, str]] = {}
    tombstones = vault.tombstones()
    present = vault.present(set(tombstones))
    for entry_id, revision in tombstones.items():
        if entry_id not in present:  # present wins over an old tombstone
            tombstone = Tombstone(entry_id, revision)
            versions[entry_id] = (tombstone, tokens.token(tombstone))
    for entry_id in stale:
        known = written.get(entry_id)
        if known is not None and isinstance(known[0], Entry):
            versions[entry_id] = known
    for entry in _read(vault, stale - versions.keys()):
        versions[entry.id] = (entry, tokens.token(entry))
    rows = sum(count for count, _total in sums.values())
    return Here(versions, groups, rows + len(tombstones.keys() - present))
