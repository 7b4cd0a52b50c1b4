"""How a version of an entry from elsewhere (a backup, another device) meets the one in the vault.

Every version has a token: a keyed fingerprint of the whole entry (id, revision, times and every
field) for an entry, "t<revision>" for a tombstone (a deleted entry). Sync records carry `seen`, the
tokens of the versions of that entry the sending device had exchanged (its lineage); backups carry
none. For one id, with the local version L and the incoming version R:

    same token                                  nothing to do
    L's token in R's lineage                    R was made from L: take R
    R's token in L's lineage                    L was made from R: keep L
    no lineage on either side (a backup, or the first exchange of that entry):
        the higher revision wins; at equal revisions a tombstone wins (it deleted that revision), and
        two different entries are concurrent
    otherwise                                   concurrent: neither side saw the other's change

    concurrent:
        entry and tombstone   the entry wins: an edit outlives a deletion made without seeing it
        two tombstones        the higher revision
        two entries           in a sync, the winner is the higher (revision, updated, token), the same
                              choice on every device; merging a backup, the vault's own version stays.
                              The loser is kept as a new entry titled "Conflict copy: ..." and tagged
                              "conflict", with an id derived from it, so every device makes the same
                              copy once (and a copy the person deleted stays deleted). Entries that
                              differ only in `updated` need no copy.

Nothing here does I/O: the vault loads its side, the Merger decides, the vault writes the plan in one
transaction.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from purpose_app.domain.entry import MAX_LABELS, MAX_TITLE, Entry, EntryChanges, clean_values
from purpose_app.errors import InvalidInput

CONFLICT_TAG = "conflict"
CONFLICT_PREFIX = "Conflict copy"
MAX_LINEAGE = 16  # tokens remembered per entry; far more revisions than two devices make between syncs


@dataclass(frozen=True, slots=True)
class Tombstone:
    """A deleted entry: its id and the revision it had."""

    id: str
    revision: int


Version = Entry | Tombstone


@dataclass(frozen=True, slots=True)
class Incoming:
    version: Version
    seen: frozenset[str] | None = None  # the sender's lineage of this entry; None: unknown (backups)
    checked: bool = False  # validated already (entry_from_dict does it): a merge need not again


@dataclass
class MergeOutcome:
    added: list[str] = field(default_factory=list)  # new here: from elsewhere, brought back, or copies
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # ids of the conflict copies made (also in added)
    tombstones: int = 0  # deletions recorded for entries this vault did not have
    unchanged: int = 0  # incoming versions that changed nothing
    # What the plan writes, by id, with its token (not compared or shown): sync takes these from
    # memory instead of reading the rows back.
    written: dict[str, tuple[Version, str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted or self.tombstones)


@dataclass
class MergePlan:
    """What to write, in one transaction. Expected revisions guard against another writer."""

    inserts: list[Entry] = field(default_factory=list)
    revived: list[str] = field(default_factory=list)  # inserted ids whose tombstone must go
    overwrites: list[tuple[Entry, int | None]] = field(default_factory=list)
    deletes: list[tuple[str, int | None, int]] = field(default_factory=list)  # id, expected, tombstone
    tombstones: list[Tombstone] = field(default_factory=list)
    outcome: MergeOutcome = field(default_factory=MergeOutcome)


def check_tombstone(tombstone: Tombstone) -> Tombstone:
    try:
        uuid.UUID(tombstone.id)
    except (ValueError, TypeError, AttributeError):
        raise InvalidInput(f'"{str(tombstone.id)[:40]}" is not an entry id (a UUID).') from None
    if not isinstance(tombstone.revision, int) or tombstone.revision < 1:
        raise InvalidInput(f"The deletion of {tombstone.id} has an impossible revision.")
    return tombstone


# -- tokens -------------------------------------------------------------------------------------------


def canonical(entry: Entry) -> bytes:
    """Every field of an entry, in a fixed encoding: two devices get the same bytes for one version."""
    data = [
        entry.id, entry.revision, entry.created.isoformat(), entry.updated.isoformat(), entry.title,
        entry.body, list(entry.tags), entry.energy, list(entry.drains), list(entry.fuels), entry.shift,
        str(entry.prompt) if entry.prompt else None,
    ]  # fmt: skip
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def tombstone_token(revision: int) -> str:
    return f"t{revision}"


class Tokens:
    """Version tokens and conflict-copy ids, keyed (HMAC-SHA256) so neither reveals any content: a
    conflict copy's id is stored in the clear, and an unkeyed hash of a short check-in is guessable."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        # id(version) -> (version, token): a merge and the sync after it ask about the same objects
        # several times (a first sync: 50,000 of them). The version is held so its id stays its own.
        self._known: dict[int, tuple[Version, str]] = {}

    def _mac(self, *parts: bytes) -> bytes:
        return hmac.new(self._key, b"\x00".join(parts), hashlib.sha256).digest()

    def token(self, version: Version) -> str:
        if isinstance(version, Tombstone):
            return tombstone_token(version.revision)
        known = self._known.get(id(version))
        if known is not None and known[0] is version:
            return known[1]
        token = base64.urlsafe_b64encode(self._mac(b"version", canonical(version))[:12]).decode("ascii")
        self._known[id(version)] = (version, token)
        return token

    def copy_id(self, loser: Entry) -> str:
        raw = self._mac(b"conflict-copy", loser.id.encode(), self.token(loser).encode())[:16]
        return str(uuid.UUID(bytes=raw, version=4))


def conflict_copy(loser: Entry, copy_id: str) -> Entry:
    """The losing side of a conflict as a new entry of its own, visibly marked."""
    title = CONFLICT_PREFIX + (f": {loser.title}" if loser.title else "")
    tags = loser.tags
    if CONFLICT_TAG not in (t.casefold() for t in tags):
        tags = (*tags[: MAX_LABELS - 1], CONFLICT_TAG)
    cleaned = clean_values(EntryChanges(title=title[:MAX_TITLE], tags=tags))
    return replace(loser, id=copy_id, revision=1, **cleaned)  # type: ignore[arg-type]


def _same_content(a: Entry, b: Entry) -> bool:
    return replace(a, updated=b.updated, revision=b.revision) == b


# -- the merger ---------------------------------------------------------------------------------------

Verdict = Literal["take", "keep", "concurrent"]


class Merger:
    """Applies incoming versions one at a time to an in-memory picture of the vault; plan() says what
    to write. With a lineage map (sync), it also learns the incoming lineages, in place."""

    def __init__(
        self,
        entries: Mapping[str, Entry],
        tombstones: Mapping[str, int],
        tokens: Tokens,
        *,
        lineage: dict[str, list[str]] | None = None,
        damaged: Collection[str] = (),
        others: Collection[str] = (),
    ) -> None:
        """`entries`: the local versions of the ids that may come in (or all of them); `others`: ids
        present here whose versions were not loaded (nothing comes in for them: only a conflict
        copy's id is checked against them)."""
        self._others = others
        self._before: dict[str, Version] = {i: Tombstone(i, r) for i, r in tombstones.items()}
        self._before.update(entries)  # an id both present and deleted counts as present
        self._damaged = set(damaged)  # unreadable here: any incoming version replaces them
        self._tokens = tokens
        self.lineage = lineage
        self._after: dict[str, Version] = {}
        self._outcome = MergeOutcome()

    def _current(self, entry_id: str) -> Version | None:
        if entry_id in self._after:
            return self._after[entry_id]
        if entry_id in self._damaged:
            return None
        return self._before.get(entry_id)

    def add(self, incoming: Incoming) -> None:
        version = incoming.version
        if not self._resolve(self._current(version.id), incoming):
            self._outcome.unchanged += 1
        if self.lineage is not None and incoming.seen is not None:
            self._learn(version.id, incoming.seen | {self._tokens.token(version)})

    def _learn(self, entry_id: str, tokens: frozenset[str]) -> None:
        assert self.lineage is not None
        known = self.lineage.get(entry_id, [])
        fresh = sorted(tokens.difference(known))
        if fresh:
            self.lineage[entry_id] = [*known, *fresh][-MAX_LINEAGE:]

    def _resolve(self, local: Version | None, incoming: Incoming) -> bool:
        remote = incoming.version
        if local is None:
            self._after[remote.id] = remote
            return True
        if self._tokens.token(local) == self._tokens.token(remote):
            return False
        verdict = self._order(local, remote, incoming.seen)
        if verdict == "take":
            self._after[remote.id] = remote
            return True
        if verdict == "keep":
            return False
        return self._concurrent(local, remote)

    def _order(self, local: Version, remote: Version, seen: frozenset[str] | None) -> Verdict:
        mine = self.lineage.get(local.id, []) if self.lineage is not None else None
        remote_token = self._tokens.token(remote)
        if seen is not None and self._tokens.token(local) in seen:
            return "take"
        if mine is not None and remote_token in mine:
            return "keep"
        if seen is None or mine is None or not mine or not (seen - {remote_token}):
            if remote.revision != local.revision:
                return "take" if remote.revision > local.revision else "keep"
            if isinstance(remote, Tombstone):
                return "take"
            if isinstance(local, Tombstone):
                return "keep"
        return "concurrent"

    def _concurrent(self, local: Version, remote: Version) -> bool:
        if isinstance(local, Tombstone):
            if isinstance(remote, Tombstone) and remote.revision <= local.revision:
                return False
            self._after[remote.id] = remote  # a later tombstone, or an edit the deleter never saw
            return True
        if isinstance(remote, Tombstone):
            return False  # keep the entry: it was edited without seeing the deletion
        if self.lineage is None:  # a backup: one way, the vault's own version stays in place
            winner, loser = local, remote
        else:  # a sync: every device must pick the same winner
            winner, loser = sorted((local, remote), key=self._rank, reverse=True)
        changed = False
        if winner is remote:
            self._after[remote.id] = remote
            changed = True
        if not _same_content(local, remote):
            changed = self._keep_copy(loser) or changed
        return changed

    def _rank(self, entry: Entry) -> tuple[int, float, str]:
        return (entry.revision, entry.updated.timestamp(), self._tokens.token(entry))

    def _keep_copy(self, loser: Entry) -> bool:
        copy = conflict_copy(loser, self._tokens.copy_id(loser))
        if self._current(copy.id) is not None or copy.id in self._damaged or copy.id in self._others:
            return False  # made already (here or on another device), or deleted by the person
        self._after[copy.id] = copy
        self._outcome.conflicts.append(copy.id)
        return True

    def plan(self) -> MergePlan:
        plan = MergePlan(outcome=self._outcome)
        outcome = plan.outcome
        for entry_id, after in self._after.items():
            before = self._before.get(entry_id)
            damaged = entry_id in self._damaged
            if not damaged and before is not None and self._tokens.token(before) == self._tokens.token(after):
                continue  # changed and changed back
            outcome.written[entry_id] = (after, self._tokens.token(after))
            row = damaged or isinstance(before, Entry)
            expected = before.revision if isinstance(before, Entry) and not damaged else None
            if isinstance(after, Entry):
                if row:
                    plan.overwrites.append((after, expected))
                    outcome.updated.append(entry_id)
                else:
                    plan.inserts.append(after)
                    outcome.added.append(entry_id)
                    if isinstance(before, Tombstone):
                        plan.revived.append(entry_id)
            elif row:
                plan.deletes.append((entry_id, expected, after.revision))
                outcome.deleted.append(entry_id)
            else:
                plan.tombstones.append(after)
                outcome.tombstones += 1
        return plan
