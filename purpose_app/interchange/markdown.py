"""Entries as Markdown: one file, or one file per year, readable in any editor.

Each file opens with YAML front matter (Obsidian shows it as the note's properties: title, exported,
entries, first, last). Each entry is a second-level heading with its date and title, then its details
as a small YAML block (id, times, tags, energy, shift, drains, fuels, prompt: only what it has), then
its text exactly as written. The per-entry block is a fenced ```yaml code block rather than a second
front matter: Markdown allows front matter only at the top of a file, and a `---` block further down
would render as a heading. Entries run oldest first, as a journal is read. Export only: nothing reads
these files back (the jrnl JSON export is the one to re-import).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime

from purpose_app.domain.entry import Entry

SINGLE = None  # the key of the one file when not split by year
# YAML allows only printable characters in a scalar, and treats these as line breaks: escape them.
_UNSAFE_FOR_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def year_file(year: int) -> str:
    return f"purpose-journal-{year}.md"


def render(entries: Iterable[Entry], *, per_year: bool, now: datetime) -> dict[str | None, str]:
    """{file name (None for the single file): Markdown text}."""
    ordered = sorted(entries, key=lambda e: (e.created, e.id))
    if not per_year:
        return {SINGLE: _document(ordered, "Purpose journal", now)}
    years: dict[int, list[Entry]] = {}
    for entry in ordered:
        years.setdefault(entry.created.year, []).append(entry)
    return {
        year_file(year): _document(group, f"Purpose journal {year}", now) for year, group in years.items()
    }


def _string(value: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are a subset of YAML's)."""
    quoted = json.dumps(value, ensure_ascii=False)
    return _UNSAFE_FOR_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _strings(values: Iterable[str]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"


def _document(entries: list[Entry], title: str, now: datetime) -> str:
    front = [
        "---",
        f"title: {_string(title)}",
        f"exported: {now.isoformat(timespec='seconds')}",
        f"entries: {len(entries)}",
    ]
    if entries:
        front += [f"first: {entries[0].created.date()}", f"last: {entries[-1].created.date()}"]
    front += ["---", "", f"# {title}", ""]
    span = f", {entries[0].created:%Y-%m-%d} to {entries[-1].created:%Y-%m-%d}" if entries else ""
    noun = "entry" if len(entries) == 1 else "entries"
    front += [
        f"{len(entries)} {noun}{span}. Exported from Purpose on {now:%Y-%m-%d}: this file is not "
        "encrypted, so keep it somewhere private.",
        "",
    ]
    return "\n".join(front + [_entry(entry) for entry in entries])


def _entry(entry: Entry) -> str:
    heading = f"{entry.created:%Y-%m-%d %H:%M}" + (f" · {entry.title}" if entry.title else "")
    details = [f"id: {entry.id}", f"created: {entry.created.isoformat()}"]
    if entry.revision > 1:
        details.append(f"updated: {entry.updated.isoformat()}")
    if entry.tags:
        details.append(f"tags: {_strings(entry.tags)}")
    if entry.energy is not None:
        details.append(f"energy: {entry.energy}")
    if entry.shift:
        details.append(f"shift: {_string(entry.shift)}")
    if entry.drains:
        details.append(f"drains: {_strings(entry.drains)}")
    if entry.fuels:
        details.append(f"fuels: {_strings(entry.fuels)}")
    if entry.prompt:
        details.append(f"prompt: {_string(str(entry.prompt))}")
    parts = [f"## {heading}", "", "```yaml", *details, "```", ""]
    if entry.body.strip():
        parts += [entry.body.rstrip("\n"), ""]
    return "\n".join(parts)
