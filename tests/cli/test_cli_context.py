"""The command line's own plumbing: typed arguments, its file writer, the vault-folder checks."""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path

import pytest

from purpose_app.cli.context import Arguments
from purpose_app.cli.files import write_file
from purpose_app.errors import InvalidInput, VaultUnavailable
from purpose_app.services import key_cost, vault_folder


def test_arguments_read_typed_values_and_refuse_the_wrong_type():
    """Each reader returns the type it names; a wrong type is a programming error, not a guess."""
    args = Arguments(argparse.Namespace(name="x", tags=["a", "b"], yes=True, limit=3, scale=2.0, gone=None))
    assert args.text("name") == "x" and args.optional("gone") is None and args.optional("missing") is None
    assert args.texts("tags") == ["a", "b"] and args.texts("gone") is None
    assert args.flag("yes") and not args.flag("missing")
    assert args.integer("limit") == 3 and args.real("scale") == 2.0
    with pytest.raises(TypeError):
        args.text("limit")


def test_written_files_are_private_and_complete(tmp_path: Path):
    """A chart, report or pack written by the CLI is readable by its owner only, whatever the umask."""
    target = tmp_path / "chart.png"
    old = os.umask(0o022)
    try:
        write_file(str(target), b"png bytes")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"png bytes"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]


def test_a_failed_write_names_the_path_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The message keeps the person's spelling of the path ("./x" stays "./x")."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidInput) as caught:
        write_file("./missing-folder/chart.png", b"x")
    assert caught.value.message.startswith("Could not write ./missing-folder/chart.png: ")
    assert caught.value.message.endswith("Choose another place with --out.")


def test_vault_folder_checks(tmp_path: Path):
    """No vault: require_vault says so; a vault file: refuse_existing says one is there."""
    with pytest.raises(VaultUnavailable):
        vault_folder.require_vault(tmp_path)
    vault_folder.refuse_existing(tmp_path)
    (tmp_path / "purpose.db").write_bytes(b"")
    vault_folder.require_vault(tmp_path)
    with pytest.raises(VaultUnavailable):
        vault_folder.refuse_existing(tmp_path)


def test_key_cost_names_the_test_profile(monkeypatch: pytest.MonkeyPatch):
    """PURPOSE_KDF_PROFILE picks the cost; an unknown name is a ValueError with the known names."""
    monkeypatch.setenv("PURPOSE_KDF_PROFILE", "test")
    assert key_cost.is_test(key_cost.from_env())
    monkeypatch.setenv("PURPOSE_KDF_PROFILE", "default")
    assert not key_cost.is_test(key_cost.from_env())
    monkeypatch.setenv("PURPOSE_KDF_PROFILE", "cheap")
    with pytest.raises(ValueError, match="default, test"):
        key_cost.from_env()
