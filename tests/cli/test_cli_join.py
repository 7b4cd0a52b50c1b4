"""`purpose join FOLDER`: a new device from the sync folder and its passphrase; nothing written on failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.cli_contract import file_hash

PASSPHRASE = "correct horse battery"  # what run_cli sets as PURPOSE_PASSPHRASE


@pytest.fixture
def shared(run_cli, add, tmp_path) -> Path:
    """A vault with two entries, synced once into tmp_path/Sync (which then holds its join record)."""
    add("--title", "night shift", "--tag", "ward")
    add("--title", "clinic", "--body", "a slower day")
    folder = tmp_path / "Sync"
    folder.mkdir()
    result = run_cli("sync", "--folder", str(folder))
    assert result.code == 0, result.err
    return folder


def _titles(run_cli, vault: Path) -> list[str]:
    result = run_cli("list", "--json", "--vault", str(vault), env={"PURPOSE_PASSPHRASE": PASSPHRASE})
    assert result.code == 0, result.err
    return sorted(str(e["title"]) for e in json.loads(result.out))


def test_join_makes_a_vault_with_the_whole_journal(run_cli, shared, tmp_path, vault_dir):
    """--json: the new vault, its own recovery key and device; its entries are the first device's."""
    phone = tmp_path / "phone"
    result = run_cli("join", str(shared), "--vault", str(phone), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["vault"] == str(phone) and data["entries"] == 2 and len(data["recovery_key"]) == 69
    assert _titles(run_cli, phone) == _titles(run_cli, vault_dir) == ["clinic", "night shift"]


def test_join_in_words(run_cli, shared, tmp_path):
    """Without --json: says it joined, how many entries, and shows the recovery key once."""
    result = run_cli("join", str(shared), "--vault", str(tmp_path / "phone"))
    assert result.code == 0, result.err
    assert "has joined your journal: 2 entries" in result.out and "recovery key" in result.out


def test_join_with_a_wrong_passphrase(run_cli, shared, tmp_path):
    """Exit 3, the join message, and no vault folder made."""
    phone = tmp_path / "phone"
    result = run_cli(
        "join", str(shared), "--vault", str(phone), env={"PURPOSE_PASSPHRASE": "not it, not at all"}
    )
    assert result.code == 3 and "does not open the journal in this sync folder" in result.err
    assert not phone.exists()


def test_join_without_a_record(run_cli, tmp_path):
    """An empty folder: exit 5 before any passphrase is asked (none is set here), nothing made."""
    empty = tmp_path / "Sync"
    empty.mkdir()
    phone = tmp_path / "phone"
    result = run_cli("join", str(empty), "--vault", str(phone), env={"PURPOSE_PASSPHRASE": None})
    assert result.code == 5 and "no journal to join" in result.err and "Passphrase" not in result.err
    assert not phone.exists()


def test_join_with_a_damaged_record(run_cli, shared, tmp_path):
    """A record cut short: exit 4 before the passphrase is asked, nothing made."""
    [record] = (shared / "purpose-sync").glob("join-*.record")
    record.write_bytes(record.read_bytes()[:40])
    phone = tmp_path / "phone"
    result = run_cli("join", str(shared), "--vault", str(phone), env={"PURPOSE_PASSPHRASE": None})
    assert result.code == 4 and "is damaged" in result.err
    assert not phone.exists()


def test_join_into_a_folder_that_has_a_vault(run_cli, shared, vault_dir):
    """Exit 6 and the vault there is unchanged."""
    before = file_hash(vault_dir / "purpose.db")
    result = run_cli("join", str(shared), env={"PURPOSE_PASSPHRASE": None})
    assert result.code == 6 and "already a Purpose vault" in result.err
    assert file_hash(vault_dir / "purpose.db") == before


def test_the_joined_device_syncs_back(run_cli, shared, tmp_path):
    """An entry added on the new device reaches the first one through `purpose sync`."""
    phone = tmp_path / "phone"
    assert run_cli("join", str(shared), "--vault", str(phone)).code == 0
    assert run_cli("add", "--vault", str(phone), "--title", "from the phone").code == 0
    assert run_cli("sync", "--vault", str(phone), "--folder", str(shared)).code == 0
    assert run_cli("sync", "--folder", str(shared)).code == 0
    assert "from the phone" in run_cli("list").out
