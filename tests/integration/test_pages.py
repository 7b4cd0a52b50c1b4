"""Sealed pages (storage/pages.py): a cache of many entries per blob that must never change what the
journal says. Thresholds are lowered so a few dozen entries make pages."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest
from conftest import PASSPHRASE, MadeVault
from integration.promise_helpers import copy_vault, flip_bit, write_value
from integration.state_helpers import accept_changes

from purpose_app.domain.entry import Entry, EntryChanges, build_entry
from purpose_app.domain.query import EntryQuery
from purpose_app.errors import VaultDamaged
from purpose_app.services import journal_cache
from purpose_app.services import vault as vault_module
from purpose_app.storage import database

START = datetime(2023, 5, 1, 7, 0, tzinfo=UTC)
WORDS = ("lighthouse", "harbour", "Straße", "night")


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal_cache, "MIN_PAGED", 20)
    monkeypatch.setattr(journal_cache, "PAGE_FILL", 10)
    monkeypatch.setattr(journal_cache, "PAGE_SIZE", 8)


def _journal(count: int, offset: int = 0) -> list[Entry]:
    out = []
    for i in range(offset, offset + count):
        at = START + timedelta(hours=5 * i)
        changes = EntryChanges(
            title=f"Day {i}", body=f"{WORDS[i % 4]} and the sea, number {i}", tags=(f"t{i % 3}",),
            drains=("charting",) if i % 5 == 0 else (), energy=i % 11,
        )  # fmt: skip
        out.append(build_entry(str(uuid.UUID(int=i + 1)), at, at, 1, changes))
    return out


def _pages(db) -> list[tuple[int, bytes]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT id, value FROM entry_pages ORDER BY id").fetchall()


def _pointers(db) -> dict[str, int | None]:
    with closing(sqlite3.connect(db)) as conn:
        return dict(conn.execute("SELECT id, page FROM entries").fetchall())


def _page_entries(opened: vault_module.Vault) -> dict[str, Entry]:
    """Every entry every page holds, decrypted (current or not)."""
    held: dict[str, Entry] = {}
    with database.reading(opened._live().conn):
        for _page_id, page in opened._cache.pages.pages():
            assert page is not None
            held.update((e.id, e) for e, _ in page.entries())
    return held


def _view(opened: vault_module.Vault) -> dict[str, object]:
    """What a person sees: every listing and search this test cares about."""
    return {
        "all": opened.entries(),
        "bodies": opened.entries(with_bodies=True),
        **{
            w: [e.id for e in opened.entries(EntryQuery(text=w))]
            for w in (*WORDS, "SEA", "day 3", "charting")
        },
        "tag": [e.id for e in opened.entries(EntryQuery(tag="t1"))],
        "damaged": opened.damaged,
    }


def _without_pages(made_vault) -> dict[str, object]:
    """The same vault read with every page removed (rows only): the reference."""
    with closing(sqlite3.connect(made_vault.db)) as conn:
        conn.execute("DELETE FROM entry_pages")
        conn.execute("UPDATE entries SET page = NULL")
        conn.commit()
    accept_changes(made_vault.folder, PASSPHRASE)  # removed on purpose: not tampering
    with made_vault.open() as opened:
        return _view(opened)


@pytest.fixture
def paged(made_vault):
    with made_vault.open() as opened:
        opened.import_entries(_journal(30))
    return made_vault


def test_an_import_is_written_into_pages_and_reads_the_same_as_rows(paged):
    """30 imported entries: 4 pages of at most 8, every row pointing at one; what is listed and
    found is exactly what reading the rows alone gives."""
    assert len(_pages(paged.db)) == 4
    assert all(page is not None for page in _pointers(paged.db).values())
    with paged.open() as opened:
        from_pages = _view(opened)
        assert len(opened._cache.page_of) == 30  # every entry was read from a page
    assert from_pages == _without_pages(paged)
    assert from_pages["Straße"] == [e.id for e in reversed(_journal(30)) if "Straße" in e.body] != []


def test_editing_a_paged_entry_takes_its_old_text_out_of_every_page(paged):
    target = str(uuid.UUID(int=4))
    with paged.open() as opened:
        opened.entries()
        opened.edit(target, EntryChanges(body="a walk on the pier"))
        assert [e.id for e in opened.entries(EntryQuery(text="pier"))] == [target]
        assert target not in _page_entries(opened)
    with paged.open() as opened:
        assert [e.id for e in opened.entries(EntryQuery(text="pier"))] == [target]
        assert target not in [e.id for e in opened.entries(EntryQuery(text="number 3,"))]
        assert opened.get(target).body == "a walk on the pier"
        assert target not in _page_entries(opened)


def test_deleting_a_paged_entry_removes_it_from_its_page_at_once(paged):
    target = str(uuid.UUID(int=9))
    with paged.open() as opened:
        opened.delete(target)
        held = _page_entries(opened)
        assert target not in held and len(held) == 29
        assert opened.count() == 29
    with paged.open() as opened:
        assert target not in {e.id for e in opened.entries(EntryQuery(text="sea"))}


def test_a_page_that_fails_authentication_is_read_from_rows_and_replaced_at_lock(paged, tmp_path):
    """A flipped bit in a page: nothing is missing or reported damaged (the rows are complete);
    at lock the page is written again from the rows and the broken one is gone."""
    reference = _without_pages(MadeVault(copy_vault(paged.folder, tmp_path / "copy"), paged.recovery_key))
    first_page = _pages(paged.db)[0][0]
    flip_bit(paged.db, "entry_pages", "value", "id", str(first_page), 100, 2)
    with paged.open() as opened:
        assert _view(opened) == reference
        assert opened._cache.failed_pages == {first_page}
    pages = _pages(paged.db)
    assert first_page not in [p for p, _ in pages] and len(pages) == 4
    with paged.open() as opened:
        assert (
            _view(opened) == reference and len(opened._cache.page_of) == 30 and not opened._cache.failed_pages
        )


def test_a_row_whose_stamp_moved_on_is_read_from_the_row(paged):
    """If the stamp in the row is not the one the page recorded, the page's copy is not used."""
    target = str(uuid.UUID(int=12))
    write_value(paged.db, "entries", "stamp", "id", target, 12345)
    with paged.open() as opened:
        assert target not in opened._cache.page_of
        assert opened.get(target).body == _journal(30)[11].body
        assert len(opened.entries()) == 30


def test_the_row_stays_the_record_when_a_page_disagrees(paged):
    """A damaged row behind a good page: the listing shows the page's authentic copy, and opening
    the entry (which reads the row) says it is damaged rather than showing anything unchecked."""
    target = str(uuid.UUID(int=7))
    flip_bit(paged.db, "entries", "body", "id", target, 20, 5)
    with paged.open() as opened:
        assert target in {e.id for e in opened.entries()}
        with pytest.raises(VaultDamaged):
            opened.get(target)


def test_saves_outside_pages_are_gathered_into_a_new_page_at_lock(paged):
    """Entries written one at a time stay outside pages (a save touches one row) until there are
    PAGE_FILL of them in a read journal; then lock gathers them."""
    with paged.open() as opened:
        opened.entries()
        added = [opened.add(EntryChanges(body=f"harbour walk {i}")).id for i in range(9)]
    assert len(_pages(paged.db)) == 4  # 9 < PAGE_FILL: not yet
    with paged.open() as opened:
        opened.entries()
        added.append(opened.add(EntryChanges(body="harbour walk 9")).id)
    pointers = _pointers(paged.db)
    assert len(_pages(paged.db)) == 6 and all(pointers[i] is not None for i in added)
    with paged.open() as opened:
        assert opened.count() == 40 and len(opened._cache.page_of) == 40
        assert set(added) <= {e.id for e in opened.entries(EntryQuery(text="harbour walk"))}


def test_another_window_editing_a_paged_entry_is_seen(paged):
    target = str(uuid.UUID(int=2))
    with paged.open() as first, paged.open() as second:
        assert target in {e.id for e in first.entries(EntryQuery(text="harbour"))}
        second.edit(target, EntryChanges(body="calm water"))
        assert target not in {e.id for e in first.entries(EntryQuery(text="harbour"))}
        assert [e.id for e in first.entries(EntryQuery(text="calm water"))] == [target]


def test_pages_are_sealed_and_bound_to_their_place(paged):
    """No page holds readable text, and a page copied over another does not open as that page."""
    pages = _pages(paged.db)
    for _, blob in pages:
        assert b"lighthouse" not in blob and b"Day 1" not in blob
    (first, _), (_, second_blob) = pages[0], pages[1]
    write_value(paged.db, "entry_pages", "value", "id", str(first), second_blob)
    with paged.open() as opened:
        assert len(opened.entries()) == 30 and opened.damaged == []
        assert first in opened._cache.failed_pages


def test_a_small_journal_has_no_pages(made_vault, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(journal_cache, "MIN_PAGED", 2000)
    with made_vault.open() as opened:
        opened.import_entries(_journal(30))
        opened.entries()
    assert _pages(made_vault.db) == []
    assert set(_pointers(made_vault.db).values()) == {None}


def test_the_passphrase_still_opens_everything_after_pages_are_written(paged):
    """Pages are sealed with a key derived from the data key: a passphrase change leaves them valid."""
    with paged.open() as opened:
        opened.change_passphrase("another long passphrase", vault_module.kdf.TEST)
    with vault_module.unlock(paged.folder, "another long passphrase") as opened:
        assert opened.count() == 30 and len(opened._cache.page_of) == 30
    assert PASSPHRASE != "another long passphrase"


def test_rows_pointing_at_a_page_that_is_gone_are_read_from_the_rows(paged, tmp_path):
    """A page removed from the file (its rows still point at it): nothing is missing; its entries
    count as outside pages and are gathered with the next ones."""
    reference = _without_pages(MadeVault(copy_vault(paged.folder, tmp_path / "copy"), paged.recovery_key))
    gone = _pages(paged.db)[1][0]
    with closing(sqlite3.connect(paged.db)) as conn:
        conn.execute("DELETE FROM entry_pages WHERE id = ?", (gone,))
        conn.commit()
    accept_changes(paged.folder, PASSPHRASE)  # removed on purpose: not tampering
    with paged.open() as opened:
        assert _view(opened) == reference
        assert len(opened._cache.page_of) == 22  # the other three pages' copies
    with paged.open() as opened:
        assert _view(opened) == reference
        opened.add(EntryChanges(body="one more"))
        opened.add(EntryChanges(body="and another"))  # 8 + 2 outside pages: PAGE_FILL reached
    assert gone not in set(_pointers(paged.db).values())
    with paged.open() as opened:
        assert opened.count() == 32 and len(opened._cache.page_of) == 32
