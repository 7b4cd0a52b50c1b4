"""Where the vault lives: the folder a person chose, or the platform's private data folder."""

from __future__ import annotations

from purpose_app.storage.location import resolve_vault_dir, synced_service

__all__ = ["resolve_vault_dir", "synced_service"]
