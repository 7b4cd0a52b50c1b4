"""The vault service on a real temporary vault: entries in, entries out, caches kept honest."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from conftest import PASSPHRASE

from purpose_app.crypto.envelope import associated_data
from purpose_app.domain.entry import EntryChanges
from purpose_app.domain.query import EntryQuery
from purpose_app.errors import EntryNotFound, InvalidInput, VaultLocked
from purpose_app.services import vault
from purpose_app.storage.repository import EntryRepository

BASE = datetime(2026, 1, 1, tzinfo=UTC)


def _ids(entries):
    return [e.id for e in entries]


def test_order_stays_newest_first_through_adds_edits_and_deletes(unlocked):
    """The maintained order equals a fresh sort after a random mix of changes."""
    rnd = random.Random(7)
    for i in range(40):
        unlocked.add(EntryChanges(energy=i % 11, created=BASE + timedelta(days=rnd.randint(0, 30))))
    unlocked.entries()  # builds the sorted order, which later changes must maintain
    ids = _ids(unlocked.entries())
    for _ in range(30):
        target = rnd.choice(ids)
        if rnd.random() < 0.3:
            unlocked.delete(target)
            ids.remove(target)
        else:
            unlocked.edit(target, EntryChanges(created=BASE + timedelta(days=rnd.randint(0, 30), hours=3)))
    listed = unlocked.entries()
    assert _ids(listed) == [e.id for e in sorted(listed, key=lambda e: (e.created, e.id), reverse=True)]
    assert sorted(_ids(listed)) == sorted(ids)


def test_a_new_window_sees_what_another_wrote(made_vault):
    """Two unlocked handles on one vault: a write through one is visible through the other."""
    first, second = made_vault.open(), made_vault.open()
    try:
        second.entries(EntryQuery(text="anything"))  # fill the text caches first
        written = first.add(EntryChanges(body="a rounds story"))
        assert _ids(second.entries(EntryQuery(text="ROUNDS"))) == [written.id]
        first.delete(written.id)
        assert second.count() == 0
    finally:
        first.lock()
        second.lock()


def test_search_sees_edits_made_after_the_text_cache_was_built(unlocked):
    """The search cache follows edits: old words stop matching, new ones start."""
    entry = unlocked.add(EntryChanges(body="pager at three"))
    assert _ids(unlocked.entries(EntryQuery(text="pager"))) == [entry.id]
    unlocked.edit(entry.id, EntryChanges(body="quiet night"))
    assert unlocked.entries(EntryQuery(text="pager")) == []
    assert _ids(unlocked.entries(EntryQuery(text="QUIET"))) == [entry.id]


def test_entries_come_with_titles_and_bodies_only_when_asked(unlocked):
    """Listing fills titles; bodies only with with_bodies or a text search."""
    unlocked.add(EntryChanges(title="T", body="B"))
    (plain,) = unlocked.entries()
    (full,) = unlocked.entries(with_bodies=True)
    assert (plain.title, plain.body) == ("T", "")
    assert (full.title, full.body) == ("T", "B")


def test_prefixes_resolve_and_unknown_ids_are_refused(unlocked):
    """A unique prefix of four or more characters finds an entry; others are refused clearly."""
    entry = unlocked.add(EntryChanges(energy=4))
    assert unlocked.get(entry.id[:6]).id == entry.id
    with pytest.raises(EntryNotFound, match="No entry"):
        unlocked.get("0000000")
    with pytest.raises(EntryNotFound):
        unlocked.get(entry.id[:3])


def test_ambiguous_prefix_is_refused(unlocked, monkeypatch):
    """Two ids sharing a prefix: the prefix is refused, asking for more characters."""
    ids = iter(["abcd1111-0000-4000-8000-000000000000", "abcd2222-0000-4000-8000-000000000000"])
    monkeypatch.setattr("purpose_app.domain.entry.new_id", lambda: next(ids))
    unlocked.add(EntryChanges(energy=1))
    unlocked.add(EntryChanges(energy=2))
    with pytest.raises(InvalidInput, match="matches 2 entries"):
        unlocked.get("abcd")


def test_lock_forgets_keys_and_refuses_further_use(made_vault):
    """After lock nothing decrypted is held and every call says the vault is locked."""
    opened = made_vault.open()
    opened.add(EntryChanges(body="something private"))
    opened.lock()
    assert opened.locked
    assert opened._cache.entries == {} and opened._cache.bodies == {} and opened._data_key is None
    with pytest.raises(VaultLocked):
        opened.entries()
    opened.lock()  # twice is fine


def test_repository_associated_data_matches_the_documented_encoding(unlocked):
    """The fast path builds exactly associated_data(vault, table, id, field, revision)."""
    repo: EntryRepository = unlocked._cache.repo
    vault_id = unlocked._live().header.vault_id
    assert repo._ad("abc", "body", 12) == associated_data(vault_id, "entries", "abc", "body", 12)


def test_reopen_reads_everything_back(made_vault):
    """Every field survives lock and unlock."""
    with made_vault.open() as opened:
        written = opened.add(
            EntryChanges(title="Ü 🌙", body="line one\nline two", tags=("a",), energy=0, drains=("d",),
                         fuels=("f",), shift="on-call"),
            now=datetime(2026, 5, 5, 5, 5, tzinfo=UTC),
        )  # fmt: skip
    with vault.unlock(made_vault.folder, PASSPHRASE) as opened:
        assert opened.get(written.id) == written


def test_a_missing_key_slot_is_reported_and_the_file_is_not_left_open(made_vault):
    """A vault whose passphrase slot row was deleted says it is damaged and closes the file."""
    import os
    import sqlite3

    import pytest

    from purpose_app.errors import VaultDamaged

    conn = sqlite3.connect(made_vault.db)
    conn.execute("DELETE FROM key_slots WHERE name = 'passphrase'")
    conn.commit()
    conn.close()

    def open_handles() -> int:
        return sum(
            1
            for fd in os.listdir("/proc/self/fd")
            if os.path.realpath(f"/proc/self/fd/{fd}") == str(made_vault.db)
        )

    with pytest.raises(VaultDamaged, match="key record"):
        made_vault.open()
    assert open_handles() == 0


def test_metadata_only_listing_decrypts_no_titles(made_vault):
    """with_titles=False gives dates, energy and labels without opening a single title."""
    with made_vault.open() as opened:
        opened.add(EntryChanges(title="Secret title", energy=4, drains=("pager",)))
    with made_vault.open() as opened:
        (entry,) = opened.entries(with_titles=False)
        assert (entry.title, entry.energy, entry.drains) == ("", 4, ("pager",))
        assert opened._cache.titles == {}
        (titled,) = opened.entries()
        assert titled.title == "Secret title"
