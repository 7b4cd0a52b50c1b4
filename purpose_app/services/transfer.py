"""Import and export: the use cases the command line and the app call.

Importing is two steps so a person's file is checked before their passphrase is asked for: read()
parses the whole file without touching the vault; store() writes every entry in one transaction
(all or nothing; ids already present are skipped). Exporting writes each file privately (see
private_file); the JSON export streams from the vault.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from purpose_app.crypto import import_ids
from purpose_app.domain.entry import Entry
from purpose_app.errors import InvalidInput
from purpose_app.interchange import jrnl_export
from purpose_app.interchange.errors import refused
from purpose_app.interchange.formats import EXPORTERS, parse, render
from purpose_app.interchange.records import Failure, ImportBatch, ImportOptions, is_derived_id
from purpose_app.services.private_file import write_private

if TYPE_CHECKING:
    from purpose_app.services.vault import Vault


@dataclass(frozen=True)
class ImportSummary:
    format: str
    read: int
    added: tuple[str, ...]
    skipped: tuple[str, ...]  # already in the vault, or twice in the file
    failed: tuple[Failure, ...]  # left out (only when the caller chose to leave failures out)
    photos: int
    attachments: int


def read(name: str, path: Path, options: ImportOptions | None = None) -> ImportBatch:
    """Parse a file of the named format. Raises InvalidInput; never touches a vault."""
    try:
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder; give the export file itself.")
        with path.open("rb") as source:
            return parse(name, source, options)
    except OSError as exc:
        raise InvalidInput(f"Could not read {path}: {exc.strerror or exc}. Nothing was imported.") from None


def check(batch: ImportBatch, *, leave_out_failures: bool = False) -> None:
    """Refuse a batch with failures (EntriesRefused) unless the caller chose to leave them out."""
    if batch.failures and not leave_out_failures:
        raise refused(batch.failures, len(batch.entries))


def store(
    vault: Vault, batch: ImportBatch, *, leave_out_failures: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:  # fmt: skip
    """Write the batch in one transaction. Any failure refuses the whole batch unless the caller
    chose to leave failures out (then they are reported in the summary)."""
    check(batch, leave_out_failures=leave_out_failures)
    legacy, keyed = _keyed_entries(vault, batch.entries)
    outcome = vault.import_entries(keyed, progress=progress)
    return ImportSummary(
        batch.format, batch.read, outcome.added, (*legacy, *outcome.skipped), tuple(batch.failures),
        batch.photos, batch.attachments,
    )  # fmt: skip


def _keyed_entries(vault: Vault, entries: list[Entry]) -> tuple[list[str], list[Entry]]:
    """Each entry whose id an importer derived from its source (records.stable_id) under a vault-keyed
    id instead (crypto/import_ids); ids Purpose's own export carried are random and kept, so a journal
    moved through JSON keeps its ids. Entries an earlier version of Purpose stored under the derived id
    itself are skipped while that id is still there (or deleted), so re-importing an old file never
    duplicates. Returns (those skipped, the entries to store)."""
    key = vault.subkey(import_ids.SUBKEY_PURPOSE)
    derived = [entry for entry in entries if is_derived_id(entry.id)]
    known = (
        {entry.id for entry in vault.entries(with_titles=False)} | set(vault.tombstones())
        if derived
        else set()
    )
    legacy = [entry.id for entry in derived if entry.id in known]
    stored = [
        replace(entry, id=import_ids.keyed_id(key, entry.id)) if is_derived_id(entry.id) else entry
        for entry in entries
        if entry.id not in known
    ]
    return legacy, stored


# -- export


def check_target(out: Path, *, folder: bool) -> None:
    """Refuse a place that cannot be written, before any work (and before the passphrase)."""
    parent = out if folder and out.is_dir() else out.parent
    if folder and out.exists() and not out.is_dir():
        raise InvalidInput(f"{out} is a file; --per-year writes one file per year into a folder.")
    if not folder and out.is_dir():
        raise InvalidInput(f"{out} is a folder. Give a file name with --out, e.g. {out / 'journal.md'}.")
    if not parent.is_dir():
        raise InvalidInput(f"Could not write {out}: the folder {parent} does not exist. Nothing was written.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidInput(f"Could not write {out}: permission denied. Choose another place with --out.")


def export(name: str, entries: Iterable[Entry], out: Path, *, per_year: bool, now: datetime) -> list[Path]:
    """Render and write; returns the files written. With per_year, `out` is a folder."""
    if per_year and not (name in EXPORTERS and EXPORTERS[name].splits_by_year):
        raise InvalidInput(f"The {name} export is always one file; per year works for markdown.")
    files = render(name, entries, per_year=per_year, now=now)
    if per_year:
        try:
            out.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise InvalidInput(
                f"Could not create {out}: {exc.strerror or exc}. Nothing was written."
            ) from None
    written: list[Path] = []
    for file, data in files.items():
        target = out / file if file is not None else out
        write_private(target, data)
        written.append(target)
    return written


def export_vault(
    name: str, source: Vault, out: Path, *, per_year: bool, now: datetime
) -> tuple[list[Path], int]:
    """Export straight from the vault; returns the files written and how many entries they hold.
    The JSON export streams: bodies are read and written 500 at a time, so exporting a large
    journal needs little memory. Markdown is rendered whole (it groups and titles by day)."""
    if name == "json" and not per_year:
        tags = jrnl_export.tag_counts(source.entries(with_titles=False))  # labels only: metadata
        counted: list[int] = []

        def stream(handle: BinaryIO) -> None:
            counted.append(jrnl_export.write(handle, tags, source.stream(oldest_first=True)))

        write_private(out, stream)
        return [out], counted[0]
    entries = source.entries(with_bodies=True)
    return export(name, entries, out, per_year=per_year, now=now), len(entries)
