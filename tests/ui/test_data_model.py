"""The Data view-model (in Settings): a jrnl file's entries reach the vault, a second import stores
nothing twice, a broken file stores nothing, the readable export and the encrypted backup hold them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import MadeVault

from purpose_app import messages
from purpose_app.domain.entry import EntryChanges
from purpose_app.errors import InvalidInput, PurposeError
from purpose_app.interchange import formats
from purpose_app.services import journal
from purpose_app.services.backup import read_backup
from purpose_app.services.session import Session
from purpose_app.ui.data_model import DataModel, import_report

JRNL = json.dumps(
    {
        "tags": {"@night": 1},
        "entries": [
            {"title": "Night", "body": "Held a hand.", "date": "2024-03-01", "time": "22:10",
             "tags": ["@night"], "starred": False},
            {"title": "Morning", "body": "Handover went well.", "date": "2024-03-02", "time": "07:30",
             "tags": [], "starred": True},
        ],
    }
).encode()  # fmt: skip


def stored_texts(made_vault: MadeVault) -> list[tuple[str, str]]:
    """(title, body) of every entry as a fresh unlock reads them, oldest first."""
    opened = made_vault.open()
    try:
        return sorted((e.title, e.body) for e in opened.entries(with_bodies=True))
    finally:
        opened.lock()


def test_an_imported_jrnl_files_entries_are_in_the_vault(session: Session, made_vault: MadeVault) -> None:
    """Importing a jrnl JSON export stores its two entries, titles and bodies as written."""
    counted: list[int] = []
    summary = DataModel(session).import_bytes("jrnl-json", JRNL, progress=counted.append)
    assert len(summary.added) == 2
    assert stored_texts(made_vault) == [("Morning", "Handover went well."), ("Night", "Held a hand.")]
    assert import_report(summary) == "Imported 2 entries."


def test_importing_the_same_file_twice_stores_nothing_new(session: Session, made_vault: MadeVault) -> None:
    """The second import adds nothing and says the entries were already here."""
    model = DataModel(session)
    model.import_bytes("jrnl-json", JRNL)
    again = model.import_bytes("jrnl-json", JRNL)
    assert again.added == () and len(again.skipped) == 2
    assert import_report(again) == "Imported 0 entries; 2 were already here."
    assert len(stored_texts(made_vault)) == 2


def test_a_broken_file_stores_nothing(session: Session, made_vault: MadeVault) -> None:
    """A file that is not JSON is refused with a calm message; the vault stays empty."""
    with pytest.raises(PurposeError) as caught:
        DataModel(session).import_bytes("jrnl-json", b"not json")
    assert "Nothing was imported" in caught.value.message
    assert stored_texts(made_vault) == []


def test_the_readable_export_holds_every_entry(session: Session) -> None:
    """A Markdown export is one file named purpose-journal.md holding the stored entries' words."""
    session.require().add(EntryChanges(title="Ward round", body="Quiet night on the ward."))
    export = DataModel(session).export("markdown", now=datetime(2024, 3, 3, tzinfo=UTC))
    assert export.file_name == "purpose-journal.md" and export.count == 1
    assert b"Quiet night on the ward." in export.data
    assert DataModel(session).export("json").file_name == "purpose-journal.json"


def test_an_export_read_in_batches_is_the_whole_journal_oldest_first(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read a few entries at a time (as 500 are at 50,000), the export is still every entry once,
    oldest first: the same bytes as rendering the whole list, for Markdown and JSON alike."""
    monkeypatch.setattr(journal, "_BATCH", 3)
    vault = session.require()
    start = datetime(2024, 3, 1, 6, tzinfo=UTC)
    for n in (4, 0, 7, 2, 1, 6, 3, 5):  # saved out of order
        vault.add(EntryChanges(title=f"Shift {n}", body=f"Night {n}.", created=start + timedelta(days=n)))
    now = datetime(2024, 3, 30, tzinfo=UTC)
    for name in ("markdown", "json"):
        export = DataModel(session).export(name, now=now)
        whole = formats.render(name, vault.entries(with_bodies=True), per_year=False, now=now)
        assert export.count == 8
        assert export.data == whole[None]
    text = DataModel(session).export("markdown", now=now).data.decode()
    assert [text.index(f"Night {n}.") for n in range(8)] == sorted(
        text.index(f"Night {n}.") for n in range(8)
    )


def test_the_backup_is_encrypted_and_restores(session: Session, tmp_path: Path) -> None:
    """The backup's bytes hide the entry text and restore it with the backup passphrase."""
    session.require().add(EntryChanges(body="canary-data-model-41 calm"))
    model = DataModel(session)
    with pytest.raises(InvalidInput) as caught:
        model.backup_bytes("a backup passphrase", "another one")
    assert caught.value.message == messages.PASSPHRASES_DIFFER
    data, count = model.backup_bytes("a backup passphrase", "a backup passphrase")
    assert count == 1 and b"canary-data-model-41" not in data
    path = tmp_path / "app.backup"
    path.write_bytes(data)
    assert [e.body for e in read_backup(path, "a backup passphrase").entries] == ["canary-data-model-41 calm"]
    assert model.backup_file_name(datetime(2024, 5, 6, 12, tzinfo=UTC)) == "purpose-backup-2024-05-06.backup"


def test_the_choices_name_every_format(session: Session) -> None:
    """The dropdowns offer every importer and exporter, with the short names people know."""
    model = DataModel(session)
    assert ("jrnl-json", "jrnl (JSON export)") in model.import_choices()
    assert ("dayone", "Day One (ZIP or JSON)") in model.import_choices()
    assert [k for k, _ in model.export_choices()] == ["markdown", "json"]
