"""Passphrases and recovery keys on the command line: passwd, recover, recovery-key, and no terminal."""

from __future__ import annotations

import json

import pytest

from cli.cli_contract import file_hash

NEW = "staple of the night shift"
OLD = "correct horse battery"  # what run_cli sets as PURPOSE_PASSPHRASE


@pytest.fixture
def keyed(run_cli, vault_dir):
    """A vault made with `init --json`, holding one entry; returns its recovery key."""
    made = run_cli("init", "--json")
    assert made.code == 0, made.err
    assert run_cli("add", "--title", "before the change", "--energy", "5").code == 0
    return json.loads(made.out)["recovery_key"]


def titles(run_cli, passphrase):
    result = run_cli("list", "--json", env={"PURPOSE_PASSPHRASE": passphrase})
    assert result.code == 0, result.err
    return [e["title"] for e in json.loads(result.out)]


def test_wrong_passphrase_exits_3_and_changes_nothing(run_cli, keyed, vault_dir):
    """A wrong passphrase: exit 3, a plain message, not a byte of the vault changed."""
    before = file_hash(vault_dir / "purpose.db")
    for command in (("list",), ("add", "--energy", "3"), ("passwd",)):
        result = run_cli(*command, env={"PURPOSE_PASSPHRASE": "wrong horse battery"})
        assert result.code == 3, result.err
        assert "passphrase does not open" in result.err and "Traceback" not in result.err
    assert file_hash(vault_dir / "purpose.db") == before
    assert titles(run_cli, OLD) == ["before the change"]


def test_passwd_changes_the_passphrase(run_cli, keyed):
    """After `passwd`, the old passphrase exits 3, the new one opens every entry as it was."""
    result = run_cli("passwd", "--json", env={"PURPOSE_NEW_PASSPHRASE": NEW})
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"changed": True}
    old = run_cli("list", "--json")
    assert old.code == 3 and old.out == ""
    assert titles(run_cli, NEW) == ["before the change"]


def test_passwd_to_a_too_short_passphrase_is_refused(run_cli, keyed, vault_dir):
    """A new passphrase under 8 characters: exit 5, says why, and the old passphrase still works."""
    before = file_hash(vault_dir / "purpose.db")
    result = run_cli("passwd", env={"PURPOSE_NEW_PASSPHRASE": "short"})
    assert result.code == 5 and "too short" in result.err and "8" in result.err
    assert "short\n" not in result.out
    assert file_hash(vault_dir / "purpose.db") == before
    assert titles(run_cli, OLD) == ["before the change"]
    assert run_cli("list", env={"PURPOSE_PASSPHRASE": "short"}).code == 3


def test_passwd_without_a_new_passphrase_and_no_terminal_exits_2(run_cli, keyed, vault_dir):
    """No PURPOSE_NEW_PASSPHRASE and no terminal to ask on: exit 2 naming the variable; nothing changed."""
    before = file_hash(vault_dir / "purpose.db")
    result = run_cli("passwd", env={"PURPOSE_NEW_PASSPHRASE": None})
    assert result.code == 2 and "PURPOSE_NEW_PASSPHRASE" in result.err
    assert file_hash(vault_dir / "purpose.db") == before
    assert titles(run_cli, OLD) == ["before the change"]


UNLOCKING = [
    ("list",), ("add", "--energy", "3"), ("show", "abcd"), ("passwd",), ("recovery-key", "--regenerate"),
]  # fmt: skip


@pytest.mark.parametrize("command", UNLOCKING)
def test_no_passphrase_and_no_terminal_exits_2(run_cli, keyed, vault_dir, command):
    """Without PURPOSE_PASSPHRASE and with no terminal, every command that unlocks exits 2 and says how."""
    before = file_hash(vault_dir / "purpose.db")
    result = run_cli(*command, env={"PURPOSE_PASSPHRASE": None, "PURPOSE_NEW_PASSPHRASE": NEW})
    assert result.code == 2, result.err
    assert "PURPOSE_PASSPHRASE" in result.err and "Traceback" not in result.err
    assert file_hash(vault_dir / "purpose.db") == before


def test_init_without_a_passphrase_and_no_terminal_exits_2_and_creates_nothing(run_cli, vault_dir):
    """init with no PURPOSE_PASSPHRASE and no terminal: exit 2 and no vault file."""
    result = run_cli("init", env={"PURPOSE_PASSPHRASE": None})
    assert result.code == 2 and "PURPOSE_PASSPHRASE" in result.err
    assert not (vault_dir / "purpose.db").exists()


def test_init_with_a_too_short_passphrase_is_refused(run_cli, vault_dir):
    """init with a 7-character passphrase: exit 5 and no vault file."""
    result = run_cli("init", env={"PURPOSE_PASSPHRASE": "1234567"})
    assert result.code == 5 and "too short" in result.err
    assert not (vault_dir / "purpose.db").exists()


def test_recover_sets_a_new_passphrase_with_the_recovery_key(run_cli, keyed):
    """`recover` with the recovery key and PURPOSE_NEW_PASSPHRASE sets it; the old passphrase stops."""
    env = {"PURPOSE_PASSPHRASE": None, "PURPOSE_RECOVERY_KEY": keyed, "PURPOSE_NEW_PASSPHRASE": NEW}
    result = run_cli("recover", env=env)
    assert result.code == 0, result.err
    assert titles(run_cli, NEW) == ["before the change"]
    assert run_cli("list").code == 3


def test_recover_with_a_wrong_or_mistyped_key_exits_3(run_cli, keyed, vault_dir, tmp_path):
    """Another vault's recovery key, or a mistyped one, exits 3 and changes nothing."""
    other = run_cli("init", "--json", "--vault", str(tmp_path / "other"))
    other_key = json.loads(other.out)["recovery_key"]
    before = file_hash(vault_dir / "purpose.db")
    typo = keyed[:-1] + ("A" if keyed[-1] != "A" else "B")
    for key in (other_key, typo, "not a key at all"):
        result = run_cli("recover", env={"PURPOSE_RECOVERY_KEY": key, "PURPOSE_NEW_PASSPHRASE": NEW})
        assert result.code == 3, (key, result.err)
        assert "recovery key" in result.err.lower() and "Traceback" not in result.err
    assert file_hash(vault_dir / "purpose.db") == before
    assert titles(run_cli, OLD) == ["before the change"]


def test_regenerating_the_recovery_key_retires_the_old_one(run_cli, keyed):
    """`recovery-key --regenerate --json` prints a new key; the old one then exits 3, the new one works."""
    result = run_cli("recovery-key", "--regenerate", "--json")
    assert result.code == 0, result.err
    new_key = json.loads(result.out)["recovery_key"]
    assert new_key != keyed
    env = {"PURPOSE_NEW_PASSPHRASE": NEW}
    assert run_cli("recover", env={**env, "PURPOSE_RECOVERY_KEY": keyed}).code == 3
    assert run_cli("recover", env={**env, "PURPOSE_RECOVERY_KEY": new_key}).code == 0
    assert titles(run_cli, NEW) == ["before the change"]
