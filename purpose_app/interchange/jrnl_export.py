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

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from purpose_app.domain.entry import Entry
from purpose_app.interchange.records import STARRED

EXTENSION = "purpose"
EXTENSION_VERSION = 1


def entry_dict(entry: Entry) -> dict[str, Any]:
    return {
        "title": entry.title,
        "body": entry.body,
        "date": entry.created.strftime("%Y-%m-%d"),
        "time": entry.created.strftime("%H:%M"),
        "tags": [f"@{tag}" for tag in entry.tags],
        "starred": any(tag.casefold() == STARRED for tag in entry.tags),
        "uuid": entry.id,
        EXTENSION: {
            "version": EXTENSION_VERSION,
            "created": entry.created.isoformat(),
            "updated": entry.updated.isoformat(),
            "revision": entry.revision,
            "energy": entry.energy,
            "drains": list(entry.drains),
            "fuels": list(entry.fuels),
            "shift": entry.shift,
            "prompt": str(entry.prompt) if entry.prompt else None,
        },
    }


def render(entries: Iterable[Entry]) -> bytes:
    ordered = sorted(entries, key=lambda e: (e.created, e.id))
    counts = Counter(f"@{tag}" for entry in ordered for tag in entry.tags)
    document = {
        "tags": dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        "entries": [entry_dict(entry) for entry in ordered],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
