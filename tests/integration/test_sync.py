"""Sync through a shared folder: both vaults end up holding the same entries, and nothing is lost."""

from __future__ import annotations

import errno
import random
import shutil
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE
from promise_helpers import entry_rows, integrity_check, scan

from purpose_app.cli import entry_json
from purpose_app.crypto import chunked, kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.errors import InvalidInput
from purpose_app.services import backup, private_file, sync, vault


def _join(source: vault.Vault, folder: Path, tmp_path: Path) -> vault.Vault:
    """A second device: restored from a backup of `source` (so it has the same data key)."""
    path = tmp_path / f"{folder.name}.backup"
    backup.write_backup(source, path, PASSPHRASE, kdf.TEST)
    joined, _key, _ = backup.restore_new(
        folder, backup.read_backup(path, PASSPHRASE), NEW_PASSPHRASE, kdf.TEST
    )
    path.unlink()
    return joined


@pytest.fixture
def devices(made_vault, tmp_path) -> Iterator[tuple[vault.Vault, vault.Vault, Path]]:
    """Device A with three entries, device B joined from A's backup, and an empty sync folder."""
    with ExitStack() as stack:
        a = stack.enter_context(made_vault.open())
        for word in ("alpha", "bravo", "charlie"):
            a.add(EntryChanges(title=word, body=f"{word} as first written"))
        b = stack.enter_context(_join(a, tmp_path / "device-b", tmp_path))
        folder = tmp_path / "Sync"
        folder.mkdir()
        yield a, b, folder


def _view(opened: vault.Vault) -> list[dict[str, object]]:
    return sorted((entry_json(e) for e in opened.entries(with_bodies=True)), key=lambda e: str(e["id"]))


def _ids(opened: vault.Vault) -> dict[str, str]:
    return {e.title: e.id for e in opened.entries()}


def _change_files(folder: Path) -> list[Path]:
    return sorted((folder / sync.SUBFOLDER).glob("*.changes"))


def _both_ways(a: vault.Vault, b: vault.Vault, folder: Path) -> None:
    for device in (a, b, a, b):
        report = sync.sync(device, folder)
        assert report.skipped == []


def test_the_acceptance_scenario(devices):
    """Edits on both sides, a delete on one, a concurrent edit of the same entry and a truncated change
    file: after syncing both ways, both vaults hold the same entries and nothing was lost."""
    a, b, folder = devices
    ids = _ids(a)
    a.edit(ids["alpha"], EntryChanges(body="alpha as A rewrote it"))
    b.edit(ids["alpha"], EntryChanges(body="alpha as B rewrote it"))  # concurrent: same revision
    a.edit(ids["bravo"], EntryChanges(energy=8))
    b.delete(ids["charlie"])
    a.add(EntryChanges(title="written on A", body="a new one from A"))
    b.add(EntryChanges(title="written on B", body="a new one from B"))

    first = sync.sync(a, folder)
    assert (first.sent_entries, first.received) == (4, [])  # a first sync sends all it has
    second = sync.sync(b, folder)
    assert second.received == [first.sent] and len(second.outcome.conflicts) == 1

    # B's change file arrives on A's side only half-copied: A skips it, and changes nothing for it.
    b_file = folder / sync.SUBFOLDER / str(second.sent)
    whole = b_file.read_bytes()
    b_file.write_bytes(whole[: len(whole) // 2])
    rows = entry_rows(a.folder / "purpose.db")
    third = sync.sync(a, folder)
    assert [s.file for s in third.skipped] == [second.sent] and "incomplete" in third.skipped[0].reason
    assert entry_rows(a.folder / "purpose.db") == rows
    b_file.write_bytes(whole)  # the sync tool finishes copying
    _both_ways(a, b, folder)

    assert _view(a) == _view(b)
    bodies = {e.body for e in a.entries(with_bodies=True)}
    assert {
        "alpha as A rewrote it",
        "alpha as B rewrote it",
        "a new one from A",
        "a new one from B",
    } <= bodies
    assert a.get(ids["bravo"]).energy == 8
    assert ids["charlie"] not in _ids(a).values() and ids["charlie"] in a.tombstones()
    copies = [e for e in a.entries() if "conflict" in e.tags]
    assert len(copies) == 1 and copies[0].title == "Conflict copy: alpha"
    assert a.count() == 5  # alpha, its conflict copy, bravo, and one new from each side


def test_a_concurrent_edit_with_more_revisions_is_still_a_conflict(devices):
    """Edited twice on one side and once on the other without seeing each other: the higher revision
    wins, and the other edit is kept as a conflict copy rather than silently dropped."""
    a, b, folder = devices
    entry_id = _ids(a)["bravo"]
    a.edit(entry_id, EntryChanges(body="A, first edit"))
    a.edit(entry_id, EntryChanges(body="A, second edit"))
    b.edit(entry_id, EntryChanges(body="B, only edit"))
    _both_ways(a, b, folder)
    assert _view(a) == _view(b)
    assert a.get(entry_id).body == "A, second edit"
    assert [e.body for e in a.entries(with_bodies=True) if "conflict" in e.tags] == ["B, only edit"]


def test_an_edit_made_after_seeing_the_other_side_wins_cleanly(devices):
    """A change made on top of a synced version replaces it everywhere, with no conflict copy."""
    a, b, folder = devices
    entry_id = _ids(a)["alpha"]
    a.edit(entry_id, EntryChanges(body="A's version"))
    _both_ways(a, b, folder)
    b.edit(entry_id, EntryChanges(body="B builds on A's version"))
    _both_ways(a, b, folder)
    assert a.get(entry_id).body == "B builds on A's version" and _view(a) == _view(b)
    assert not any("conflict" in e.tags for e in a.entries())


def test_a_delete_reaches_the_other_device(devices):
    """Deleting an entry on one device deletes it on the other; an old change file does not bring
    it back."""
    a, b, folder = devices
    entry_id = _ids(a)["charlie"]
    a.edit(entry_id, EntryChanges(body="charlie, edited before the delete"))
    _both_ways(a, b, folder)
    b.delete(entry_id)
    _both_ways(a, b, folder)
    assert entry_id not in _ids(a).values() and _view(a) == _view(b)
    state = a.document(*sync.STATE)
    state["applied"] = {}  # forget what was read: every old file is read again
    a.put_document(*sync.STATE, state)
    sync.sync(a, folder)
    assert entry_id not in _ids(a).values()


def test_an_edit_outlives_a_deletion_it_never_saw(devices):
    """Deleted on one device while edited on the other: the edit is kept on both."""
    a, b, folder = devices
    entry_id = _ids(a)["charlie"]
    a.delete(entry_id)
    b.edit(entry_id, EntryChanges(body="charlie, still needed"))
    _both_ways(a, b, folder)
    assert a.get(entry_id).body == b.get(entry_id).body == "charlie, still needed"
    assert _view(a) == _view(b)


def test_syncing_again_changes_nothing(devices):
    """With nothing new, a sync writes no file and changes no entry; reading every file again (as
    after a lost sync state) adds no duplicates and no conflict copies."""
    a, b, folder = devices
    a.edit(_ids(a)["alpha"], EntryChanges(body="once"))
    b.add(EntryChanges(body="from B"))
    _both_ways(a, b, folder)
    files, view = _change_files(folder), _view(a)
    report = sync.sync(a, folder)
    assert report.sent is None and report.received == [] and _change_files(folder) == files
    for device in (a, b):
        device.delete_document(*sync.STATE)
        assert not sync.sync(device, folder).outcome.changed
    assert _view(a) == _view(b) == view


def test_damaged_and_foreign_change_files_are_skipped_and_retried(devices):
    """A bit-flipped file, one from another journal (another key) and a file that is not ours at all
    are skipped with a reason, never applied, and tried again next time; the vault stays sound."""
    a, b, folder = devices
    b.add(EntryChanges(body="from B"))
    sent = sync.sync(b, folder).sent
    good = folder / sync.SUBFOLDER / str(sent)
    whole = good.read_bytes()
    flipped = bytearray(whole)
    flipped[-20] ^= 0x01
    good.write_bytes(bytes(flipped))
    foreign = folder / sync.SUBFOLDER / f"{'0' * 32}-000001-00000000.changes"
    foreign.write_bytes(chunked.seal(b"{}", purpose="sync", key=bytes(32)))
    junk = folder / sync.SUBFOLDER / f"{'1' * 32}-000001-00000000.changes"
    junk.write_bytes(b"not a change file")
    rows = entry_rows(a.folder / "purpose.db")
    for _attempt in range(2):
        skipped = {s.file: s.reason for s in sync.sync(a, folder).skipped}
        assert set(skipped) == {good.name, foreign.name, junk.name}
        assert "integrity" in skipped[good.name] and "another journal" in skipped[foreign.name]
        assert entry_rows(a.folder / "purpose.db") == rows
    good.write_bytes(whole)
    report = sync.sync(a, folder)
    assert report.received == [good.name] and len(report.outcome.added) == 1
    a_folder = a.folder
    a.lock()
    assert integrity_check(a_folder / "purpose.db") == ["ok"]


def test_change_files_hold_no_plaintext(devices):
    """Canary: what goes into the sync folder is ciphertext only (UTF-8 and UTF-16), owner-readable."""
    a, b, folder = devices
    canary = f"canary-{uuid.uuid4().hex}"
    entry = a.add(EntryChanges(title=canary, body=f"{canary}\n" * 40, tags=(canary,)))
    sync.sync(a, folder)
    a.delete(entry.id)
    sync.sync(a, folder)
    sync.sync(b, folder)
    assert len(_change_files(folder)) == 2
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in _change_files(folder))
    assert scan([folder], [canary]) == []


def test_the_sync_folder_must_not_hold_the_vault(devices, tmp_path):
    """The vault's own folder, a folder around it, or a missing folder are refused."""
    a, _b, _folder = devices
    for bad in (a.folder, a.folder.parent, tmp_path / "missing"):
        with pytest.raises(InvalidInput):
            sync.sync(a, bad)
    assert not (a.folder / sync.SUBFOLDER).exists()


def test_each_device_has_its_own_id_that_backups_do_not_copy(devices, tmp_path):
    """The device id is stable across syncs, and a device joined from a backup gets a new one."""
    a, b, folder = devices
    first, again = sync.sync(a, folder).device, sync.sync(a, folder).device
    assert first == again
    c = _join(a, tmp_path / "device-c", tmp_path)
    with c:
        assert sync.sync(c, folder).device not in (first, sync.sync(b, folder).device)


@pytest.mark.parametrize("seed", range(4))
def test_random_work_on_three_devices_converges(made_vault, tmp_path, seed):
    """Random adds, edits and deletes on three devices with syncs in between: after two rounds of
    syncing, all three hold exactly the same entries."""
    rng = random.Random(seed)
    with ExitStack() as stack:
        a = stack.enter_context(made_vault.open())
        for i in range(4):
            a.add(EntryChanges(body=f"seed entry {i}"))
        devices = [a]
        for name in ("b", "c"):
            devices.append(stack.enter_context(_join(a, tmp_path / name, tmp_path)))
        folder = tmp_path / "Sync"
        folder.mkdir()
        for step in range(40):
            device = rng.choice(devices)
            ids = [e.id for e in device.entries()]
            action = rng.choice(["add", "edit", "edit", "delete", "sync", "sync"])
            if action == "add" or not ids:
                device.add(EntryChanges(body=f"step {step}"))
            elif action == "edit":
                device.edit(rng.choice(ids), EntryChanges(body=f"edit at step {step}"))
            elif action == "delete":
                device.delete(rng.choice(ids))
            else:
                sync.sync(device, folder)
        for _round in range(2):
            for device in devices:
                assert sync.sync(device, folder).skipped == []
        views = [_view(d) for d in devices]
        assert views[0] == views[1] == views[2]


def test_a_vault_copied_by_hand_still_syncs(devices, tmp_path):
    """Two devices with the same device id (a vault folder copied with its sync identity) still read
    each other's files: file names carry a random part and applied files are tracked by name."""
    a, _b, folder = devices
    sync.sync(a, folder)
    a_folder = a.folder
    a.lock()
    shutil.copytree(a_folder, tmp_path / "copy")
    with vault.unlock(a_folder, PASSPHRASE) as first, vault.unlock(tmp_path / "copy", PASSPHRASE) as second:
        first.add(EntryChanges(body="on the original"))
        second.add(EntryChanges(body="on the copy"))
        _both_ways(first, second, folder)
        assert _view(first) == _view(second) and first.count() == 5


def test_a_later_backup_does_not_hold_changes_back(devices, tmp_path):
    """A backup made for safekeeping marks its versions as known, but they still go out to devices
    that joined earlier."""
    a, b, folder = devices
    a.add(EntryChanges(title="after the join"))
    backup.write_backup(a, tmp_path / "safekeeping.backup", PASSPHRASE, kdf.TEST)
    _both_ways(a, b, folder)
    assert "after the join" in _ids(b) and _view(a) == _view(b)


def test_leftovers_from_a_crash_mid_write_are_cleared(devices):
    """A temporary change file left by a crash (this release's name or an earlier one's) is removed
    at the next sync; another device's is left alone."""
    a, _b, folder = devices
    device = sync.sync(a, folder).device
    changes = folder / sync.SUBFOLDER
    mine_now = changes / f".{device}-000009-0badc0de.changes.1a2b3c4d.partial"
    mine_before = changes / f".{device}-000009-0badc0de.changes.partial"
    theirs = changes / f".{'e' * 32}-000001-0badc0de.changes.1a2b3c4d.partial"
    for leftover in (mine_now, mine_before, theirs):
        leftover.write_bytes(b"half a file")
    sync.sync(a, folder)
    assert not mine_now.exists() and not mine_before.exists() and theirs.exists()


def test_an_unwritable_change_file_says_so_and_leaves_nothing(devices, monkeypatch):
    """Writing the change file fails: the sync-folder message, no partial file in the folder, and
    nothing recorded as sent (the next sync sends it)."""
    a, _b, folder = devices

    def refuse(_source, _target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(private_file.os, "replace", refuse)
    target = folder / sync.SUBFOLDER
    with pytest.raises(InvalidInput) as caught:
        sync.sync(a, folder)
    assert caught.value.message == (
        f"Purpose cannot write to {target} (No space left on device). Nothing more was sent; try again later."
    )
    assert list(target.iterdir()) == []
    monkeypatch.undo()
    assert sync.sync(a, folder).sent_entries == 3
