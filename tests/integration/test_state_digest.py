"""The vault notices what was taken away: a deleted row, or an older copy of a row put back (entries,
tombstones, documents, pages) is refused at unlock with a plain message, writing nothing; normal use
(and an older vault's first unlock) never raises that alarm."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE, MadeVault
from promise_helpers import raw_db, read_value
from state_helpers import accept_changes

from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges, build_entry
from purpose_app.errors import PurposeError, VaultDamaged
from purpose_app.services import backup, journal_cache, sync, vault
from purpose_app.services.session import Session
from purpose_app.services.unlock_throttle import UnlockThrottle
from purpose_app.storage import migrate, state_digest

FIXTURES = Path(__file__).parent.parent / "fixtures"
REMOVED = "An entry or record was removed from this journal's file"


def _file_hash(folder: Path) -> str:
    return hashlib.sha256((folder / "purpose.db").read_bytes()).hexdigest()


def _refused(folder: Path, words: str = REMOVED) -> None:
    """Unlocking raises VaultDamaged (exit 4) saying what happened and what to do, and writes nothing;
    it says so every time (the failed open changed nothing that would quiet it)."""
    before = _file_hash(folder)
    for _ in range(2):
        with pytest.raises(VaultDamaged) as caught:
            vault.unlock(folder, PASSPHRASE)
        assert caught.value.exit_code == 4
        assert words in caught.value.message
        assert "restore your journal from your most recent backup" in caught.value.message
        assert _file_hash(folder) == before


def _row(db: Path, table: str, key: str, value: object) -> tuple[object, ...]:
    with raw_db(db) as conn:
        row = conn.execute(f"SELECT * FROM {table} WHERE {key} = ?", (value,)).fetchone()
    assert row is not None
    return tuple(row)


def _put_back(db: Path, table: str, row: tuple[object, ...]) -> None:
    """A whole older row written back over the current one (or back into the table)."""
    marks = ",".join("?" * len(row))
    with raw_db(db) as conn:
        conn.execute(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", row)


@pytest.fixture
def journal(made_vault: MadeVault) -> tuple[MadeVault, list[str]]:
    """A vault with three entries (one edited), one deleted entry and a "why" saved twice."""
    with made_vault.open() as opened:
        ids = [opened.add(EntryChanges(title=f"t{i}", body=f"body {i}")).id for i in range(4)]
        opened.edit(ids[0], EntryChanges(body="body 0, edited"))
        opened.delete(ids[3])
        opened.put_document("why", "mine", {"text": "to stay kind"})
        opened.put_document("why", "mine", {"text": "to stay kind, and curious"})
    return made_vault, ids


def test_a_deleted_entry_row_is_refused(journal):
    """An entry's row deleted from the file: the vault does not open, and says what to do."""
    made, ids = journal
    with raw_db(made.db) as conn:
        conn.execute("DELETE FROM entries WHERE id = ?", (ids[1],))
    _refused(made.folder)


def test_a_deleted_tombstone_is_refused(journal):
    """The record of a deletion removed (which would let a merge bring the entry back): refused."""
    made, ids = journal
    with raw_db(made.db) as conn:
        assert conn.execute("DELETE FROM tombstones WHERE id = ?", (ids[3],)).rowcount == 1
    _refused(made.folder)


def test_a_deleted_entry_put_back_is_refused(journal):
    """A deleted entry's row put back from a copy of the file made before the deletion: refused."""
    made, ids = journal
    before = _row(made.db, "entries", "id", ids[2])
    with made.open() as opened:
        opened.delete(ids[2])
    _put_back(made.db, "entries", before)
    _refused(made.folder)


def test_an_older_entry_row_put_back_whole_is_refused(journal, tmp_path):
    """An entry's whole row (revision, blobs, stamp) from a copy of the file taken before an edit."""
    made, ids = journal
    before = _row(made.db, "entries", "id", ids[1])
    with made.open() as opened:
        opened.edit(ids[1], EntryChanges(body="body 1, second thoughts"))
    _put_back(made.db, "entries", before)
    _refused(made.folder)


def test_an_older_document_row_put_back_is_refused(journal):
    """The "why" rolled back to its first version (its whole older row put back): refused."""
    made, _ids = journal
    with raw_db(made.db) as conn:
        (row_id,) = conn.execute("SELECT id FROM documents").fetchone()
    before = _row(made.db, "documents", "id", row_id)
    with made.open() as opened:
        opened.put_document("why", "mine", {"text": "a third version"})
    _put_back(made.db, "documents", before)
    _refused(made.folder)


def test_a_deleted_document_is_refused(journal):
    """A setting or record deleted from the file (e.g. trusted signers): refused."""
    made, _ids = journal
    with raw_db(made.db) as conn:
        assert conn.execute("DELETE FROM documents").rowcount == 1
    _refused(made.folder)


def test_a_row_crafted_to_stand_in_for_a_deleted_one_is_refused(journal):
    """One tombstone deleted, another's id rewritten so that its element reads as both (the
    separators inside it): the digest's elements would match, but a row never gives two: refused."""
    made, ids = journal
    with made.open() as opened:
        opened.delete(ids[2])
    with raw_db(made.db) as conn:
        (gone_rev,) = conn.execute("SELECT revision FROM tombstones WHERE id = ?", (ids[3],)).fetchone()
        conn.execute("DELETE FROM tombstones WHERE id = ?", (ids[3],))
        forged = f"{ids[3]}\x1f{gone_rev}\x1e{ids[2]}"
        conn.execute("UPDATE tombstones SET id = ? WHERE id = ?", (forged, ids[2]))
    _refused(made.folder)


def test_the_recorded_state_itself_removed_is_refused(journal):
    """Deleting the sealed record of the state does not switch the check off."""
    made, _ids = journal
    with raw_db(made.db) as conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (state_digest.META_KEY,))
    _refused(made.folder, "is missing")


def test_the_recorded_state_from_another_copy_is_refused(journal, tmp_path):
    """The sealed record copied from an older copy of the file, to match rolled-back rows: refused
    unless everything else was rolled back with it (a whole-file rollback, SECURITY.md)."""
    made, ids = journal
    old_record = read_value(made.db, "meta", "value", "key", state_digest.META_KEY)
    old_row = _row(made.db, "entries", "id", ids[1])
    with made.open() as opened:
        opened.edit(ids[1], EntryChanges(body="later words"))
        opened.add(EntryChanges(body="a later entry"))
    _put_back(made.db, "entries", old_row)
    _put_back(made.db, "meta", (state_digest.META_KEY, old_record))
    _refused(made.folder)


def test_the_cli_exits_4_with_the_message(journal, run_cli):
    """`purpose list` on a vault with a row taken away: exit 4, the plain message, nothing printed."""
    made, ids = journal
    with raw_db(made.db) as conn:
        conn.execute("DELETE FROM entries WHERE id = ?", (ids[0],))
    result = run_cli("list", env={"PURPOSE_VAULT": str(made.folder)})
    assert result.code == 4
    assert REMOVED in result.err
    assert result.out == ""


def test_the_app_shows_the_message_and_stays_locked(journal):
    """The app's unlock (a session) raises the same plain message, which its unlock screen shows as
    the error; the journal stays locked and it is not counted as a wrong passphrase."""
    made, ids = journal
    with raw_db(made.db) as conn:
        conn.execute("DELETE FROM entries WHERE id = ?", (ids[0],))
    tab = Session(made.folder, throttle=UnlockThrottle())
    with pytest.raises(VaultDamaged, match=REMOVED):
        tab.unlock(PASSPHRASE)
    assert not tab.unlocked
    assert tab.throttle.wrong_tries(made.folder) == 0


# -- pages -------------------------------------------------------------------------------------------


@pytest.fixture
def paged(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> MadeVault:
    """30 imported entries gathered into pages of 8."""
    monkeypatch.setattr(journal_cache, "MIN_PAGED", 20)
    monkeypatch.setattr(journal_cache, "PAGE_FILL", 10)
    monkeypatch.setattr(journal_cache, "PAGE_SIZE", 8)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    entries = [
        build_entry(str(uuid.UUID(int=i + 1)), start + timedelta(hours=i), start + timedelta(hours=i), 1,
                    EntryChanges(title=f"day {i}", body=f"words {i}"))
        for i in range(30)
    ]  # fmt: skip
    with made_vault.open() as opened:
        opened.import_entries(entries)
    with raw_db(made_vault.db) as conn:
        assert conn.execute("SELECT count(*) FROM entry_pages").fetchone()[0] == 4
    return made_vault


def _page_of(db: Path, entry_id: str) -> tuple[object, ...]:
    with raw_db(db) as conn:
        (page_id,) = conn.execute("SELECT page FROM entries WHERE id = ?", (entry_id,)).fetchone()
    return _row(db, "entry_pages", "id", page_id)


def test_an_older_page_put_back_is_refused(paged):
    """A page rewritten when one of its entries was edited; its older copy put back whole: refused."""
    target = str(uuid.UUID(int=5))
    before = _page_of(paged.db, target)
    with paged.open() as opened:
        opened.edit(target, EntryChanges(body="new words"))
    assert _row(paged.db, "entry_pages", "id", before[0]) != before
    _put_back(paged.db, "entry_pages", before)
    _refused(paged.folder)


def test_a_deleted_page_is_refused(paged):
    """A page deleted from the file is a row taken away too."""
    with raw_db(paged.db) as conn:
        conn.execute("DELETE FROM entry_pages WHERE id = (SELECT min(id) FROM entry_pages)")
    _refused(paged.folder)


def test_an_older_page_value_under_the_current_stamp_is_not_read(paged):
    """Only the sealed value of an older page put back (its stamp left current): the digest matches,
    but the seal is bound to the stamp, so the page does not open and its entries are read from their
    rows: nothing old is shown, nothing is missing."""
    target = str(uuid.UUID(int=5))
    old_value = _page_of(paged.db, target)[1]
    with paged.open() as opened:
        opened.edit(target, EntryChanges(body="new words"))
    page_id = _page_of(paged.db, str(uuid.UUID(int=6)))[0]
    with raw_db(paged.db) as conn:
        conn.execute("UPDATE entry_pages SET value = ? WHERE id = ?", (old_value, page_id))
    with paged.open() as opened:
        assert opened.count() == 30 and opened.damaged == []
        assert page_id in opened._cache.failed_pages
        assert opened.get(target).body == "new words"


# -- never a false alarm -----------------------------------------------------------------------------


def test_everyday_use_never_raises_the_alarm(paged, tmp_path):
    """Adds, edits, deletes, documents, a failed transaction, an import, a backup merged back, a sync,
    two windows writing in turn, pages gathered at lock: every unlock opens."""
    with paged.open() as first, paged.open() as second:
        added = first.add(EntryChanges(body="from the first window"))
        second.edit(str(uuid.UUID(int=3)), EntryChanges(body="from the second window"))
        first.edit(added.id, EntryChanges(body="edited"))
        second.delete(str(uuid.UUID(int=4)))
        first.put_document("settings", "app", {"autolock_minutes": 5})
        first.delete_document("settings", "app")
        with pytest.raises(RuntimeError), first.transaction() as tx:
            tx.add(EntryChanges(body="never saved"))
            tx.put_document("why", "mine", {"text": "never saved"})
            raise RuntimeError("a failure half-way")
    with paged.open() as opened:
        assert opened.count() == 30
        backup.write_backup(opened, tmp_path / "b.purpose-backup", PASSPHRASE, kdf.TEST)
        opened.delete(str(uuid.UUID(int=7)))
        opened.add(EntryChanges(body="after the backup"))
        backup.restore_merge(opened, backup.read_backup(tmp_path / "b.purpose-backup", PASSPHRASE))
        for i in range(12):  # enough outside pages to gather a new one at lock
            opened.add(EntryChanges(body=f"more {i}"))
        expected = opened.count()
    changes = tmp_path / "sync"
    changes.mkdir()
    with paged.open() as opened:
        sync.sync(opened, changes)
    with paged.open() as opened:
        assert opened.count() == expected
        assert opened.damaged == []
    with raw_db(paged.db) as conn:
        assert conn.execute("SELECT count(*) FROM entries WHERE page IS NULL").fetchone()[0] < 10


def test_a_new_vault_opens_and_a_failed_save_leaves_the_state_whole(made_vault, monkeypatch):
    """A brand-new vault gets its record at once; a save that fails half-way (after its rows were
    written) is rolled back with its digest change: the next unlock opens."""
    with made_vault.open() as opened:
        opened.add(EntryChanges(body="kept"))
        real_flush = state_digest.StateDigest.flush

        def failing_flush(self: state_digest.StateDigest) -> None:
            real_flush(self)
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(state_digest.StateDigest, "flush", failing_flush)
        with pytest.raises((PurposeError, sqlite3.OperationalError)):
            opened.add(EntryChanges(body="lost"))
        monkeypatch.setattr(state_digest.StateDigest, "flush", real_flush)
    with made_vault.open() as opened:
        assert [e.body for e in opened.entries(with_bodies=True)] == ["kept"]


def test_an_older_vault_gets_its_record_at_first_unlock_and_is_guarded_after(tmp_path):
    """The golden vault of format 1 (no record of its state): opens, upgraded, with its record in the
    same transaction; from then on a row taken away is refused."""
    import json

    folder = tmp_path / "golden"
    shutil.copytree(FIXTURES / "golden-v1", folder)
    secret = json.loads((FIXTURES / "golden-v1.json").read_text(encoding="utf-8"))["passphrase"]
    with raw_db(folder / "purpose.db") as conn:
        assert conn.execute(
            "SELECT count(*) FROM meta WHERE key = ?", (state_digest.META_KEY,)
        ).fetchone() == (0,)
    with vault.unlock(folder, secret) as opened:
        count = opened.count()
        assert count > 0 and opened.damaged == []
    with closing(sqlite3.connect(folder / "purpose.db")) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrate.HEAD
        assert conn.execute(
            "SELECT count(*) FROM meta WHERE key = ?", (state_digest.META_KEY,)
        ).fetchone() == (1,)
    with vault.unlock(folder, secret) as opened:
        assert opened.count() == count
    with raw_db(folder / "purpose.db") as conn:
        conn.execute("DELETE FROM entries WHERE id = (SELECT min(id) FROM entries)")
    with pytest.raises(VaultDamaged, match=REMOVED):
        vault.unlock(folder, secret)


def test_accepting_changes_on_purpose_reopens(journal):
    """The test helper that re-records the state (for tests that edit the file on purpose) works:
    the same deletion, accepted, opens with one entry fewer."""
    made, ids = journal
    with raw_db(made.db) as conn:
        conn.execute("DELETE FROM entries WHERE id = ?", (ids[1],))
    accept_changes(made.folder, PASSPHRASE)
    with made.open() as opened:
        assert opened.count() == 2
