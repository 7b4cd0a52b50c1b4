"""Merging another journal's backup brings its entries and deletions only, never its documents."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE

from purpose_app import messages
from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.services import backup, library, vault
from purpose_app.services.session import SETTINGS

BACKUP_PASSPHRASE = "a separate backup passphrase"
HOSTILE_DOCUMENTS = {
    (library.IDENTITY, "default"): {
        "name": "Not you",
        "seed": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    },
    (library.TRUSTED, "dead beef dead beef dead beef dead beef"): {"name": "Mallory", "public_key": "AAAA"},
    (SETTINGS, "comfort"): {"autolock_minutes": 0, "theme": "dark", "text_scale": 1.0},
    ("why", "statement"): [{"text": "someone else's why", "written": "2024-01-01"}],
    ("favourites", "all"): ["origins/first-patient"],
}


@pytest.fixture
def mine(made_vault):
    """This journal: one entry and its own "why", unlocked."""
    with made_vault.open() as opened:
        opened.add(EntryChanges(body="mine"))
        opened.put_document("why", "statement", [{"text": "my why", "written": "2023-01-01"}])
        yield opened


@pytest.fixture
def foreign_backup(tmp_path) -> Path:
    """A backup of ANOTHER journal (its own id and key) holding an entry, a deletion and documents
    that would change who this journal trusts and how it locks."""
    stranger, _key = vault.create(tmp_path / "stranger", NEW_PASSPHRASE, kdf.TEST)
    with stranger:
        stranger.add(EntryChanges(body="from the other journal"))
        gone = stranger.add(EntryChanges(body="deleted over there"))
        stranger.delete(gone.id)
        stranger.put_documents(HOSTILE_DOCUMENTS)
        path = tmp_path / "stranger.backup"
        backup.write_backup(stranger, path, BACKUP_PASSPHRASE, kdf.TEST)
    return path


def test_a_foreign_backup_brings_entries_and_deletions_but_no_documents(mine, foreign_backup):
    """Identity, trusted signers, ui-settings and "my why" stay exactly as they were here; the other
    journal's entry and deletion come in; the summary says the documents were left out."""
    before = mine.all_documents()
    summary = backup.restore_merge(mine, backup.read_backup(foreign_backup, BACKUP_PASSPHRASE))
    assert summary.same_journal is False
    assert summary.documents_left_out == len(HOSTILE_DOCUMENTS)
    assert (summary.documents_added, summary.documents_kept) == (0, 0)
    assert mine.all_documents() == before
    assert mine.document(library.IDENTITY, "default") is None
    assert mine.documents(library.TRUSTED) == {}
    assert mine.document(SETTINGS, "comfort") is None
    assert mine.document("why", "statement")[0]["text"] == "my why"
    assert {e.body for e in mine.entries(with_bodies=True)} == {"mine", "from the other journal"}
    assert len(summary.outcome.added) == 1 and summary.outcome.tombstones == 1
    assert len(mine.tombstones()) == 1


def test_the_same_vault_id_with_another_key_is_still_foreign(mine, foreign_backup):
    """The vault id is in the clear in every vault file: a backup claiming this journal's id without
    its data key is treated as another journal's."""
    contents = backup.read_backup(foreign_backup, BACKUP_PASSPHRASE)
    claimed = dataclasses.replace(contents, vault_id=mine.identity()[0])
    before = mine.all_documents()
    summary = backup.restore_merge(mine, claimed)
    assert summary.same_journal is False and mine.all_documents() == before


def test_a_backup_of_this_journal_still_merges_its_documents(mine, tmp_path):
    """A copy restored from this journal's backup is the same journal: the documents this vault
    lacks come in, as before, and its own are kept."""
    path = tmp_path / "mine.backup"
    backup.write_backup(mine, path, BACKUP_PASSPHRASE, kdf.TEST)
    copy, _key, _ = backup.restore_new(
        tmp_path / "copy", backup.read_backup(path, BACKUP_PASSPHRASE), NEW_PASSPHRASE, kdf.TEST
    )
    with copy:
        copy.put_documents(
            {(SETTINGS, "comfort"): {"autolock_minutes": 15, "theme": "dark", "text_scale": 1.0}}
        )
        copy.put_document("why", "statement", [{"text": "the copy's why", "written": "2024-02-02"}])
        backup.write_backup(copy, tmp_path / "copy.backup", BACKUP_PASSPHRASE, kdf.TEST)
    summary = backup.restore_merge(mine, backup.read_backup(tmp_path / "copy.backup", BACKUP_PASSPHRASE))
    assert summary.same_journal is True and summary.documents_left_out == 0
    assert summary.documents_added == 1 and summary.documents_kept == 1
    assert mine.document(SETTINGS, "comfort") == {"autolock_minutes": 15, "theme": "dark", "text_scale": 1.0}
    assert mine.document("why", "statement")[0]["text"] == "my why"


def test_the_command_line_says_plainly_what_was_left_out(made_vault, foreign_backup, run_cli):
    """`restore --merge` of another journal's backup: exit 0, the new entry listed, and the sentence
    that its settings, signing identity and other records were left out (in JSON: same_journal false)."""
    env = {"PURPOSE_BACKUP_PASSPHRASE": BACKUP_PASSPHRASE}
    result = run_cli("restore", str(foreign_backup), "--merge", env=env)
    assert result.code == 0, result.err
    assert messages.FOREIGN_BACKUP_DOCUMENTS_LEFT_OUT in result.out
    assert "because it comes from another journal" in result.out
    again = json.loads(run_cli("restore", str(foreign_backup), "--merge", "--json", env=env).out)
    assert again["same_journal"] is False and again["documents_left_out"] == len(HOSTILE_DOCUMENTS)
    with vault.unlock(made_vault.folder, PASSPHRASE) as opened:
        assert opened.document(library.IDENTITY, "default") is None
        assert [e.body for e in opened.entries(with_bodies=True)] == ["from the other journal"]


def test_the_command_line_says_nothing_of_the_kind_for_this_journals_backup(made_vault, run_cli, tmp_path):
    """A backup of this very journal merges without the left-out sentence."""
    assert run_cli("add", "--title", "kept").code == 0
    out = tmp_path / "own.backup"
    assert run_cli("backup", "--out", str(out)).code == 0
    result = run_cli("restore", str(out), "--merge", env={"PURPOSE_BACKUP_PASSPHRASE": PASSPHRASE})
    assert result.code == 0, result.err
    assert "another journal" not in result.out
    again = run_cli("restore", str(out), "--merge", "--json", env={"PURPOSE_BACKUP_PASSPHRASE": PASSPHRASE})
    assert json.loads(again.out)["same_journal"] is True
