"""The vault file's pieces that need no key: the header, and whether a folder holds a vault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from purpose_app.storage.location import DATABASE_NAME
from purpose_app.storage.vault_file import FORMAT_VERSION, Header, vault_exists, vault_path


def test_vault_exists_only_when_the_file_is_there(tmp_path: Path) -> None:
    """No folder, an empty folder and a folder named like the file are no vault; a file is."""
    assert not vault_exists(tmp_path / "nowhere")
    assert not vault_exists(tmp_path)
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / DATABASE_NAME).mkdir()
    assert not vault_exists(tmp_path / "dir")
    vault_path(tmp_path).write_bytes(b"")
    assert vault_exists(tmp_path) and vault_path(tmp_path) == tmp_path / DATABASE_NAME


def test_header_is_canonical_json_and_parses_back() -> None:
    """A new header is sorted compact JSON naming the app, the format and the vault id."""
    header = Header.new("abc123")
    assert header.raw == b'{"app":"purpose","format":%d,"vault_id":"abc123"}' % FORMAT_VERSION
    assert Header.parse(header.raw) == header
    assert len(Header.new().vault_id) == 32


def test_a_foreign_header_is_refused() -> None:
    """Another app's JSON in the header row is not ours."""
    with pytest.raises(ValueError, match="not a purpose header"):
        Header.parse(json.dumps({"app": "other", "format": 1, "vault_id": "x"}).encode())
