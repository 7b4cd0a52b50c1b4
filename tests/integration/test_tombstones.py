"""Tombstones: a deletion leaves the entry's id and last revision (nothing it said), for merges and sync."""

from __future__ import annotations

from dataclasses import replace

from promise_helpers import flip_bit, raw_db

from purpose_app.domain.entry import EntryChanges


def test_delete_leaves_a_tombstone_with_the_last_revision(unlocked):
    """Deleting an entry edited twice records (id, 3); the row itself is gone."""
    entry = unlocked.add(EntryChanges(body="first"))
    unlocked.edit(entry.id, EntryChanges(body="second"))
    unlocked.edit(entry.id, EntryChanges(body="third"))
    unlocked.delete(entry.id)
    assert unlocked.tombstones() == {entry.id: 3}
    with raw_db(unlocked.folder / "purpose.db") as conn:
        assert conn.execute("SELECT id, revision FROM tombstones").fetchall() == [(entry.id, 3)]
        assert conn.execute("SELECT count(*) FROM entries").fetchone() == (0,)


def test_importing_a_deleted_entry_again_lifts_its_tombstone(unlocked):
    """An id is either an entry or a tombstone: bringing an entry back removes its tombstone."""
    entry = unlocked.get(unlocked.add(EntryChanges(body="kept after all")).id)
    unlocked.delete(entry.id)
    outcome = unlocked.import_entries([replace(entry, revision=2)])
    assert outcome.added == (entry.id,) and unlocked.tombstones() == {}


def test_a_damaged_entry_can_be_deleted_and_leaves_a_tombstone(made_vault):
    """Even an entry that no longer decrypts is deleted with its (clear) revision recorded."""
    with made_vault.open() as opened:
        entry = opened.add(EntryChanges(body="soon damaged"))
    flip_bit(made_vault.db, "entries", "body", "id", entry.id, 30, 1)
    with made_vault.open() as opened:
        opened.entries(with_bodies=True)  # finds the damage
        assert [d.entry_id for d in opened.damaged] == [entry.id]
        opened.delete(entry.id)
        assert opened.tombstones() == {entry.id: 1} and opened.damaged == []
