"""Every file format Purpose reads or writes, in one registry: a new format touches one place.

An importer parses a binary stream into an ImportBatch without touching a vault; an exporter renders
entries to the bytes of one file, or one per year. The use cases around them (reading a person's file,
storing a batch, writing exports privately) live in purpose_app.services.transfer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from purpose_app.domain.entry import Entry
from purpose_app.errors import InvalidInput
from purpose_app.interchange import dayone, jrnl_export, jrnl_json, jrnl_txt, markdown
from purpose_app.interchange.records import ImportBatch, ImportOptions

Reader = Callable[[BinaryIO, ImportOptions], ImportBatch]
# entries, per_year, now -> {file name within the target folder (None: the target itself): bytes}
Renderer = Callable[[Iterable[Entry], bool, datetime], dict[str | None, bytes]]
# entries oldest first, now -> (the one file as pieces to send one after another, how many entries)
PartsRenderer = Callable[[Iterable[Entry], datetime], tuple[list[bytes], int]]


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
    render: Renderer
    render_parts: PartsRenderer


def _render_json(entries: Iterable[Entry], _per_year: bool, _now: datetime) -> dict[str | None, bytes]:
    return {markdown.SINGLE: jrnl_export.render(entries)}


def _json_parts(oldest_first: Iterable[Entry], _now: datetime) -> tuple[list[bytes], int]:
    entries = list(oldest_first)  # the tag counts at its top need every entry first
    return [jrnl_export.render(entries)], len(entries)


def _render_markdown(entries: Iterable[Entry], per_year: bool, now: datetime) -> dict[str | None, bytes]:
    rendered = markdown.render(entries, per_year=per_year, now=now)
    return {file: text.encode("utf-8") for file, text in rendered.items()}


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
        ExportFormat(
            "markdown",
            "Markdown, readable in any editor (Obsidian-friendly)",
            True,
            _render_markdown,
            markdown.parts,  # read one entry at a time: a streamed export holds one batch of bodies
        ),
        ExportFormat(
            "json",
            "JSON in jrnl's export schema (re-importable with every field)",
            False,
            _render_json,
            _json_parts,
        ),
    )
}


def importer(name: str) -> ImportFormat:
    if name not in IMPORTERS:
        raise InvalidInput(f'Unknown import format "{name}". Use one of: {", ".join(IMPORTERS)}.')
    return IMPORTERS[name]


def exporter(name: str) -> ExportFormat:
    if name not in EXPORTERS:
        raise InvalidInput(f'Unknown export format "{name}". Use one of: {", ".join(EXPORTERS)}.')
    return EXPORTERS[name]


def parse(name: str, source: BinaryIO, options: ImportOptions | None = None) -> ImportBatch:
    """Parse a stream of the named format. Raises InvalidInput; never touches a vault."""
    return importer(name).read(source, options or ImportOptions())


def render(name: str, entries: Iterable[Entry], *, per_year: bool, now: datetime) -> dict[str | None, bytes]:
    return exporter(name).render(entries, per_year, now)


def render_parts(name: str, oldest_first: Iterable[Entry], now: datetime) -> tuple[list[bytes], int]:
    """The one file of this format (not split by year) as pieces to send one after another, and how
    many entries it holds. Entries come oldest first."""
    return exporter(name).render_parts(oldest_first, now)
