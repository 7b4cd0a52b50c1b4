"""Helpers for the command-line contract tests: a ready vault, adding entries, fingerprints of disk state."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.cli_contract import file_hash


@pytest.fixture
def cli_vault(run_cli, vault_dir: Path) -> Path:
    """A vault created through `purpose init` in vault_dir (the folder run_cli points at)."""
    result = run_cli("init", "--json")
    assert result.code == 0, result.err
    return vault_dir


@pytest.fixture
def add(run_cli, cli_vault: Path) -> Callable[..., str]:
    """`purpose add ARGS` that must succeed; returns the new id."""

    def run(*args: str, stdin: bytes | str = b"") -> str:
        result = run_cli("add", *args, stdin=stdin)
        assert result.code == 0, result.err
        return result.out.strip()

    return run


@pytest.fixture
def listed(run_cli) -> Callable[..., list[dict[str, object]]]:
    """`purpose list --json ARGS` that must succeed, parsed."""

    def run(*args: str) -> list[dict[str, object]]:
        result = run_cli("list", "--json", *args)
        assert result.code == 0, result.err
        data = json.loads(result.out)
        assert isinstance(data, list)
        return data

    return run


@pytest.fixture
def state(run_cli, vault_dir: Path) -> Callable[[], tuple[str, str]]:
    """A fingerprint of the vault: the database file's hash and every entry as `list --json` shows it.

    Taken before and after a refused command to prove that nothing changed."""

    def take() -> tuple[str, str]:
        result = run_cli("list", "--json")
        assert result.code == 0, result.err
        return file_hash(vault_dir / "purpose.db"), result.out

    return take
