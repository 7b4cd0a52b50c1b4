"""Bringing many entries into the unlocked journal at once: imports (new ids only) and merges (by id and
revision, from a backup or another device), each in ONE transaction: all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from purpose_app import messages
from purpose_app.domain.entry import Entry, check_complete
from purpose_app.domain.json_value import JsonValue
from purpose_app.domain.merge import Incoming, MergeOutcome, Merger, Tokens, check_tombstone
from purpose_app.errors import PurposeError
from purpose_app.services.journal_cache import JournalCache, Writing
from purpose_app.services.journal_documents import DocumentKey, DocumentStore
from purpose_app.storage import database
from purpose_app.storage.documents import Document
from purpose_app.storage.repository import Damage

_WRITE_BATCH = 1000  # rows per INSERT statement when importing
_BY_ID = 2000  # a merge of up to this many ids reads only their rows (a sync bringing a few entries)
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportOutcome:
    added: tuple[str, ...]
    skipped: tuple[str, ...]  # already in the vault (same id): a re-import never duplicates


def import_entries(
    cache: JournalCache, writing: Writing, entries: Iterable[Entry], progress: Progress | None
) -> ImportOutcome:
    """Store complete entries, skipping ids already taken; see Vault.import_entries."""
    added: list[Entry] = []
    skipped: list[str] = []
    seen: set[str] = set()
    with writing() as repo:
        tombstoned = repo.tombstones()
        stored = repo.ids()  # readable or damaged: either way the id is taken
        pending: list[Entry] = []
        stamps: list[int] = []
        for count, entry in enumerate(entries, start=1):
            check_complete(entry)
            if entry.id in stored or entry.id in seen:
                skipped.append(entry.id)
            else:
                pending.append(entry)
                seen.add(entry.id)
                if len(pending) == _WRITE_BATCH:
                    stamps += repo.insert_many(pending)
                    added += pending
                    pending = []
            if progress is not None and count % 200 == 0:
                progress(count)
        stamps += repo.insert_many(pending)
        added += pending
        repo.drop_tombstones([e.id for e in added if e.id in tombstoned])  # back after a delete
        paged = cache.page_imported(added, stamps, len(stored))
    for entry in added:  # only after the commit: a failed import leaves the caches as they were
        cache.remember(entry)
    if cache.loaded:
        cache.page_of.update(paged)
    if progress is not None:
        progress(len(added) + len(skipped))
    return ImportOutcome(tuple(e.id for e in added), tuple(skipped))


def merge(
    cache: JournalCache,
    docs: DocumentStore,
    writing: Writing,
    tokens: Tokens,
    incoming: Iterable[Incoming],
    *,
    lineage: dict[str, list[str]] | None,
    documents: Mapping[DocumentKey, JsonValue] | None,
    progress: Progress | None,
) -> MergeOutcome:
    """Plan and apply a merge together with `documents`; see Vault.merge."""
    # Deciding needs every field of the local versions of the ids that come in (only those: a sync
    # bringing one entry reads one body, not the journal's); a damaged one is left out (and listed
    # in cache.damaged): an incoming version replaces it.
    items = list(incoming)
    wanted = {item.version.id for item in items}
    if cache.loaded or len(wanted) > _BY_ID:
        index = cache.index()
        few = len(wanted) < len(index)
        chosen = [index[i] for i in wanted if i in index] if few else list(index.values())
        local = {e.id: e for e in cache.complete(chosen)}
        damaged, others = list(cache.damaged), set(index)  # others: here, not loaded (nothing comes in)
    else:  # a few, before anything was listed: their rows alone, not the journal's index
        with database.reading(cache.conn):
            found = list(cache.repo.complete(sorted(wanted)))
            others = cache.repo.ids()
        local = {e.id: e for e in found if isinstance(e, Entry)}
        damaged = [d.entry_id for d in found if isinstance(d, Damage)]
    with database.reading(cache.conn):
        tombstones = cache.repo.tombstones()
    merger = Merger(local, tombstones, tokens, lineage=lineage, damaged=damaged, others=others)
    count = 0
    for count, item in enumerate(items, start=1):
        if isinstance(item.version, Entry):
            if not item.checked:
                check_complete(item.version)
        else:
            check_tombstone(item.version)
        merger.add(item)
        if progress is not None and count % 200 == 0:
            progress(count)
    plan = merger.plan()
    docs.load()
    stored: list[Document] = []
    before = len(others)
    with writing() as repo:
        stamps: list[int] = []
        for start in range(0, len(plan.inserts), _WRITE_BATCH):  # a first sync inserts the journal
            stamps += repo.insert_many(plan.inserts[start : start + _WRITE_BATCH])
        paged = cache.page_imported(plan.inserts, stamps, before)  # so lock need not page them
        repo.drop_tombstones(plan.revived)
        for entry, expected in plan.overwrites:
            if not repo.overwrite(entry, expected):
                raise PurposeError(messages.entry_changed_elsewhere(entry.id))
        for entry_id, expected, revision in plan.deletes:
            if not repo.delete(entry_id, expected):
                raise PurposeError(messages.entry_changed_elsewhere(entry_id))
            repo.put_tombstone(entry_id, revision)
        for tombstone in plan.tombstones:
            repo.put_tombstone(tombstone.id, tombstone.revision)
        stored = docs.stored_all(documents or {})
    for entry in (*plan.inserts, *(e for e, _ in plan.overwrites)):
        cache.remember(entry)
    for entry_id, _, _ in plan.deletes:
        cache.forget(entry_id)
    if cache.loaded:
        cache.page_of.update(paged)
    docs.applied(stored)
    if progress is not None:
        progress(count)
    return plan.outcome
