"""An entry's "meta" record: the compact JSON of everything but its title and body (times with their
zone, labels, energy, shift, prompt). Sealed on its own in each entry row, and held by pages."""

from __future__ import annotations

import json
from datetime import datetime

from purpose_app.domain.entry import Entry, PromptRef

_from_iso = datetime.fromisoformat
# The C scanner behind json.loads, called directly: loads() adds three Python-level calls and an
# encoding sniff per value, which is a fifth of unlock time at 50,000 entries. It reads one JSON value
# from the start of a string (our own authenticated "meta", so nothing trails it) and raises
# StopIteration when there is none.
_scan_json = json.JSONDecoder().scan_once  # type: ignore[attr-defined]

# What a meta value that authenticated but cannot be read raises (a damaged or foreign value).
UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, StopIteration)


def meta_json(entry: Entry) -> bytes:
    data = {
        "c": entry.created.isoformat(),
        "u": entry.updated.isoformat(),
        "t": list(entry.tags),
        "e": entry.energy,
        "d": list(entry.drains),
        "f": list(entry.fuels),
        "s": entry.shift,
        "p": str(entry.prompt) if entry.prompt else None,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_from_meta(entry_id: str, revision: int, meta: str, title: str, body: str) -> Entry:
    """An Entry from its meta JSON. Raises one of UNREADABLE if the value is not a meta record."""
    data = _scan_json(meta, 0)[0]
    prompt = data.get("p")
    # Positional arguments: this runs for every entry read from its row.
    return Entry(
        entry_id,
        _from_iso(data["c"]),
        _from_iso(data["u"]),
        revision,
        title,
        body,
        tuple(data["t"]),
        data["e"],
        tuple(data["d"]),
        tuple(data["f"]),
        data["s"],
        PromptRef(*prompt.split("/", 1)) if prompt else None,
    )
