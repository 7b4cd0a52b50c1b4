"""Shared by the command-line contract tests (a plain module: conftest is not importable by name)."""

from __future__ import annotations

import hashlib
from pathlib import Path

ENTRY_KEYS = {
    "id", "created", "updated", "revision", "title", "body",
    "tags", "energy", "drains", "fuels", "shift", "prompt",
}  # fmt: skip


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
