"""A long listing or an export takes titles and bodies from the pages read for the metadata (kept until a
search folds them), not from three decryptions per row, and still gives exactly what the rows say."""

from __future__ import annotations

import uuid

import pytest
from conftest import MadeVault
from integration.promise_helpers import copy_vault, flip_bit
from integration.test_pages import _journal, _without_pages

from purpose_app.domain.entry import EntryChanges
from purpose_app.domain.query import EntryQuery
from purpose_app.errors import VaultDamaged
from purpose_app.services import journal_cache
from purpose_app.storage.repository import EntryRepository


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal_cache, "MIN_PAGED", 20)
    monkeypatch.setattr(journal_cache, "PAGE_FILL", 10)
    monkeypatch.setattr(journal_cache, "PAGE_SIZE", 8)


@pytest.fixture
def paged(made_vault: MadeVault) -> MadeVault:
    with made_vault.open() as opened:
        opened.import_entries(_journal(30))
    return made_vault


@pytest.fixture
def rows_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids whose rows EntryRepository.complete was asked to decrypt."""
    asked: list[str] = []
    complete = EntryRepository.complete

    def counting(self: EntryRepository, ids: list[str]):  # type: ignore[no-untyped-def]
        asked.extend(ids)
        return complete(self, ids)

    monkeypatch.setattr(EntryRepository, "complete", counting)
    return asked


def test_a_paged_export_reads_no_row_and_matches_the_rows(paged: MadeVault, rows_read: list[str], tmp_path):
    """Every entry of a streamed export comes from a page, and equals what reading rows alone gives."""
    reference = _without_pages(MadeVault(copy_vault(paged.folder, tmp_path / "copy"), paged.recovery_key))
    with paged.open() as opened:
        streamed = list(opened.stream())
        listed = opened.entries(with_bodies=True)
    assert rows_read == []
    assert streamed == listed == reference["bodies"]
    assert {e.body for e in streamed} == {e.body for e in _journal(30)}


def test_an_entry_edited_after_the_pages_were_read_comes_from_its_row(paged: MadeVault, rows_read: list[str]):
    """The page's copy is no longer current once the entry is saved again: its row is read."""
    target = str(uuid.UUID(int=5))
    with paged.open() as opened:
        opened.entries()
        opened.edit(target, EntryChanges(body="a walk on the pier"))
        streamed = {e.id: e for e in opened.stream()}
    assert rows_read == [target]
    assert streamed[target].body == "a walk on the pier" and len(streamed) == 30


def test_after_a_search_folded_the_pages_the_rows_are_read(paged: MadeVault, rows_read: list[str], tmp_path):
    """A text search lets go of the pages' text (one folded copy is kept): an export then reads rows,
    and gives the same entries."""
    reference = _without_pages(MadeVault(copy_vault(paged.folder, tmp_path / "copy"), paged.recovery_key))
    with paged.open() as opened:
        assert opened.entries(EntryQuery(text="lighthouse"))
        streamed = list(opened.stream())
    assert sorted(rows_read) == sorted(e.id for e in _journal(30))
    assert streamed == reference["bodies"]


def test_a_damaged_row_behind_a_current_page_is_exported_from_the_page(paged: MadeVault):
    """The page holds the same version, authenticated: the export has the entry whole; opening the
    entry itself (which reads the row) still says it is damaged."""
    target = str(uuid.UUID(int=7))
    flip_bit(paged.db, "entries", "body", "id", target, 20, 5)
    with paged.open() as opened:
        streamed = {e.id: e for e in opened.stream()}
        assert streamed[target].body == _journal(30)[6].body
        with pytest.raises(VaultDamaged, match="integrity check"):
            opened.get(target)
