"""Vault.import_entries: whole entries in one transaction, duplicates skipped, all or nothing."""

import uuid
from datetime import UTC, datetime

import pytest

from purpose_app.domain.entry import Entry, EntryChanges, build_entry
from purpose_app.errors import InvalidInput

AT = datetime(2024, 3, 1, 21, 30, tzinfo=UTC)


def _entry(body: str, entry_id: str | None = None) -> Entry:
    return build_entry(entry_id or str(uuid.uuid4()), AT, AT, 1, EntryChanges(body=body, tags=("imported",)))


def test_import_adds_all_and_a_second_import_skips_them(made_vault):
    """Importing the same entries twice stores them once; the outcome says which were skipped."""
    batch = [_entry(f"night {i}") for i in range(5)]
    with made_vault.open() as opened:
        first = opened.import_entries(batch)
        second = opened.import_entries(batch)
        assert len(first.added) == 5 and first.skipped == ()
        assert second.added == () and sorted(second.skipped) == sorted(e.id for e in batch)
    with made_vault.open() as opened:
        assert sorted(e.body for e in opened.entries(with_bodies=True)) == sorted(e.body for e in batch)


def test_one_bad_entry_means_nothing_is_imported(made_vault):
    """All or nothing: an invalid entry in the middle leaves the vault exactly as it was."""
    good = [_entry("fine"), _entry("also fine")]
    bad = Entry(id=str(uuid.uuid4()), created=AT, updated=AT, revision=1, energy=11)
    before = made_vault.db.read_bytes()
    with made_vault.open() as opened, pytest.raises(InvalidInput):
        opened.import_entries([good[0], bad, good[1]])
    with made_vault.open() as opened:
        assert opened.count() == 0
    assert made_vault.db.read_bytes() == before


def test_progress_is_reported(unlocked):
    """A long import reports its running count, ending with the total."""
    seen: list[int] = []
    unlocked.import_entries([_entry(f"e{i}") for i in range(450)], progress=seen.append)
    assert seen[:2] == [200, 400] and seen[-1] == 450


def test_entries_must_arrive_clean(unlocked):
    """Raw values an importer forgot to clean (a '@tag', a naive time) are refused, not stored."""
    with pytest.raises(InvalidInput, match="needs cleaning"):
        unlocked.import_entries(
            [Entry(id=str(uuid.uuid4()), created=AT, updated=AT, revision=1, tags=("@work",))]
        )
    with pytest.raises(InvalidInput, match="time zone"):
        build_entry(str(uuid.uuid4()), datetime(2024, 1, 1), AT, 1, EntryChanges(body="x"))
    assert build_entry(str(uuid.uuid4()), AT, AT, 1, EntryChanges(body="x", tags=("@work",))).tags == (
        "work",
    )
