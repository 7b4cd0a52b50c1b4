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
PART = 1 << 20  # characters of entries per piece from parts(): a megabyte or so
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


def _front(title: str, now: datetime, count: int, first: datetime | None, last: datetime | None) -> str:
    """The front matter, heading and opening sentence, ending where the first entry begins."""
    front = [
        "---",
        f"title: {_string(title)}",
        f"exported: {now.isoformat(timespec='seconds')}",
        f"entries: {count}",
    ]
    if first is not None and last is not None:
        front += [f"first: {first.date()}", f"last: {last.date()}"]
    front += ["---", "", f"# {title}", ""]
    span = f", {first:%Y-%m-%d} to {last:%Y-%m-%d}" if first is not None and last is not None else ""
    noun = "entry" if count == 1 else "entries"
    front += [
        f"{count} {noun}{span}. Exported from Purpose on {now:%Y-%m-%d}: this file is not "
        "encrypted, so keep it somewhere private.",
        "",
    ]
    return "\n".join(front)


def _document(entries: list[Entry], title: str, now: datetime) -> str:
    first, last = (entries[0].created, entries[-1].created) if entries else (None, None)
    return "\n".join([_front(title, now, len(entries), first, last)] + [_entry(entry) for entry in entries])


def parts(oldest_first: Iterable[Entry], now: datetime) -> tuple[list[bytes], int]:
    """The single file (what render(per_year=False) gives, encoded) as pieces of about PART bytes,
    and how many entries it holds. The entries must come oldest first; they are read one at a time,
    so a caller streaming them holds one batch of bodies, never the whole text as one string."""
    pieces: list[bytes] = []
    pending: list[str] = []
    size = count = 0
    first: datetime | None = None
    last: datetime | None = None
    for entry in oldest_first:
        first = first or entry.created
        last = entry.created
        count += 1
        text = _entry(entry)
        pending.append(text)
        size += len(text)
        if size >= PART:
            pieces.append(("\n" + "\n".join(pending)).encode("utf-8"))
            pending, size = [], 0
    if pending:
        pieces.append(("\n" + "\n".join(pending)).encode("utf-8"))
    # The front matter counts the entries, so it is made last and put first.
    return [_front("Purpose journal", now, count, first, last).encode("utf-8"), *pieces], count


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
