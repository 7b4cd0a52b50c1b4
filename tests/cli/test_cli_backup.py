"""`purpose backup`, `restore` and `sync`: exit codes, JSON output, nothing changed on failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

OLD = "correct horse battery"  # what run_cli sets as PURPOSE_PASSPHRASE
NEW = "staple of the night shift"
SEPARATE = "a passphrase just for backups"


@pytest.fixture
def filled(run_cli, add, tmp_path) -> Path:
    """A vault with three entries (one edited, one deleted) and a backup of it under the vault passphrase."""
    first = add("--title", "first", "--energy", "4", "--tag", "origins")
    add("--title", "second", "--body", "a longer text")
    gone = add("--title", "third")
    assert run_cli("edit", first, "--energy", "6").code == 0
    assert run_cli("delete", gone, "--yes").code == 0
    out = tmp_path / "journal.backup"
    result = run_cli("backup", "--out", str(out), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["entries"], data["deletions"], data["separate_passphrase"]) == (2, 1, False)
    return out


def _list(run_cli, *args: str, passphrase: str = OLD) -> list[dict[str, object]]:
    result = run_cli("list", "--json", *args, env={"PURPOSE_PASSPHRASE": passphrase})
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_backup_and_restore_into_a_new_vault(run_cli, filled, tmp_path, listed):
    """The restored vault lists exactly the same entries, opens with its new passphrase, and the
    output carries its new recovery key."""
    target = tmp_path / "restored"
    result = run_cli(
        "restore", str(filled), "--vault", str(target), "--json",
        env={"PURPOSE_BACKUP_PASSPHRASE": OLD, "PURPOSE_NEW_PASSPHRASE": NEW},
    )  # fmt: skip
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["entries"] == 2 and data["deletions"] == 1 and len(data["recovery_key"]) == 69
    assert _list(run_cli, "--vault", str(target), passphrase=NEW) == listed()
    assert run_cli("list", "--vault", str(target)).code == 3  # the old passphrase does not open it


def test_a_separate_backup_passphrase(run_cli, add, tmp_path):
    """--separate-passphrase protects the file with PURPOSE_BACKUP_PASSPHRASE; the vault passphrase
    then does not open it (exit 3), and a short one is refused before anything is written."""
    add("--title", "kept")
    out = tmp_path / "separate.backup"
    short = run_cli(
        "backup", "--out", str(out), "--separate-passphrase", env={"PURPOSE_BACKUP_PASSPHRASE": "x"}
    )
    assert short.code == 5 and not out.exists()
    made = run_cli(
        "backup", "--out", str(out), "--separate-passphrase", env={"PURPOSE_BACKUP_PASSPHRASE": SEPARATE}
    )
    assert made.code == 0, made.err
    target = str(tmp_path / "restored")
    env = {"PURPOSE_NEW_PASSPHRASE": NEW}
    wrong = run_cli("restore", str(out), "--vault", target, env={**env, "PURPOSE_BACKUP_PASSPHRASE": OLD})
    assert wrong.code == 3 and "does not open this backup" in wrong.err
    assert not Path(target).exists()
    right = run_cli(
        "restore", str(out), "--vault", target, env={**env, "PURPOSE_BACKUP_PASSPHRASE": SEPARATE}
    )
    assert right.code == 0, right.err
    assert [e["title"] for e in _list(run_cli, "--vault", target, passphrase=NEW)] == ["kept"]


def test_restore_without_merge_refuses_an_existing_vault(run_cli, filled, state):
    """Restoring over the current vault is refused (exit 6) before any passphrase is asked."""
    before = state()
    result = run_cli(
        "restore", str(filled), env={"PURPOSE_BACKUP_PASSPHRASE": OLD, "PURPOSE_NEW_PASSPHRASE": NEW}
    )
    assert result.code == 6 and "--merge" in result.err
    assert state() == before


@pytest.mark.parametrize("damage", ["flip", "truncate", "not-a-backup"])
def test_a_damaged_backup_exits_5_and_changes_nothing(run_cli, filled, state, damage, tmp_path):
    """A damaged, cut or foreign file: exit 5, a plain message, the vault byte for byte as it was; no
    new vault is made either."""
    data = bytearray(filled.read_bytes())
    if damage == "flip":
        data[-100] ^= 0x04
    elif damage == "truncate":
        del data[len(data) // 2 :]
    else:
        data = bytearray(b'{"not": "a backup"}')
    filled.write_bytes(bytes(data))
    before = state()
    env = {"PURPOSE_BACKUP_PASSPHRASE": OLD, "PURPOSE_NEW_PASSPHRASE": NEW}
    merged = run_cli("restore", str(filled), "--merge", env=env)
    assert merged.code == 5, merged.err
    assert "cannot be restored" in merged.err and "Nothing was changed" in merged.err
    assert "Traceback" not in merged.err
    assert state() == before
    fresh = run_cli("restore", str(filled), "--vault", str(tmp_path / "new"), env=env)
    assert fresh.code == 5 and not (tmp_path / "new").exists()


def test_a_wrong_backup_passphrase_exits_3_and_changes_nothing(run_cli, filled, state):
    """exit 3, and the vault is untouched."""
    before = state()
    result = run_cli(
        "restore", str(filled), "--merge", env={"PURPOSE_BACKUP_PASSPHRASE": "not the one at all"}
    )
    assert result.code == 3
    assert state() == before


def test_restore_merge_reports_what_changed(run_cli, filled, tmp_path):
    """Merging a backup of a copy that moved on: its newer edit and new entry come in, reported in JSON."""
    other = str(tmp_path / "other")
    env = {"PURPOSE_BACKUP_PASSPHRASE": OLD, "PURPOSE_NEW_PASSPHRASE": OLD}
    assert run_cli("restore", str(filled), "--vault", other, env=env).code == 0
    first = next(e for e in _list(run_cli, "--vault", other) if e["title"] == "first")
    assert run_cli("edit", str(first["id"]), "--vault", other, "--energy", "9").code == 0
    assert run_cli("add", "--vault", other, "--title", "from the copy").code == 0
    out = tmp_path / "other.backup"
    assert run_cli("backup", "--vault", other, "--out", str(out)).code == 0
    result = run_cli("restore", str(out), "--merge", "--json", env={"PURPOSE_BACKUP_PASSPHRASE": OLD})
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["merged"] is True and data["updated"] == [first["id"]] and len(data["added"]) == 1
    assert data["conflicts"] == [] and data["documents_added"] == 0
    titles = {e["title"]: e for e in _list(run_cli)}
    assert titles["first"]["energy"] == 9 and "from the copy" in titles


def test_sync_between_two_vaults(run_cli, filled, tmp_path):
    """`sync --json` sends, receives and reports; two vaults sharing a folder end up with the same entries."""
    other = str(tmp_path / "other")
    assert run_cli(
        "restore", str(filled), "--vault", other,
        env={"PURPOSE_BACKUP_PASSPHRASE": OLD, "PURPOSE_NEW_PASSPHRASE": OLD},
    ).code == 0  # fmt: skip
    folder = tmp_path / "Sync"
    folder.mkdir()
    assert run_cli("add", "--title", "here").code == 0
    assert run_cli("add", "--vault", other, "--title", "there").code == 0
    first = run_cli("sync", "--folder", str(folder), "--json")
    assert first.code == 0, first.err
    sent = json.loads(first.out)
    assert sent["received"]["files"] == [] and sent["skipped"] == []
    assert (sent["sent"]["entries"], sent["sent"]["deletions"]) == (3, 1)  # a first sync sends everything
    second = run_cli("sync", "--vault", other, "--folder", str(folder), "--json")
    received = json.loads(second.out)
    assert received["received"]["files"] == [sent["sent"]["file"]] and len(received["received"]["added"]) == 1
    human = run_cli("sync", "--folder", str(folder))
    assert human.code == 0 and "Received 1 change files" in human.out
    assert _list(run_cli) == _list(run_cli, "--vault", other)


def test_sync_skips_a_half_copied_file_with_a_message(run_cli, filled, tmp_path):
    """A change file cut short is named on stderr with the reason; the sync still succeeds (exit 0)."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    (folder / "purpose-sync").mkdir()
    half = folder / "purpose-sync" / f"{'a' * 32}-000001-0123abcd.changes"
    half.write_bytes(b"PRPSCHNK\x01")
    result = run_cli("sync", "--folder", str(folder))
    assert result.code == 0, result.err
    assert half.name in result.err and "incomplete" in result.err and "tried again" in result.err


def test_sync_refuses_a_missing_folder_and_the_vault_folder(run_cli, cli_vault, tmp_path):
    """A folder that does not exist, or the vault's own folder: exit 5 with a reason."""
    missing = run_cli("sync", "--folder", str(tmp_path / "nowhere"))
    assert missing.code == 5 and "no folder" in missing.err
    own = run_cli("sync", "--folder", str(cli_vault))
    assert own.code == 5 and "never be in a synced folder" in own.err


def test_backup_needs_a_writable_out_file(run_cli, cli_vault, tmp_path, state):
    """`backup` without --out is a usage error (exit 2); a folder or a missing folder as --out is
    refused (exit 5) before the passphrase is asked, and nothing changes."""
    before = state()
    assert run_cli("backup").code == 2
    for bad in (tmp_path, tmp_path / "missing" / "b.backup"):
        result = run_cli("backup", "--out", str(bad), env={"PURPOSE_PASSPHRASE": None})
        assert result.code == 5 and "folder" in result.err and "Passphrase" not in result.err
    assert state() == before
