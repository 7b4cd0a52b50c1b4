"""The import and export formats by name, and the use cases the command line and the app call.

Importing is two steps so a person's file is checked before their passphrase is asked for: read()
parses the whole file without touching the vault; store() writes every entry in one transaction
(all or nothing; ids already present are skipped). Exporting writes each file under a temporary name,
readable by its owner only, and renames it into place; the JSON export streams from the vault.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from purpose_app.domain.entry import Entry
from purpose_app.errors import InvalidInput
from purpose_app.interchange import dayone, jrnl_export, jrnl_json, jrnl_txt, markdown
from purpose_app.interchange.errors import refused
from purpose_app.interchange.records import Failure, ImportBatch, ImportOptions

if TYPE_CHECKING:
    from purpose_app.services.vault import Vault

Reader = Callable[[BinaryIO, ImportOptions], ImportBatch]


@dataclass(frozen=True)
class ImportFormat:
    name: str
    label: str
    read: Reader


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    splits_by_year: bool


IMPORTERS = {
    f.name: f
    for f in (
        ImportFormat(jrnl_json.FORMAT, "a jrnl JSON export (jrnl --export json)", jrnl_json.read),
        ImportFormat(jrnl_txt.FORMAT, "a jrnl plain-text journal file", jrnl_txt.read),
        ImportFormat(dayone.FORMAT, "a Day One JSON export (the ZIP, or the JSON in it)", dayone.read),
    )
}
EXPORTERS = {
    f.name: f
    for f in (
        ExportFormat("markdown", "Markdown, readable in any editor (Obsidian-friendly)", True),
        ExportFormat("json", "JSON in jrnl's export schema (re-importable with every field)", False),
    )
}


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
    if name not in IMPORTERS:
        raise InvalidInput(f'Unknown import format "{name}". Use one of: {", ".join(IMPORTERS)}.')
    try:
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder; give the export file itself.")
        with path.open("rb") as source:
            return IMPORTERS[name].read(source, options or ImportOptions())
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
    outcome = vault.import_entries(batch.entries, progress=progress)
    return ImportSummary(
        batch.format, batch.read, outcome.added, outcome.skipped, tuple(batch.failures),
        batch.photos, batch.attachments,
    )  # fmt: skip


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


def render(name: str, entries: Iterable[Entry], *, per_year: bool, now: datetime) -> dict[str | None, bytes]:
    if name == "json":
        return {markdown.SINGLE: jrnl_export.render(entries)}
    if name == "markdown":
        rendered = markdown.render(entries, per_year=per_year, now=now)
        return {file: text.encode("utf-8") for file, text in rendered.items()}
    raise InvalidInput(f'Unknown export format "{name}". Use one of: {", ".join(EXPORTERS)}.')


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


def write_private(target: Path, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Atomically: a temporary file only the owner can read, synced, then renamed over the target.
    `data` is the bytes, or a function that writes them to the open file."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb", buffering=1 << 20) as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise InvalidInput(
            f"Could not write {target}: {exc.strerror or exc}. Choose another place with --out."
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):  # e.g. the vault locked half-way: leave no partial file
            temporary.unlink(missing_ok=True)
        raise
