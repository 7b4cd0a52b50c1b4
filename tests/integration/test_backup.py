"""Encrypted backups: backup -> restore is identical, merges follow the rules, bad files change nothing."""

from __future__ import annotations

import errno
import os
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE
from promise_helpers import entry_rows, fingerprint, flip_bit, scan

from purpose_app.cli import entry_json
from purpose_app.crypto import chunked, kdf
from purpose_app.domain.entry import EntryChanges, PromptRef, build_entry
from purpose_app.errors import InvalidInput, VaultUnavailable, WrongSecret
from purpose_app.services import backup, private_file, sync, vault
from purpose_app.storage.repository import EntryRepository

BACKUP_PASSPHRASE = "a separate backup passphrase"
IST = timezone(timedelta(hours=5, minutes=30))
NYC = timezone(timedelta(hours=-5))


def _fill(opened: vault.Vault) -> None:
    """Entries with every field, time zones, edits and a deletion; documents of several kinds."""
    opened.add(
        EntryChanges(
            title="Why I stayed — naïve 🌙", body="Line one\nLine two ✓", tags=("origins", "night"),
            energy=3, drains=("charting",), fuels=("a quiet moment",), shift="night",
            prompt=PromptRef("origins", "first-patient"), created=datetime(2024, 2, 29, 23, 59, tzinfo=IST),
        ),
        now=datetime(2024, 3, 1, 0, 5, tzinfo=IST),
    )  # fmt: skip
    edited = opened.add(EntryChanges(body="first words", created=datetime(2023, 11, 5, 1, 30, tzinfo=NYC)))
    opened.edit(edited.id, EntryChanges(body="second words", energy=7))
    opened.add(EntryChanges(energy=5))
    gone = opened.add(EntryChanges(body="to be deleted"))
    opened.delete(gone.id)
    opened.put_document("why", "statement", [{"text": "To be there at 3 a.m.", "written": "2024-01-01"}])
    opened.put_document("pack-settings", "origins", {"enabled": False})
    opened.put_document("personal-prompts", "all", [{"id": "p1", "text": "What helped today?"}])


def _snapshot(opened: vault.Vault) -> list[dict[str, object]]:
    return sorted((entry_json(e) for e in opened.entries(with_bodies=True)), key=lambda e: str(e["id"]))


@pytest.fixture
def source(made_vault):
    with made_vault.open() as opened:
        _fill(opened)
        yield opened


def test_backup_then_restore_is_identical(source, tmp_path):
    """Every entry (ids, revisions, times with their zones, every field), every deletion and every
    document come back exactly; the restored vault keeps the data key, with a new passphrase and a
    new recovery key."""
    path = tmp_path / "journal.backup"
    summary = backup.write_backup(source, path, BACKUP_PASSPHRASE, kdf.TEST)
    assert (summary.entries, summary.deletions, summary.damaged) == (3, 1, 0)
    contents = backup.read_backup(path, BACKUP_PASSPHRASE)
    folder = tmp_path / "restored"
    restored, recovery_key, _ = backup.restore_new(folder, contents, NEW_PASSPHRASE, kdf.TEST)
    with restored:
        assert _snapshot(restored) == _snapshot(source)
        assert restored.tombstones() == source.tombstones()
        assert restored.all_documents() == source.all_documents()
        assert restored.identity() == source.identity()
        created = {e.title: e.created for e in restored.entries()}["Why I stayed — naïve 🌙"]
        assert created.utcoffset() == timedelta(hours=5, minutes=30)
    with pytest.raises(WrongSecret):
        vault.unlock(folder, PASSPHRASE)
    with vault.unlock_with_recovery(folder, recovery_key) as reopened:
        assert reopened.count() == 3


def test_this_devices_sync_folder_is_not_in_the_backup(source, tmp_path):
    """Where this machine syncs is its own setting: a vault restored from the backup (on another
    machine, maybe) has no sync folder until its owner chooses one; the rest of the documents come."""
    from purpose_app.services import sync_setting

    (tmp_path / "shared").mkdir()
    sync_setting.choose_folder(source, str(tmp_path / "shared"))
    assert sync_setting.chosen_folder(source) == tmp_path / "shared"
    path = tmp_path / "journal.backup"
    backup.write_backup(source, path, BACKUP_PASSPHRASE, kdf.TEST)
    restored, _key, _ = backup.restore_new(tmp_path / "restored", backup.read_backup(path, BACKUP_PASSPHRASE),
                                           NEW_PASSPHRASE, kdf.TEST)  # fmt: skip
    with restored:
        assert sync_setting.chosen_folder(restored) is None
        assert not [key for key in restored.all_documents() if key[0] == "device"]
        assert restored.document("why", "statement") == source.document("why", "statement")
        assert restored.document("why", "statement")


def test_backup_with_the_vault_passphrase_opens_with_it(source, tmp_path):
    """The default protection is the vault's own passphrase; any other passphrase is WrongSecret."""
    path = tmp_path / "journal.backup"
    backup.write_backup(source, path, PASSPHRASE, kdf.TEST)
    assert len(backup.read_backup(path, PASSPHRASE).entries) == 3
    with pytest.raises(WrongSecret):
        backup.read_backup(path, BACKUP_PASSPHRASE)


def test_the_backup_file_holds_no_plaintext(made_vault, tmp_path):
    """Canary: text in entries and documents is not in the backup file (UTF-8 or UTF-16), no
    temporary file is left beside it, and only its owner can read it."""
    canary = f"canary-{uuid.uuid4().hex}"
    with made_vault.open() as opened:
        opened.add(EntryChanges(title=f"t {canary}", body=f"b {canary}\n" * 50, tags=(canary,)))
        opened.put_document("why", "statement", [{"text": canary, "written": "2024-01-01"}])
        path = tmp_path / "out" / "journal.backup"
        path.parent.mkdir()
        backup.write_backup(opened, path, BACKUP_PASSPHRASE, kdf.TEST)
    assert sorted(p.name for p in path.parent.iterdir()) == ["journal.backup"]
    assert path.stat().st_mode & 0o777 == 0o600  # ciphertext, but nobody else's business
    assert scan([path.parent, made_vault.folder], [canary]) == []
    assert canary in str(backup.read_backup(path, BACKUP_PASSPHRASE).entries)  # it really is inside


def test_restore_never_overwrites_an_existing_vault(source, made_vault, tmp_path):
    """Restoring "into a new vault" where one exists is refused before anything is written."""
    path = tmp_path / "journal.backup"
    backup.write_backup(source, path, BACKUP_PASSPHRASE, kdf.TEST)
    before = fingerprint(made_vault.folder)
    with pytest.raises(VaultUnavailable):
        backup.restore_new(
            made_vault.folder, backup.read_backup(path, BACKUP_PASSPHRASE), NEW_PASSPHRASE, kdf.TEST
        )
    assert fingerprint(made_vault.folder) == before


def test_a_restore_that_fails_half_way_leaves_no_vault(source, tmp_path, monkeypatch):
    """If storing the entries fails, the half-made new vault is removed: no vault, no leftovers."""
    path = tmp_path / "journal.backup"
    backup.write_backup(source, path, BACKUP_PASSPHRASE, kdf.TEST)
    contents = backup.read_backup(path, BACKUP_PASSPHRASE)

    def broken(self, *args, **kwargs):
        raise InvalidInput("simulated failure")

    monkeypatch.setattr(EntryRepository, "put_tombstone", broken)
    folder = tmp_path / "new"
    with pytest.raises(InvalidInput):
        backup.restore_new(folder, contents, NEW_PASSPHRASE, kdf.TEST)
    assert not folder.exists()


@pytest.mark.parametrize("damage", ["flip", "truncate", "append", "empty", "foreign"])
def test_a_damaged_backup_changes_nothing(source, made_vault, tmp_path, damage):
    """A flipped bit, a cut, appended bytes, an empty file or a file that is not a backup: InvalidInput,
    with the vault's files byte for byte as they were."""
    path = tmp_path / "journal.backup"
    backup.write_backup(source, path, BACKUP_PASSPHRASE, kdf.TEST)
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x10
    elif damage == "truncate":
        del data[-40:]
    elif damage == "append":
        data += b"more"
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(chunked.seal(b"{}", purpose="sync", key=bytes(32)))
    path.write_bytes(bytes(data))
    source.lock()
    before = fingerprint(made_vault.folder)
    with pytest.raises(InvalidInput):
        backup.read_backup(path, BACKUP_PASSPHRASE)
    assert fingerprint(made_vault.folder) == before


def test_a_wrong_passphrase_creates_nothing(source, tmp_path):
    """WrongSecret, and no vault is created anywhere."""
    path = tmp_path / "journal.backup"
    backup.write_backup(source, path, BACKUP_PASSPHRASE, kdf.TEST)
    with pytest.raises(WrongSecret):
        backup.read_backup(path, "not the backup passphrase")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "vault") == ["journal.backup"]


# -- merging ---------------------------------------------------------------------------------------


@pytest.fixture
def pair(source, tmp_path):
    """The source vault and a second vault restored from its backup (same ids), both unlocked."""
    path = tmp_path / "first.backup"
    backup.write_backup(source, path, BACKUP_PASSPHRASE, kdf.TEST)
    other, _key, _ = backup.restore_new(
        tmp_path / "other", backup.read_backup(path, BACKUP_PASSPHRASE), NEW_PASSPHRASE, kdf.TEST
    )
    yield source, other
    other.lock()


def _by_title(opened: vault.Vault) -> dict[str, object]:
    return {e.title or e.body: e for e in opened.entries(with_bodies=True)}


def test_merge_by_id_and_revision(pair, tmp_path):
    """Higher revision wins either way, new entries come in, a deletion applies to the revision it
    deleted, and an unchanged entry stays as it is."""
    here, there = pair
    ids = {e.body or str(e.energy): e.id for e in here.entries(with_bodies=True)}
    there.edit(ids["second words"], EntryChanges(body="newer over there"))  # there: rev 3 > here: rev 2
    here.edit(ids["Line one\nLine two ✓"], EntryChanges(energy=4))  # here: rev 2 > there: rev 1
    there.delete(ids["5"])
    there.add(EntryChanges(body="written over there"))
    path = tmp_path / "there.backup"
    backup.write_backup(there, path, BACKUP_PASSPHRASE, kdf.TEST)
    summary = backup.restore_merge(here, backup.read_backup(path, BACKUP_PASSPHRASE))
    outcome = summary.outcome
    assert outcome.updated == [ids["second words"]] and outcome.deleted == [ids["5"]]
    assert len(outcome.added) == 1 and outcome.conflicts == []
    bodies = {e.body for e in here.entries(with_bodies=True)}
    assert {"newer over there", "written over there"} <= bodies
    assert here.get(ids["Line one\nLine two ✓"]).energy == 4  # our higher revision was kept
    assert ids["5"] in here.tombstones()


def test_a_true_conflict_keeps_both_visibly(pair, tmp_path):
    """The same entry edited on both sides to the same revision: ours stays, theirs is added as a new
    entry titled "Conflict copy: ..." and tagged "conflict"; nothing is lost, and merging the same
    backup again adds no second copy."""
    here, there = pair
    entry_id = next(e.id for e in here.entries(with_bodies=True) if e.body == "second words")
    here.edit(entry_id, EntryChanges(title="Ours", body="our version"))
    there.edit(entry_id, EntryChanges(title="Theirs", body="their version"))
    path = tmp_path / "there.backup"
    backup.write_backup(there, path, BACKUP_PASSPHRASE, kdf.TEST)
    first = backup.restore_merge(here, backup.read_backup(path, BACKUP_PASSPHRASE)).outcome
    assert len(first.conflicts) == 1 and first.added == first.conflicts
    copy = here.get(first.conflicts[0])
    assert copy.title == "Conflict copy: Theirs" and copy.body == "their version"
    assert "conflict" in copy.tags and copy.revision == 1
    assert here.get(entry_id).body == "our version"
    again = backup.restore_merge(here, backup.read_backup(path, BACKUP_PASSPHRASE)).outcome
    assert not again.changed
    assert sum(e.title.startswith("Conflict copy") for e in here.entries()) == 1


def test_merge_adds_missing_documents_and_keeps_existing_ones(pair, tmp_path):
    """A merge never overwrites a document the vault has; it adds the ones it lacks."""
    here, there = pair
    there.put_document("why", "statement", [{"text": "their why", "written": "2024-05-01"}])
    there.put_document("favourites", "all", ["origins/first-patient"])
    path = tmp_path / "there.backup"
    backup.write_backup(there, path, BACKUP_PASSPHRASE, kdf.TEST)
    summary = backup.restore_merge(here, backup.read_backup(path, BACKUP_PASSPHRASE))
    assert summary.documents_added == 1 and summary.documents_kept == 3
    assert here.document("why", "statement")[0]["text"] == "To be there at 3 a.m."
    assert here.document("favourites", "all") == ["origins/first-patient"]


def test_a_failed_merge_changes_nothing(pair, tmp_path, monkeypatch):
    """One transaction: a failure half-way through leaves every row and every cache as it was."""
    here, there = pair
    there.add(EntryChanges(body="new over there"))
    entry_id = next(e.id for e in there.entries() if e.energy == 5)
    there.delete(entry_id)
    path = tmp_path / "there.backup"
    backup.write_backup(there, path, BACKUP_PASSPHRASE, kdf.TEST)
    contents = backup.read_backup(path, BACKUP_PASSPHRASE)
    before_rows, before_view = entry_rows(here.folder / "purpose.db"), _snapshot(here)

    def broken(self, *args, **kwargs):
        raise InvalidInput("simulated failure")

    monkeypatch.setattr(EntryRepository, "put_tombstone", broken)  # after the insert of the new entry
    with pytest.raises(InvalidInput):
        backup.restore_merge(here, contents)
    monkeypatch.undo()
    assert entry_rows(here.folder / "purpose.db") == before_rows
    assert _snapshot(here) == before_view


def test_merge_repairs_a_damaged_entry(pair, tmp_path):
    """An entry that fails its integrity check here is replaced by the backup's good copy."""
    here, there = pair
    entry_id = next(e.id for e in here.entries() if e.energy == 5)
    path = tmp_path / "there.backup"
    backup.write_backup(there, path, BACKUP_PASSPHRASE, kdf.TEST)
    folder = here.folder
    here.lock()
    flip_bit(folder / "purpose.db", "entries", "meta", "id", entry_id, 40, 3)
    with vault.unlock(folder, PASSPHRASE) as reopened:
        assert [d.entry_id for d in reopened.damaged] == [entry_id]
        outcome = backup.restore_merge(reopened, backup.read_backup(path, BACKUP_PASSPHRASE)).outcome
        assert outcome.updated == [entry_id]
        assert reopened.damaged == [] and reopened.get(entry_id).energy == 5


def test_progress_is_reported_while_writing_and_reading(unlocked, tmp_path):
    """A large backup reports its running count when written and when read."""
    moment = datetime(2024, 1, 1, tzinfo=IST)
    unlocked.import_entries(
        [build_entry(str(uuid.uuid4()), moment, moment, 1, EntryChanges(body=f"e{i}")) for i in range(450)]
    )
    written: list[tuple[int, int]] = []
    read: list[tuple[int, int]] = []
    path = tmp_path / "big.backup"
    backup.write_backup(
        unlocked, path, BACKUP_PASSPHRASE, kdf.TEST, progress=lambda d, t: written.append((d, t))
    )
    backup.read_backup(path, BACKUP_PASSPHRASE, progress=lambda d, t: read.append((d, t)))
    assert written == [(200, 450), (400, 450), (450, 450)]
    assert read[:2] == [(200, 0), (400, 0)] and read[-1] == (450, 450)


def test_a_backup_marks_its_versions_as_exchanged(source, tmp_path):
    """After a backup, the sync state knows every version in it (a restored copy holds them)."""
    backup.write_backup(source, tmp_path / "b.backup", BACKUP_PASSPHRASE, kdf.TEST)
    lineage = sync.load_state(source)["lineage"]
    tokens = source.tokens()
    assert all(tokens.token(e) in lineage[e.id] for e in source.entries(with_bodies=True))
    assert set(source.tombstones()) <= set(lineage)


def test_backup_cannot_be_written_to_a_missing_folder(source, tmp_path):
    """An unwritable place is InvalidInput, and no partial file is left."""
    with pytest.raises(InvalidInput):
        backup.write_backup(source, tmp_path / "missing" / "b.backup", BACKUP_PASSPHRASE, kdf.TEST)
    assert not (tmp_path / "missing").exists()


def test_a_short_backup_passphrase_is_refused(source, tmp_path):
    """A separate backup passphrase follows the vault's rule (at least 8 characters)."""
    with pytest.raises(InvalidInput):
        backup.write_backup(source, tmp_path / "b.backup", "short", kdf.TEST)
    assert not list(Path(tmp_path).glob("b.backup*"))


def test_a_backup_of_a_partly_damaged_vault_says_what_it_left_out(made_vault, tmp_path):
    """An entry that fails its integrity check cannot be backed up: the rest is, and the summary
    counts the one left out."""
    with made_vault.open() as opened:
        kept = opened.add(EntryChanges(body="readable"))
        broken = opened.add(EntryChanges(body="soon damaged"))
    flip_bit(made_vault.db, "entries", "title", "id", broken.id, 20, 2)
    with made_vault.open() as opened:
        summary = backup.write_backup(opened, tmp_path / "b.backup", BACKUP_PASSPHRASE, kdf.TEST)
    assert (summary.entries, summary.damaged) == (1, 1)
    assert [e.id for e in backup.read_backup(tmp_path / "b.backup", BACKUP_PASSPHRASE).entries] == [kept.id]


@pytest.mark.parametrize("mask", [0o022, 0o000])
def test_a_backup_is_owner_only_whatever_the_umask(source, tmp_path, mask):
    """Written through the one private-file writer: mode 0600 under a permissive umask or none."""
    old = os.umask(mask)
    try:
        backup.write_backup(source, tmp_path / "b.backup", BACKUP_PASSPHRASE, kdf.TEST)
    finally:
        os.umask(old)
    assert (tmp_path / "b.backup").stat().st_mode & 0o777 == 0o600


def test_a_failed_backup_leaves_the_old_one_and_no_partial_file(source, tmp_path, monkeypatch):
    """The rename fails: the previous backup is untouched and still opens, nothing else is left
    beside it, the message says what happened, and the sync state is not marked as exchanged."""
    path = tmp_path / "b.backup"
    backup.write_backup(source, path, BACKUP_PASSPHRASE, kdf.TEST)
    before = path.read_bytes()
    source.add(EntryChanges(body="written after the first backup"))
    state = source.document(*sync.STATE)

    def refuse(_source, _target):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(private_file.os, "replace", refuse)
    with pytest.raises(InvalidInput) as caught:
        backup.write_backup(source, path, BACKUP_PASSPHRASE, kdf.TEST)
    assert (
        caught.value.message == f"Could not write {path}: Permission denied. Choose another place with --out."
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == ["b.backup"]
    assert source.document(*sync.STATE) == state
    assert len(backup.read_backup(path, BACKUP_PASSPHRASE).entries) == 3
