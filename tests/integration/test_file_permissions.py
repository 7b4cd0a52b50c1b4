"""Owner-only files whatever the umask: the vault folder 0700, the vault file and its -wal/-shm 0600."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE

from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.errors import VaultUnavailable
from purpose_app.services import backup, sync, vault
from purpose_app.storage.location import DATABASE_NAME

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
BACKUP_PASSPHRASE = "a separate backup passphrase"


@pytest.fixture(autouse=True)
def _permissive_umask() -> Iterator[None]:
    """The usual desktop umask, under which files are made readable by everyone unless asked not to."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    """The folder's mode under "." and every file's in it."""
    return {".": _mode(folder), **{p.name: _mode(p) for p in folder.iterdir()}}


def owner_only(folder: Path) -> bool:
    found = modes(folder)
    return found.pop(".") == 0o700 and all(mode == 0o600 for mode in found.values())


def test_a_new_vault_is_owner_only(tmp_path):
    """Created under umask 022: the folder is 0700 and the vault file 0600 (they would be 0755 and
    0644 if SQLite and mkdir were left to the umask)."""
    folder = tmp_path / "deep" / "vault"
    opened, _key = vault.create(folder, PASSPHRASE, kdf.TEST)
    opened.lock()
    assert modes(folder) == {".": 0o700, DATABASE_NAME: 0o600}


def test_every_file_stays_owner_only_while_writing_and_after_lock(tmp_path):
    """The -wal and -shm files that writing creates are 0600 like the vault file, and so is
    everything left after lock."""
    folder = tmp_path / "vault"
    opened, _key = vault.create(folder, PASSPHRASE, kdf.TEST)
    with opened:
        for number in range(20):
            opened.add(EntryChanges(body=f"entry {number}"))
        opened.put_document("why", "statement", [{"text": "To be there", "written": "2024-01-01"}])
        found = modes(folder)
        assert {DATABASE_NAME, f"{DATABASE_NAME}-wal", f"{DATABASE_NAME}-shm"} <= set(found)
        assert owner_only(folder), found
    assert owner_only(folder), modes(folder)
    with vault.unlock(folder, PASSPHRASE) as again:
        again.add(EntryChanges(body="after a second unlock"))
        assert owner_only(folder), modes(folder)


def test_a_vault_restored_from_a_backup_is_owner_only(made_vault, tmp_path):
    """A restore into a new folder makes the same owner-only vault as a create does."""
    with made_vault.open() as opened:
        opened.add(EntryChanges(body="backed up"))
        backup.write_backup(opened, tmp_path / "b.backup", BACKUP_PASSPHRASE, kdf.TEST)
    folder = tmp_path / "restored"
    contents = backup.read_backup(tmp_path / "b.backup", BACKUP_PASSPHRASE)
    restored, _key, _ = backup.restore_new(folder, contents, NEW_PASSPHRASE, kdf.TEST)
    with restored:
        restored.add(EntryChanges(body="written after the restore"))
        assert owner_only(folder), modes(folder)
    assert owner_only(folder), modes(folder)


def test_an_existing_readable_vault_is_tightened_when_opened(made_vault):
    """A vault made by an earlier release (folder 0755, files 0644, -wal and -shm included) is
    owner-only from its next unlock on, and its entries are all still there."""
    with made_vault.open() as opened:
        opened.add(EntryChanges(body="from before"))
        for side in ("", "-wal", "-shm"):
            os.chmod(made_vault.folder / f"{DATABASE_NAME}{side}", 0o644)
        os.chmod(made_vault.folder, 0o755)
        opened.add(EntryChanges(body="still writing"))
    os.chmod(made_vault.db, 0o644)
    with made_vault.open() as reopened:
        assert owner_only(made_vault.folder), modes(made_vault.folder)
        assert {e.body for e in reopened.entries(with_bodies=True)} == {"from before", "still writing"}


def test_a_folder_holding_other_files_keeps_its_mode(tmp_path):
    """A vault placed in a folder the person also uses for other things: the vault's own files are
    tightened, the folder's mode is theirs to choose."""
    folder = tmp_path / "documents"
    folder.mkdir(mode=0o755)
    (folder / "notes.txt").write_text("not Purpose's")
    opened, _key = vault.create(folder, PASSPHRASE, kdf.TEST)
    opened.lock()
    assert _mode(folder) == 0o755
    assert _mode(folder / DATABASE_NAME) == 0o600
    assert _mode(folder / "notes.txt") == 0o644


def test_an_existing_empty_folder_is_tightened_on_create(tmp_path):
    """An empty folder made beforehand (e.g. with mkdir) holds only Purpose's files after create:
    it becomes 0700."""
    folder = tmp_path / "made-by-hand"
    folder.mkdir(mode=0o755)
    opened, _key = vault.create(folder, PASSPHRASE, kdf.TEST)
    opened.lock()
    assert modes(folder) == {".": 0o700, DATABASE_NAME: 0o600}


def test_a_read_only_vault_file_stays_read_only(made_vault):
    """Only the group's and others' bits are taken away: a vault file its owner made read-only (0444)
    becomes 0400, never silently writable (an ordinary user is then told it is read-only; root may
    write anyway)."""
    os.chmod(made_vault.db, 0o444)
    try:
        with contextlib.suppress(VaultUnavailable):
            made_vault.open().lock()
        assert _mode(made_vault.db) == 0o400
    finally:
        os.chmod(made_vault.db, 0o600)


def test_sync_change_files_are_owner_only(made_vault, tmp_path):
    """The encrypted change files a sync writes into the shared folder are 0600 too."""
    shared = tmp_path / "synced"
    shared.mkdir()
    with made_vault.open() as opened:
        opened.add(EntryChanges(body="to send"))
        report = sync.sync(opened, shared)
    assert report.sent is not None
    assert _mode(shared / sync.SUBFOLDER / report.sent) == 0o600
