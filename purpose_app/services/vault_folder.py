"""Whether a folder holds a vault, asked before any passphrase is (a passphrase cannot help there)."""

from __future__ import annotations

from pathlib import Path

from purpose_app import messages
from purpose_app.errors import VaultUnavailable
from purpose_app.storage.location import vault_exists, vault_path  # not vault_file: no SQLAlchemy


def has_vault(folder: Path) -> bool:
    """True when the folder has a vault file (or something in its place)."""
    return vault_path(folder).exists()


def require_vault(folder: Path) -> None:
    """Raise VaultUnavailable, with the sentence unlocking would give, when there is no vault to open."""
    if not vault_exists(folder):
        raise VaultUnavailable(messages.vault_missing(folder))


def refuse_existing(folder: Path) -> None:
    """Raise VaultUnavailable when a vault (or anything by its name) is already there."""
    if has_vault(folder):
        raise VaultUnavailable(messages.vault_exists(folder))
