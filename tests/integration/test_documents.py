"""Documents: small sealed records for everything that is not an entry."""

import sqlite3

import pytest

from purpose_app.errors import VaultLocked


def test_documents_round_trip_and_survive_lock(made_vault):
    """Stored data comes back equal after lock and unlock; kinds keep names apart."""
    with made_vault.open() as opened:
        opened.put_document("why", "current", {"text": "Because of Mrs K.", "versions": 1})
        opened.put_document("pack-state", "origins", {"enabled": False})
        opened.put_document("pack-state", "legacy", {"enabled": True})
    with made_vault.open() as opened:
        assert opened.document("why", "current") == {"text": "Because of Mrs K.", "versions": 1}
        assert opened.documents("pack-state") == {"origins": {"enabled": False}, "legacy": {"enabled": True}}
        assert opened.document("why", "missing", default=[]) == []


def test_replacing_and_deleting_documents(unlocked):
    """A put replaces; a delete removes; deleting what is not there says so."""
    unlocked.put_document("favourites", "all", ["a/b"])
    unlocked.put_document("favourites", "all", ["a/b", "c/d"])
    assert unlocked.document("favourites", "all") == ["a/b", "c/d"]
    assert unlocked.delete_document("favourites", "all") is True
    assert unlocked.delete_document("favourites", "all") is False
    assert unlocked.document("favourites", "all") is None


def test_returned_data_is_a_copy(unlocked):
    """Changing what document() returned changes nothing stored."""
    unlocked.put_document("favourites", "all", ["a/b"])
    got = unlocked.document("favourites", "all")
    got.append("x/y")
    assert unlocked.document("favourites", "all") == ["a/b"]


def test_document_kind_name_and_data_are_not_in_the_clear(made_vault):
    """Neither the kind, the name nor the data can be read from the file."""
    with made_vault.open() as opened:
        opened.put_document("why-canary-kind", "name-canary", {"t": "data-canary"})
    raw = made_vault.db.read_bytes()
    for canary in (b"why-canary-kind", b"name-canary", b"data-canary"):
        assert canary not in raw


def test_a_damaged_document_is_left_out_and_counted(made_vault):
    """One flipped byte in one record: that record is skipped and counted, the others still read."""
    with made_vault.open() as opened:
        opened.put_document("a", "one", 1)
        opened.put_document("a", "two", 2)
    conn = sqlite3.connect(made_vault.db)
    try:
        row_id, blob = conn.execute("SELECT id, value FROM documents LIMIT 1").fetchone()
        flipped = bytearray(blob)
        flipped[-1] ^= 0x01
        conn.execute("UPDATE documents SET value = ? WHERE id = ?", (bytes(flipped), row_id))
        conn.commit()
    finally:
        conn.close()
    with made_vault.open() as opened:
        assert len(opened.documents("a")) == 1
        assert opened.damaged_documents == 1


def test_documents_need_an_unlocked_vault(made_vault):
    """After lock, documents cannot be read."""
    opened = made_vault.open()
    opened.lock()
    with pytest.raises(VaultLocked):
        opened.document("why", "current")
