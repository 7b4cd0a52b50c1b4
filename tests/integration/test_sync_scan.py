"""Sync looks only at what changed since the last sync, stores only the state shards that changed,
and still reads a state kept the older way (whole in one document, or written by a backup)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE

from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.services import backup, sync, sync_scan, sync_state, vault


@pytest.fixture
def devices(made_vault, tmp_path) -> Iterator[tuple[vault.Vault, vault.Vault, Path]]:
    """Device A with forty entries, B restored from A's backup, both synced once."""
    with ExitStack() as stack:
        a = stack.enter_context(made_vault.open())
        for n in range(40):
            a.add(EntryChanges(title=f"entry {n}", body=f"written {n}"))
        path = tmp_path / "a.backup"
        backup.write_backup(a, path, PASSPHRASE, kdf.TEST)
        b, _key, _ = backup.restore_new(
            tmp_path / "b", backup.read_backup(path, PASSPHRASE), NEW_PASSPHRASE, kdf.TEST
        )
        stack.enter_context(b)
        folder = tmp_path / "Sync"
        folder.mkdir()
        for device in (a, b, a, b):
            sync.sync(device, folder)
        yield a, b, folder


def _shard_names(opened: vault.Vault) -> set[str]:
    return {name for name in opened.documents(sync.KIND) if name.startswith(sync_state.SHARD)}


def test_a_sync_reads_only_the_group_of_the_changed_entry(devices):
    """After one edit, only the entries sharing its group (first two id characters) are read whole,
    and the sync sends that one entry."""
    a, _b, folder = devices
    edited = a.entries()[7]
    a.edit(edited.id, EntryChanges(body="changed after the last sync"))
    here = sync_scan.look(a, sync.load_state(a), {}, a.tokens())
    group = {e.id for e in a.entries() if e.id[:2] == edited.id[:2]}
    assert set(here.versions) == group
    assert here.count == 40
    report = sync.sync(a, folder)
    assert (report.sent_entries, report.sent_deletions) == (1, 0)


def test_with_nothing_changed_no_entry_is_read(devices, monkeypatch):
    """A second sync with nothing new reads no entry whole (not one body is decrypted)."""
    a, _b, folder = devices
    read: list[list[str]] = []
    whole = a.whole
    monkeypatch.setattr(a, "whole", lambda ids: read.append(ids) or whole(ids))
    monkeypatch.setattr(a, "entries", lambda *args, **kwargs: pytest.fail("the journal was read"))
    report = sync.sync(a, folder)
    assert report.sent is None and read == []


def test_a_deletion_is_sent_without_reading_entries(devices):
    """A deleted entry (a tombstone) goes out though its group has no entry left to read."""
    a, b, folder = devices
    gone = a.entries()[3].id
    a.delete(gone)
    assert sync.sync(a, folder).sent_deletions == 1
    sync.sync(b, folder)
    assert gone not in {e.id for e in b.entries()}


def test_one_change_stores_one_shard_of_the_state(devices, monkeypatch):
    """The state is split by id into shards: a sync that sends one entry stores the state's small
    head and the one shard holding that entry, not the whole state."""
    a, _b, folder = devices
    stored: list[set[tuple[str, str]]] = []
    put = a.put_documents
    monkeypatch.setattr(a, "put_documents", lambda docs: stored.append(set(docs)) or put(docs))
    entry = a.add(EntryChanges(title="one more", body="after a night shift"))
    sync.sync(a, folder)
    shard = (sync.KIND, sync_state.SHARD + entry.id[:2])
    assert stored == [{sync.STATE, shard, sync.DEVICE}]
    head = a.document(*sync.STATE)
    assert head["lineage"] == {} and head["synced"] == {}
    assert sync.load_state(a)["synced"][entry.id]


def test_a_state_kept_whole_in_one_document_is_still_read(devices):
    """A state from before shards (every entry in the state document) reads the same, and the next
    sync moves it into shards without sending anything again."""
    a, _b, folder = devices
    before = sync.load_state(a)
    for name in _shard_names(a):
        a.delete_document(sync.KIND, name)
    a.put_document(*sync.STATE, sync.as_document(before))
    assert sync.load_state(a) == before
    report = sync.sync(a, folder)
    assert report.sent is None
    assert sync.load_state(a)["lineage"] == before["lineage"]
    assert a.document(*sync.STATE)["lineage"] == {} and _shard_names(a)


def test_lineages_a_backup_adds_are_kept_beside_the_shards(devices, tmp_path):
    """A backup stores the whole state (with the versions it holds added to the lineages) over the
    head while the shards stay: both are read, and the added versions are kept."""
    a, _b, _folder = devices
    entry = a.add(EntryChanges(title="after the sync", body="only in the backup so far"))
    backup.write_backup(a, tmp_path / "later.backup", PASSPHRASE, kdf.TEST)
    token = a.tokens().token(a.get(entry.id))
    assert token in sync.load_state(a)["lineage"][entry.id]
    state, shards = sync_state.load(a)
    a.put_documents(sync_state.save(state, shards))
    assert token in sync.load_state(a)["lineage"][entry.id]


def test_a_lost_state_document_starts_afresh_and_sends_everything(devices, tmp_path):
    """Without its state document a device sends its whole journal again (as before shards), and the
    old shards are overwritten, not mixed in."""
    a, _b, _folder = devices
    a.delete_document(*sync.STATE)
    assert sync.load_state(a)["synced"] == {}
    fresh = tmp_path / "Fresh"
    fresh.mkdir()
    report = sync.sync(a, fresh)
    assert report.sent_entries == 40


def test_a_merge_of_a_few_reads_only_their_rows(devices, monkeypatch):
    """Receiving one entry reads that entry's row, not every body of the journal."""
    a, b, folder = devices
    monkeypatch.setattr(b, "entries", lambda *args, **kwargs: pytest.fail("the journal was read"))
    a.add(EntryChanges(title="from A", body="one new entry"))
    sync.sync(a, folder)
    report = sync.sync(b, folder)
    assert len(report.outcome.added) == 1
    assert b.count() == 41


def test_a_sync_of_one_entry_reads_few_shards(devices, monkeypatch):
    """Sending one entry reads the shards of the groups that changed, not all 256."""
    a, _b, folder = devices
    asked: list[str] = []
    document = a.document
    monkeypatch.setattr(
        a, "document", lambda kind, name, *rest: asked.append(name) or document(kind, name, *rest)
    )
    entry = a.add(EntryChanges(title="one more", body="quiet night"))
    assert sync.sync(a, folder).sent_entries == 1
    shards = {name for name in asked if name.startswith(sync_state.SHARD)}
    assert shards == {sync_state.SHARD + entry.id[:2]}


def test_an_entry_of_a_shard_not_read_is_never_stored_over_it(devices):
    """Storing a change to a group whose shard was not read would drop the rest of that shard: it
    is refused, and the shard keeps every entry."""
    a, _b, _folder = devices
    some = a.entries()[0].id
    before = a.document(sync.KIND, sync_state.SHARD + some[:2])
    state, shards = sync_state.load(a, groups=())
    state["synced"][some] = "changed"
    with pytest.raises(AssertionError):
        sync_state.save(state, shards)
    assert a.document(sync.KIND, sync_state.SHARD + some[:2]) == before
    sync_state.more(a, state, shards, {some[:2]})
    state["synced"][some] = "changed"
    a.put_documents(sync_state.save(state, shards))
    assert sync.load_state(a)["synced"][some] == "changed"
    assert set(sync.load_state(a)["synced"]) == {e.id for e in a.entries()}


def test_stamp_groups_and_ids_agree_with_the_stamps_themselves(unlocked: vault.Vault) -> None:
    """Sync's per-group sums (SQLite) equal the count and sum of each group's stamps in Python, the
    ids of a group are exactly its entries, and `present` tells rows from deleted ids."""
    for day in range(40):
        unlocked.add(EntryChanges(energy=day % 10 + 1))
    stamps = unlocked.stamps()
    expected: dict[str, tuple[int, int]] = {}
    for entry_id, stamp in stamps.items():
        count, total = expected.get(entry_id[:1], (0, 0))
        expected[entry_id[:1]] = (count + 1, total + stamp)
    assert unlocked.stamp_groups(1) == expected
    some = set(list(expected)[:3])
    assert unlocked.ids_in_groups(some, 1) == {i for i in stamps if i[:1] in some}
    gone = next(iter(stamps))
    unlocked.delete(gone)
    assert unlocked.present({gone, *list(stamps)[1:3], "no-such-id"}) == set(list(stamps)[1:3])
