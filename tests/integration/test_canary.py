"""Canary: text a person wrote never reaches the disk in the clear, in any file, at any moment, in
UTF-8 or UTF-16 (little- or big-endian), and locking leaves no WAL behind."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from promise_helpers import scan

from purpose_app.domain.entry import EntryChanges


def _canary(label: str) -> str:
    # Long enough to be unique, short enough for a tag (60 characters at most).
    return f"canary-{label}-{uuid.uuid4().hex}"


def _changes(canary: str) -> EntryChanges:
    return EntryChanges(
        title=f"title {canary}",
        body=f"body {canary}\n" + f"{canary} " * 300,  # spills over several database pages
        tags=(canary,),
        drains=(f"d {canary}"[:60],),
        fuels=(f"f {canary}"[:60],),
        shift="night",
        energy=2,
    )


def _wal_is_empty(folder: Path) -> bool:
    wal = folder / "purpose.db-wal"
    return not wal.exists() or wal.stat().st_size == 0


def test_canary_never_on_disk_through_write_edit_delete_lock(made_vault, tmp_path_factory):
    """A unique string in title, body, tag, drain and fuel, edited to a second one, then deleted and
    locked: no file in the vault folder or pytest's temp dir ever contains either, in UTF-8 or
    UTF-16, neither while unlocked nor after; after lock the WAL is gone or empty."""
    first, second = _canary("first"), _canary("second")
    opened = made_vault.open()
    try:
        entry = opened.add(_changes(first))
        others = [opened.add(EntryChanges(title=f"neighbour {i}", body="x" * 500)).id for i in range(3)]
        # While unlocked: the write is in the WAL (or the db) only as ciphertext.
        assert not _wal_is_empty(made_vault.folder), "expected the add to be in the WAL"
        assert scan([made_vault.folder], [first]) == []
        assert opened.get(entry.id).title == f"title {first}"  # it is really there, decrypted

        opened.edit(entry.id, _changes(second))
        assert scan([made_vault.folder], [first, second]) == []
        assert opened.get(entry.id).body.startswith(f"body {second}")

        opened.delete(entry.id)
        assert scan([made_vault.folder], [first, second]) == []
        assert sorted(e.id for e in opened.entries()) == sorted(others)
    finally:
        opened.lock()

    assert _wal_is_empty(made_vault.folder)
    files = sorted(p.name for p in made_vault.folder.iterdir())
    assert "purpose.db" in files
    assert scan([made_vault.folder, tmp_path_factory.getbasetemp()], [first, second]) == []


def test_lock_truncates_wal_while_another_connection_is_open(made_vault, tmp_path):
    """With a second connection keeping the file open (another window, a backup tool), closing ours
    does not fold the WAL back by itself: lock must checkpoint it to zero bytes, and no canary
    remains in any file."""
    canary = _canary("shared")
    with closing(sqlite3.connect(made_vault.db)) as other:
        other.execute("SELECT count(*) FROM entries").fetchall()  # an idle reader, no transaction
        with made_vault.open() as opened:
            entry_id = opened.add(_changes(canary)).id
            opened.edit(entry_id, EntryChanges(body="something else entirely"))
            opened.delete(entry_id)
            assert not _wal_is_empty(made_vault.folder)
        assert _wal_is_empty(made_vault.folder)
        assert scan([made_vault.folder, tmp_path], [canary]) == []


def test_scan_finds_a_canary_in_any_encoding(tmp_path):
    """The scanner itself can fail: it finds a planted canary in each encoding it claims to check."""
    canary = _canary("plant")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        path = tmp_path / encoding / "file.bin"
        path.parent.mkdir()
        path.write_bytes(b"\x00junk" + canary.encode(encoding) + b"junk")
        assert scan([tmp_path / encoding], [canary]) == [(str(path), canary, encoding)]


def test_canary_never_on_disk_through_the_cli(made_vault, run_cli, tmp_path):
    """The same promise through `purpose add`, `edit`, `delete` (body piped on stdin)."""
    first, second = _canary("cli1"), _canary("cli2")
    labels = ("--tag", first, "--drain", first, "--fuel", first)
    added = run_cli("add", "--title", first, *labels, "--body", "-", stdin=f"{first}\n" * 50)
    assert added.code == 0, added.err
    entry_id = added.out.strip()
    shown = run_cli("show", entry_id, "--json")
    assert first in shown.out  # the canary really was stored
    edited = run_cli("edit", entry_id, "--title", second, "--tag", second, "--body", "-", stdin=second * 20)
    assert edited.code == 0, edited.err
    deleted = run_cli("delete", entry_id, "--yes")
    assert deleted.code == 0, deleted.err
    assert _wal_is_empty(made_vault.folder)
    assert scan([made_vault.folder, tmp_path], [first, second]) == []


@pytest.mark.parametrize("text", ["ÄÖÜ straße — naïve 🌙 canary", "日本語の日記 canary", "שלום canary"])
def test_non_ascii_canary_never_on_disk(made_vault, tmp_path, text):
    """Non-ASCII text (where UTF-8 and UTF-16 differ most) is never on disk in either encoding."""
    canary = f"{text} {uuid.uuid4().hex}"
    with made_vault.open() as opened:
        entry = opened.add(EntryChanges(title=canary, body=canary * 10))
        assert scan([made_vault.folder], [canary, text]) == []
        assert opened.get(entry.id).title == canary
    with made_vault.open() as reopened:
        assert reopened.get(entry.id).body == canary * 10
    assert scan([made_vault.folder, tmp_path], [canary, text]) == []
