"""A new device joins through the sync folder with the passphrase: the whole journal, or nothing written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE
from promise_helpers import fingerprint

from purpose_app import messages
from purpose_app.crypto import keyslots
from purpose_app.domain.entry import EntryChanges
from purpose_app.errors import InvalidInput, VaultDamaged, VaultUnavailable, WrongSecret
from purpose_app.services import join_record, sync, sync_join, vault
from purpose_app.services.unlock_throttle import FREE_TRIES, TooManyTries, UnlockThrottle


@pytest.fixture
def first(made_vault) -> Iterator[tuple[vault.Vault, Path]]:
    """The first device: three entries (one deleted), synced once into an empty folder."""
    folder = made_vault.folder.parent / "Sync"
    folder.mkdir()
    with made_vault.open() as opened:
        for word in ("alpha", "bravo", "charlie"):
            opened.add(EntryChanges(title=word, body=f"{word} as first written"))
        opened.delete(next(e.id for e in opened.entries() if e.title == "charlie"))
        sync.sync(opened, folder)
        yield opened, folder


def _record(folder: Path) -> Path:
    [path] = join_record.records_in(folder / join_record.SUBFOLDER)
    return path


def _titles(opened: vault.Vault) -> list[str]:
    return sorted(e.title for e in opened.entries())


def test_a_new_device_joins_with_the_passphrase_and_has_the_whole_journal(first, tmp_path):
    """Same entries and deletions, same vault id, its own device id; and the record stays as it was."""
    a, folder = first
    record_before = _record(folder).read_bytes()
    joined = sync_join.join(folder, PASSPHRASE, tmp_path / "phone")
    with joined.vault as b:
        assert _titles(b) == ["alpha", "bravo"] and set(b.tombstones()) == set(a.tombstones())
        assert b.identity() == a.identity()
        assert joined.report.device != sync.sync(a, folder).device
        assert len(joined.recovery_key) == 69
        b.add(EntryChanges(title="from the phone"))
        sync.sync(b, folder)
    sync.sync(a, folder)
    assert "from the phone" in _titles(a)
    assert _record(folder).read_bytes() == record_before  # every device agrees on one record
    assert vault.unlock(tmp_path / "phone", PASSPHRASE).count() == 3  # it opens with the passphrase


def test_the_record_costs_a_guess_exactly_what_the_vault_does(first, made_vault):
    """The record's key-derivation cost and salt are the vault's own slot, never a cheaper one; no entry
    text is in it."""
    _a, folder = first
    record = join_record.read_record(_record(folder))
    opened = vault.vault_file.open_file(made_vault.folder, allow_synced=False)
    try:
        assert record.slot == opened.slot(keyslots.PASSPHRASE)
    finally:
        opened.close()
    assert b"alpha" not in _record(folder).read_bytes()


def test_a_current_record_is_left_alone(first):
    """A second sync finds the record current and does not touch the file."""
    a, folder = first
    path = _record(folder)
    stamp = path.stat().st_mtime_ns
    assert join_record.ensure_join_record(a, folder) == "current"
    assert path.stat().st_mtime_ns == stamp


def test_a_wrong_passphrase_writes_nothing(first, tmp_path):
    """WrongSecret with the join message; no vault folder is made."""
    _a, folder = first
    with pytest.raises(WrongSecret) as caught:
        sync_join.join(folder, "not the passphrase at all", tmp_path / "phone")
    assert caught.value.message == messages.WRONG_JOIN_PASSPHRASE
    assert not (tmp_path / "phone").exists()


def test_no_record_says_so_and_writes_nothing(tmp_path):
    """An empty sync folder, or none at all: InvalidInput naming the folder; nothing is made."""
    empty = tmp_path / "Sync"
    empty.mkdir()
    with pytest.raises(InvalidInput) as caught:
        sync_join.join(empty, PASSPHRASE, tmp_path / "phone")
    assert caught.value.message == messages.join_no_record(empty.absolute())
    with pytest.raises(InvalidInput, match="There is no folder"):
        sync_join.join(tmp_path / "nowhere", PASSPHRASE, tmp_path / "phone")
    assert not (tmp_path / "phone").exists()


@pytest.mark.parametrize("damage", ["cut", "flipped", "garbage"])
def test_a_damaged_record_says_so_and_writes_nothing(first, tmp_path, damage):
    """A record cut short, altered, or not JSON: VaultDamaged before any passphrase is tried."""
    _a, folder = first
    path = _record(folder)
    raw = path.read_bytes()
    if damage == "cut":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "flipped":
        fields = json.loads(raw)
        fields["wrapped"] = fields["wrapped"][::-1]
        path.write_text(json.dumps(fields))
    else:
        path.write_bytes(b"\x00\x01 not a record")
    with pytest.raises(VaultDamaged, match=r"join record .* is damaged"):
        sync_join.join(folder, PASSPHRASE, tmp_path / "phone")
    assert not (tmp_path / "phone").exists()


def test_a_record_from_a_newer_release_is_refused_and_not_overwritten(first, tmp_path):
    """format 2: 'update Purpose'; a sync here leaves that record as it is."""
    a, folder = first
    path = _record(folder)
    fields = json.loads(path.read_bytes())
    fields["format"] = 2
    fields["check"] = join_record._check(fields)
    path.write_text(json.dumps(fields))
    with pytest.raises(VaultUnavailable, match="newer version"):
        sync_join.join(folder, PASSPHRASE, tmp_path / "phone")
    assert not (tmp_path / "phone").exists()
    assert join_record.ensure_join_record(a, folder) == "left for a newer one"
    assert json.loads(path.read_bytes())["format"] == 2


def test_a_vault_already_here_is_refused_and_untouched(first, made_vault):
    """Joining into a folder that holds a vault: VaultUnavailable, and the vault is byte for byte the same."""
    a, folder = first
    a.lock()
    before = fingerprint(made_vault.folder)
    with pytest.raises(VaultUnavailable) as caught:
        sync_join.join(folder, PASSPHRASE, made_vault.folder)
    assert caught.value.message == messages.vault_exists(made_vault.folder)
    assert fingerprint(made_vault.folder) == before


def test_a_failed_first_sync_leaves_no_vault_behind(first, tmp_path, monkeypatch):
    """If the first sync fails, the new vault is taken away again, so a second try can start afresh."""
    _a, folder = first

    def broken(*_args: object) -> None:
        raise InvalidInput("the folder went away")

    monkeypatch.setattr(sync, "sync", broken)
    with pytest.raises(InvalidInput, match="went away"):
        sync_join.join(folder, PASSPHRASE, tmp_path / "phone")
    assert not (tmp_path / "phone").exists()
    monkeypatch.undo()
    with sync_join.join(folder, PASSPHRASE, tmp_path / "phone").vault as b:
        assert _titles(b) == ["alpha", "bravo"]


def test_after_a_passphrase_change_only_the_new_one_joins(first, tmp_path):
    """The next sync rewrites the record; the old passphrase no longer opens it. A device that still
    has the old passphrase leaves the newer record alone when it syncs."""
    a, folder = first
    with sync_join.join(folder, PASSPHRASE, tmp_path / "laptop").vault as early:
        a.change_passphrase(NEW_PASSPHRASE)
        sync.sync(a, folder)
        newer = _record(folder).read_bytes()
        sync.sync(early, folder)  # its own slot is unchanged: the record is not its to rewrite
        assert _record(folder).read_bytes() == newer
    with pytest.raises(WrongSecret):
        sync_join.join(folder, PASSPHRASE, tmp_path / "phone")
    assert not (tmp_path / "phone").exists()
    with sync_join.join(folder, NEW_PASSPHRASE, tmp_path / "phone").vault as b:
        assert _titles(b) == ["alpha", "bravo"]


def test_wrong_join_tries_are_throttled(first, tmp_path):
    """After FREE_TRIES wrong passphrases the next try, even the right one, is refused at once."""
    _a, folder = first
    throttle = UnlockThrottle(clock=lambda: 1000.0)
    for _ in range(FREE_TRIES):
        with pytest.raises(WrongSecret):
            sync_join.join(folder, "a wrong guess, again", tmp_path / "phone", throttle=throttle)
    with pytest.raises(TooManyTries):
        sync_join.join(folder, PASSPHRASE, tmp_path / "phone", throttle=throttle)
    assert not (tmp_path / "phone").exists()


def test_a_damaged_slot_writes_no_record(first, tmp_path, monkeypatch):
    """When the vault's passphrase slot cannot be read, ensure_join_record writes nothing and says so."""
    a, _folder = first
    other = tmp_path / "Other"
    other.mkdir()
    (other / join_record.SUBFOLDER).mkdir()
    monkeypatch.setattr(join_record, "_vault_slot", lambda _vault: None)
    assert join_record.ensure_join_record(a, other) == "not written"
    assert join_record.records_in(other / join_record.SUBFOLDER) == []


def test_the_subfolder_is_the_one_sync_uses():
    """join_record cannot import sync (sync imports it): the two names must agree."""
    assert join_record.SUBFOLDER == sync.SUBFOLDER
