"""Entries as JSON in jrnl's export schema (what `jrnl --export json` writes), readable by jrnl's tools.

    {"tags": {"@origins": 2, ...},
     "entries": [{"title", "body", "date": "2024-03-01", "time": "21:30", "tags": ["@origins"],
                  "starred": false, "uuid": "<entry id>", "purpose": {...}}, ...]}

jrnl's fields come first and mean what they mean in jrnl: date and time are the wall clock where the
entry was written, to the minute; tags carry jrnl's "@"; starred is true for the tag "starred" (which
also stays in the tag list, so its place among the tags survives a round trip). jrnl adds "uuid" when
an entry has one; here it is the entry's id. Everything jrnl has no field for is kept under "purpose"
(the exact times with their offset, revision, energy, drains, fuels, shift, prompt), so an export read
back by `purpose import jrnl-json` gives identical entries, with the same ids. Tools that know only
jrnl's fields ignore it. Entries are oldest first, as jrnl writes them.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterable
from itertools import islice
from typing import Any, BinaryIO

from purpose_app.domain.entry import Entry
from purpose_app.interchange.records import STARRED

EXTENSION = "purpose"
EXTENSION_VERSION = 1
_CHUNK = 500  # entries per write: a few hundred KB of text


def entry_dict(entry: Entry) -> dict[str, Any]:
    created = entry.created.isoformat()
    if entry.created.year < 1000:  # isoformat pads the year to four digits, strftime does not
        day, minute = entry.created.strftime("%Y-%m-%d"), entry.created.strftime("%H:%M")
    else:  # the same text as strftime, sliced from the isoformat needed anyway: a third faster
        day, minute = created[:10], created[11:16]
    return {
        "title": entry.title,
        "body": entry.body,
        "date": day,
        "time": minute,
        "tags": [f"@{tag}" for tag in entry.tags],
        "starred": any(tag.casefold() == STARRED for tag in entry.tags),
        "uuid": entry.id,
        EXTENSION: {
            "version": EXTENSION_VERSION,
            "created": created,
            "updated": entry.updated.isoformat(),
            "revision": entry.revision,
            "energy": entry.energy,
            "drains": list(entry.drains),
            "fuels": list(entry.fuels),
            "shift": entry.shift,
            "prompt": str(entry.prompt) if entry.prompt else None,
        },
    }


def tag_counts(entries: Iterable[Entry]) -> dict[str, int]:
    """jrnl's "tags" object: each tag with "@" and how many entries carry it, most used first."""
    counts = Counter(f"@{tag}" for entry in entries for tag in entry.tags)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def write(handle: BinaryIO, tags: dict[str, int], oldest_first: Iterable[Entry]) -> int:
    """Write the document entry by entry (one per line), so an export of a large journal never holds
    all of it as text; returns how many entries were written. json.dumps without indent uses the C
    encoder, several times faster than pretty-printing; entries are joined and written _CHUNK at a
    time (one write and one encode per chunk, not per entry)."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    handle.write(b'{"tags": ' + dumps(tags).encode("utf-8") + b',\n "entries": [')
    count = 0
    entries = iter(oldest_first)
    while chunk := list(islice(entries, _CHUNK)):
        text = ",\n  ".join(map(dumps, map(entry_dict, chunk)))
        handle.write(((",\n  " if count else "\n  ") + text).encode("utf-8"))
        count += len(chunk)
    handle.write(b"\n ]}\n" if count else b"]}\n")
    return count


def render(entries: Iterable[Entry]) -> bytes:
    ordered = sorted(entries, key=lambda e: (e.created, e.id))
    out = io.BytesIO()
    write(out, tag_counts(ordered), ordered)
    return out.getvalue()
