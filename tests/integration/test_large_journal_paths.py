"""The paths a large journal takes: metadata read on first use, complete entries in batches, the
streamed JSON export, imports written a thousand rows at a time, and the collector pause around them."""

from __future__ import annotations

import gc
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from integration.promise_helpers import flip_bit

from purpose_app.crypto import kdf, keyslots
from purpose_app.domain.entry import Entry, EntryChanges, build_entry
from purpose_app.domain.query import EntryQuery
from purpose_app.errors import InvalidInput, VaultLocked
from purpose_app.interchange import jrnl_export
from purpose_app.services import transfer
from purpose_app.services import vault as vault_module

START = datetime(2021, 1, 1, 6, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _journal(count: int) -> list[Entry]:
    """Entries an hour apart, with titles, bodies and labels that differ per entry."""
    out = []
    for i in range(count):
        at = START + timedelta(hours=i)
        changes = EntryChanges(
            title=f"Shift {i}", body=f"Night {i}: the lighthouse again" if i % 7 == 0 else f"Night {i}",
            tags=("ward", f"t{i % 3}"), energy=i % 11,
        )  # fmt: skip
        out.append(build_entry(str(uuid.UUID(int=i + 1)), at, at, 1, changes))
    return out


@pytest.fixture
def big(made_vault):
    """A vault with 1,203 entries: more than two batches of complete reads and one import batch."""
    with made_vault.open() as opened:
        opened.import_entries(_journal(1203))
    return made_vault


def test_a_save_before_any_listing_is_seen_by_the_next_listing(big):
    """Metadata is read on first use, so an add comes before it: the listing still has the entry,
    once, and the count includes it."""
    with big.open() as opened:
        added = opened.add(EntryChanges(body="written first thing"), now=NOW)
        newest = opened.entries(limit=1, with_bodies=True)
        assert opened.count() == 1204
    assert [(e.id, e.body) for e in newest] == [(added.id, "written first thing")]


def test_stream_gives_every_complete_entry_oldest_first(big):
    """stream() reads bodies 500 at a time; across the batch edges nothing is lost or reordered."""
    expected = _journal(1203)
    with big.open() as opened:
        streamed = list(opened.stream(oldest_first=True))
        newest_first = list(opened.stream(EntryQuery(tag="t1")))
    assert streamed == expected
    assert newest_first == [e for e in reversed(expected) if "t1" in e.tags]


def test_a_long_listing_with_bodies_equals_the_stream(big):
    """entries(with_bodies=True) beyond 50 entries reads in batches: same entries as one by one."""
    with big.open() as opened:
        batched = opened.entries(with_bodies=True)
        one_by_one = [opened.get(e.id) for e in opened.entries(limit=60)]
    assert batched == list(reversed(_journal(1203)))
    assert batched[:60] == one_by_one


def test_a_damaged_body_is_left_out_of_the_stream_and_named(big):
    """A body that fails authentication in the middle of a batch: the others come, it is listed."""
    victim = str(uuid.UUID(int=700))
    flip_bit(big.db, "entries", "body", "id", victim, 40, 3)
    with big.open() as opened:
        streamed = list(opened.stream())
        damaged = opened.damaged
    assert len(streamed) == 1202 and victim not in {e.id for e in streamed}
    assert [(d.entry_id, d.field) for d in damaged] == [(victim, "body")]


def test_text_search_finds_title_body_and_labels_case_insensitively(big):
    """The one-pass text load keeps what matching needs (titles and folded text), not the bodies."""
    with big.open() as opened:
        by_body = opened.entries(EntryQuery(text="LIGHTHOUSE"))
        by_title = opened.entries(EntryQuery(text="shift 1202"))
        by_label = opened.entries(EntryQuery(text="T2"), with_titles=False)
        kept_bodies = dict(opened._cache.bodies)
    assert len(by_body) == len(range(0, 1203, 7)) and all(e.title for e in by_body)
    assert [e.title for e in by_title] == ["Shift 1202"]
    assert len(by_label) == len(range(2, 1203, 3))
    assert kept_bodies == {}  # search kept folded text only: bodies are read when shown


def test_streamed_json_export_is_the_rendered_document(big, tmp_path: Path):
    """The streamed export writes byte for byte what rendering the same entries in memory gives."""
    out = tmp_path / "journal.json"
    with big.open() as opened:
        written, count = transfer.export_vault("json", opened, out, per_year=False, now=NOW)
        entries = opened.entries(with_bodies=True)
    assert written == [out] and count == 1203
    assert out.read_bytes() == jrnl_export.render(entries)
    document = json.loads(out.read_bytes())
    assert document["tags"]["@ward"] == 1203 and len(document["entries"]) == 1203
    assert out.stat().st_mode & 0o777 == 0o600


def test_an_empty_journal_exports_an_empty_document(made_vault, tmp_path: Path):
    out = tmp_path / "journal.json"
    with made_vault.open() as opened:
        _, count = transfer.export_vault("json", opened, out, per_year=False, now=NOW)
    assert count == 0 and json.loads(out.read_bytes()) == {"tags": {}, "entries": []}


def test_an_export_cut_short_leaves_no_file(big, tmp_path: Path):
    """If the vault locks half-way through (auto-lock, another window), neither the target nor a
    partial file is left behind, and the message says the vault is locked."""
    out = tmp_path / "journal.json"
    with big.open() as opened:
        real_stream = opened.stream

        def stream_then_lock(**kwargs):
            for count, entry in enumerate(real_stream(**kwargs)):
                if count == 600:
                    opened.lock()
                yield entry

        opened.stream = stream_then_lock  # type: ignore[method-assign]
        with pytest.raises(VaultLocked):
            transfer.export_vault("json", opened, out, per_year=False, now=NOW)
    assert list(tmp_path.iterdir()) == [big.folder]


def test_an_import_over_several_write_batches_is_still_all_or_nothing(made_vault):
    """Rows go in 1,000 at a time, in ONE transaction: a bad entry after the first batch was written
    leaves nothing behind."""
    good = _journal(1500)
    bad = Entry(id=str(uuid.uuid4()), created=START, updated=START, revision=1, energy=11)
    before = made_vault.db.read_bytes()
    with made_vault.open() as opened, pytest.raises(InvalidInput):
        opened.import_entries([*good[:1200], bad, *good[1200:]])
    assert made_vault.db.read_bytes() == before
    with made_vault.open() as opened:
        outcome = opened.import_entries(good)
        again = opened.import_entries(good[:10] + _journal(1600)[1500:])
        assert opened.count() == 1600
    assert len(outcome.added) == 1500
    assert len(again.skipped) == 10 and len(again.added) == 100


def test_an_id_on_a_damaged_row_is_taken(big):
    """A re-import skips an id whose stored row cannot be read (it is known from the clear ids), so
    an import never overwrites or duplicates a damaged entry; a merge is the way to repair it."""
    victim = str(uuid.UUID(int=5))
    flip_bit(big.db, "entries", "meta", "id", victim, 30, 1)
    with big.open() as opened:
        outcome = opened.import_entries([e for e in _journal(10) if e.id == victim])
    assert outcome.skipped == (victim,) and outcome.added == ()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_comes_back_as_it_was(big, enabled: bool):
    """Loading pauses cyclic garbage collection and restores it as it found it, also on errors."""
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with big.open() as opened:
            opened.entries(EntryQuery(text="night"))
            assert gc.isenabled() is enabled
            opened.lock()
            with pytest.raises(VaultLocked):
                opened.entries(with_bodies=True)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_a_vault_made_with_one_lane_still_opens_and_moves_on_at_a_passphrase_change(vault_dir: Path):
    """The default now uses two Argon2 lanes; a vault made with one keeps its own parameters until
    the passphrase changes, then takes the new ones."""
    one_lane = kdf.KdfParams(profile="test", memory_kib=1024, time_cost=1, parallelism=1)
    two_lanes = kdf.KdfParams(profile="test", memory_kib=1024, time_cost=1, parallelism=2)
    made, _ = vault_module.create(vault_dir, PASSPHRASE, one_lane)
    made.lock()
    with vault_module.unlock(vault_dir, PASSPHRASE) as opened:
        assert keyslots.passphrase_params(opened._opened.slot("passphrase"))[0].parallelism == 1  # type: ignore[union-attr]
        opened.change_passphrase("a new passphrase at dawn", two_lanes)
    with vault_module.unlock(vault_dir, "a new passphrase at dawn") as opened:
        slot = opened._opened.slot("passphrase")  # type: ignore[union-attr]
    assert keyslots.passphrase_params(slot)[0].parallelism == 2
    assert kdf.DEFAULT.parallelism == 2 and kdf.DEFAULT.memory_kib == 128 * 1024
