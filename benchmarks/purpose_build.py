"""A Purpose vault filled fast: every generated entry stored by Vault.import_entries in ONE transaction
(the importer path), instead of one `purpose add` per entry."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from benchmarks.corpus import GenEntry
from purpose_app.crypto import kdf
from purpose_app.domain.entry import Entry, EntryChanges, build_entry
from purpose_app.services import vault

PASSPHRASE = "correct horse battery staple"
_NAMESPACE = uuid.UUID("8f1d0c52-5a8e-4c1b-9d0e-6a1f3b2c4d5e")


def to_entry(index: int, generated: GenEntry) -> Entry:
    changes = EntryChanges(
        title=generated.title,
        body=generated.body,
        tags=generated.tags,
        energy=generated.energy,
        drains=generated.drains,
        fuels=generated.fuels,
        shift=generated.shift,
    )
    entry_id = str(uuid.uuid5(_NAMESPACE, f"bench-{index}"))
    return build_entry(entry_id, generated.created, generated.created, 1, changes)


def build_vault(folder: Path, entries: Iterable[GenEntry], params: kdf.KdfParams = kdf.DEFAULT) -> float:
    """Create the vault (at the given KDF cost) and import the entries; returns the import seconds."""
    opened, _recovery_key = vault.create(folder, PASSPHRASE, params)
    with opened:
        started = time.perf_counter()
        opened.import_entries(to_entry(i, e) for i, e in enumerate(entries))
        return time.perf_counter() - started
