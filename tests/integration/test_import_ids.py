"""Imported entries get ids keyed by their vault: nothing about an entry can be confirmed from its id."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import PASSPHRASE

from purpose_app.crypto import kdf
from purpose_app.interchange.records import stable_id
from purpose_app.services import transfer, vault

SHORT = "Cried in the car."  # the kind of short entry someone might try to confirm by its id


def _jrnl_file(folder: Path) -> Path:
    path = folder / "export.json"
    entries = [
        {"date": "2024-03-01", "time": "21:30", "title": "After clinic", "body": SHORT, "tags": []},
        {"date": "2024-03-02", "time": "07:10", "title": "Morning", "body": "Coffee with Sam.", "tags": []},
    ]
    path.write_text(json.dumps({"tags": {}, "entries": entries}), encoding="utf-8")
    return path


def _stored_ids(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id FROM entries UNION SELECT id FROM tombstones").fetchall()
    return {row[0] for row in rows}


def test_one_file_into_two_vaults_shares_no_ids_and_no_source_identity_is_stored(tmp_path):
    """Two vaults importing the same file get different ids, and neither stores the content-derived one."""
    source = _jrnl_file(tmp_path)
    batch = transfer.read("jrnl-json", source)
    content_ids = {entry.id for entry in batch.entries}
    assert stable_id("jrnl", "2024-03-01 21:30", "After clinic", SHORT) in content_ids
    ids = []
    for name in ("first", "second"):
        opened, _key = vault.create(tmp_path / name, PASSPHRASE, kdf.TEST)
        with opened:
            summary = transfer.store(opened, transfer.read("jrnl-json", source))
            assert len(summary.added) == 2
            assert {e.body for e in opened.entries(with_bodies=True)} == {SHORT, "Coffee with Sam."}
        stored = _stored_ids(tmp_path / name / "purpose.db")
        assert stored.isdisjoint(content_ids)
        ids.append(stored)
    assert ids[0].isdisjoint(ids[1])


def test_a_second_import_of_the_same_file_skips_everything(tmp_path):
    """Keyed ids are stable within a vault: re-importing never duplicates."""
    source = _jrnl_file(tmp_path)
    opened, _key = vault.create(tmp_path / "v", PASSPHRASE, kdf.TEST)
    with opened:
        first = transfer.store(opened, transfer.read("jrnl-json", source))
        again = transfer.store(opened, transfer.read("jrnl-json", source))
        assert again.added == () and sorted(again.skipped) == sorted(first.added)
        assert opened.count() == 2
    assert _stored_ids(tmp_path / "v" / "purpose.db") == set(first.added)


def test_entries_an_older_version_imported_under_their_source_ids_are_not_duplicated(tmp_path):
    """A vault that imported a file before ids were keyed: importing that file again adds nothing."""
    source = _jrnl_file(tmp_path)
    opened, _key = vault.create(tmp_path / "v", PASSPHRASE, kdf.TEST)
    with opened:
        old_style = transfer.read("jrnl-json", source).entries
        opened.import_entries(old_style)  # what store() did before: the source identity as the id
        again = transfer.store(opened, transfer.read("jrnl-json", source))
        assert again.added == () and sorted(again.skipped) == sorted(e.id for e in old_style)
        assert opened.count() == 2
