"""Restore and the report in the Data view-model: a backup's bytes become a new journal or merge into
this one; a wrong passphrase or a broken file changes nothing; the report is a PDF of the period."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE, MadeVault

from purpose_app import messages
from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.errors import InvalidInput, WrongSecret
from purpose_app.services import vault
from purpose_app.services.session import Session
from purpose_app.ui.data_model import DataModel, import_report

BACKUP_PASS = "a backup passphrase for nights"


def backup_of(session: Session, *bodies: str) -> bytes:
    for body in bodies:
        session.require().add(EntryChanges(body=body))
    data, _count = DataModel(session).backup_bytes(BACKUP_PASS, BACKUP_PASS)
    return data


def test_a_backup_restores_into_a_new_journal(session: Session, tmp_path: Path) -> None:
    """Restore on the welcome screen makes a new vault with the backup's entries, opened with the new
    passphrase, and gives its new recovery key."""
    data = backup_of(session, "canary-restore-1 held a hand", "second night")
    fresh = Session(tmp_path / "new-device", kdf_params=kdf.TEST)
    steps: list[int] = []
    restored = DataModel(fresh).restore_new(
        data, "purpose-backup.backup", BACKUP_PASS, NEW_PASSPHRASE, NEW_PASSPHRASE, progress=steps.append
    )
    assert restored.words == "Restored 2 entries into a new journal."
    assert restored.recovery_key and fresh.unlocked
    fresh.lock()
    reopened = vault.unlock(tmp_path / "new-device", NEW_PASSPHRASE)
    try:
        assert sorted(e.body for e in reopened.entries(with_bodies=True)) == [
            "canary-restore-1 held a hand",
            "second night",
        ]
    finally:
        reopened.lock()


def test_a_wrong_backup_passphrase_leaves_no_vault(session: Session, tmp_path: Path) -> None:
    """A wrong backup passphrase is said plainly and no vault file is left in the new place."""
    data = backup_of(session, "kept safe")
    fresh = Session(tmp_path / "elsewhere", kdf_params=kdf.TEST)
    with pytest.raises(WrongSecret) as caught:
        DataModel(fresh).restore_new(data, "b.backup", "not it", NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert caught.value.message == messages.WRONG_BACKUP_PASSPHRASE
    assert not fresh.exists and not fresh.unlocked


def test_a_broken_file_names_the_chosen_file_not_a_temporary_one(session: Session, tmp_path: Path) -> None:
    """A file that is not a backup is refused naming the picked file; nothing is created."""
    fresh = Session(tmp_path / "elsewhere", kdf_params=kdf.TEST)
    with pytest.raises(InvalidInput) as caught:
        DataModel(fresh).restore_new(b"not a backup", "notes.txt", "pass", NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert caught.value.message.startswith('"notes.txt" cannot be restored')
    assert "purpose-restore-" not in caught.value.message
    assert not fresh.exists


def test_restoring_new_over_an_existing_journal_is_refused(session: Session, made_vault: MadeVault) -> None:
    """Where a journal already is, a new-vault restore changes nothing and says so."""
    data = backup_of(session, "only one")
    locked = Session(made_vault.folder, kdf_params=kdf.TEST)
    with pytest.raises(InvalidInput) as caught:
        DataModel(locked).restore_new(data, "b.backup", BACKUP_PASS, NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert "already a Purpose vault" in caught.value.message
    assert vault.unlock(made_vault.folder, PASSPHRASE).count() == 1


def test_different_new_passphrases_are_refused_first(session: Session, tmp_path: Path) -> None:
    """The new passphrase and its confirmation must match; nothing is created."""
    data = backup_of(session, "x")
    fresh = Session(tmp_path / "n", kdf_params=kdf.TEST)
    with pytest.raises(InvalidInput) as caught:
        DataModel(fresh).restore_new(data, "b.backup", BACKUP_PASS, NEW_PASSPHRASE, "other words")
    assert caught.value.message == messages.PASSPHRASES_DIFFER
    assert not fresh.exists


def test_merge_keeps_what_was_written_since(session: Session, made_vault: MadeVault) -> None:
    """Merging an older backup keeps the entry written after it and says what changed, in words."""
    data = backup_of(session, "canary-merge-old")
    opened = session.require()
    opened.delete(opened.entries()[0].id)
    opened.add(EntryChanges(body="canary-merge-new"))
    restored = DataModel(session).restore_merge(data, "b.backup", BACKUP_PASS)
    assert restored.recovery_key is None and restored.words.startswith("Merged the backup:")
    fresh = made_vault.open()
    try:
        assert {e.body for e in fresh.entries(with_bodies=True)} >= {"canary-merge-new"}
    finally:
        fresh.lock()


def test_merge_with_a_wrong_passphrase_changes_nothing(session: Session, made_vault: MadeVault) -> None:
    """A wrong passphrase on merge is said plainly; the journal keeps exactly its entries."""
    data = backup_of(session, "one", "two")
    session.require().add(EntryChanges(body="three"))
    with pytest.raises(WrongSecret):
        DataModel(session).restore_merge(data, "b.backup", "wrong")
    fresh = made_vault.open()
    try:
        assert fresh.count() == 3
    finally:
        fresh.lock()


def test_the_report_is_a_pdf_of_the_chosen_period(session: Session) -> None:
    """The report is PDF bytes named after its period; excerpts put the words in, only when asked."""
    session.require().add(
        EntryChanges(body="canary report words", energy=6), datetime(2024, 3, 1, 12, tzinfo=UTC)
    )
    model = DataModel(session)
    plain = model.report(30, with_excerpts=False, today=date(2024, 3, 10))
    assert plain.data.startswith(b"%PDF") and plain.pages >= 1
    assert plain.file_name == "purpose-report-2024-02-10-to-2024-03-10.pdf"
    with_words = model.report(30, with_excerpts=True, today=date(2024, 3, 10))
    assert len(with_words.data) > len(plain.data)
    assert [days for days, _label in model.report_periods()] == ["30", "90", "365"]


def test_a_jrnl_text_journal_is_imported_through_the_app(session: Session, made_vault: MadeVault) -> None:
    """A jrnl plain-text journal's entries reach the vault with their titles and bodies."""
    text = b"[2024-03-01 22:10] Night.\nHeld a hand.\n\n[2024-03-02 07:30] Morning.\nHandover.\n"
    summary = DataModel(session).import_bytes("jrnl-txt", text)
    assert len(summary.added) == 2
    opened = made_vault.open()
    try:
        assert sorted((e.title, e.body) for e in opened.entries(with_bodies=True)) == [
            ("Morning.", "Handover."),
            ("Night.", "Held a hand."),
        ]
    finally:
        opened.lock()


def test_a_day_one_zip_is_imported_and_photos_counted(session: Session, made_vault: MadeVault) -> None:
    """A Day One ZIP's entries reach the vault; the photo file beside them is never stored."""
    journal = {"entries": [{"uuid": "B2", "creationDate": "2020-01-01T12:00:00Z", "text": "canary-dayone"}]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Journal.json", json.dumps({"metadata": {"version": "1.0"}, **journal}))
        archive.writestr("photos/0123abcd.jpeg", b"\xff\xd8 not really a jpeg")
    summary = DataModel(session).import_bytes("dayone", buffer.getvalue())
    assert import_report(summary).startswith("Imported 1 entry")
    opened = made_vault.open()
    try:
        assert [e.body for e in opened.entries(with_bodies=True)] == ["canary-dayone"]
    finally:
        opened.lock()
