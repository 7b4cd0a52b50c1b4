"""Importing jrnl's JSON export (`jrnl --export json`, or `jrnl --format json`).

    {"tags": {"@idea": 2}, "entries": [{"title": "...", "body": "...", "date": "2020-06-28",
     "time": "18:22", "tags": ["@idea"], "starred": false, "uuid": "..."?}]}

Date and time are wall-clock time with no zone and no seconds: they are taken as local time on that
date. "@" is dropped from tags; starred adds the tag "starred". Unknown keys are ignored. The id comes
from jrnl's "uuid" when an entry has one, else from date, title and body, the same way as for a
plain-text journal, so a journal imported both ways comes in once. A file that Purpose exported
carries a "purpose" object per entry (see jrnl_export) and comes back identical, ids included.
"""

from __future__ import annotations

import functools
import re
import uuid
from datetime import datetime
from typing import Any, BinaryIO

from purpose_app.domain.entry import Entry, EntryChanges, build_entry, parse_prompt_ref
from purpose_app.errors import InvalidInput
from purpose_app.interchange import limits
from purpose_app.interchange.errors import kind
from purpose_app.interchange.jrnl_export import EXTENSION
from purpose_app.interchange.records import (
    ImportBatch,
    ImportOptions,
    fit_title,
    flag,
    in_range,
    labels,
    local,
    printable,
    short,
    stable_id,
    text,
    with_star,
)

FORMAT = "jrnl-json"
WHAT = "jrnl JSON export"
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def jrnl_id(moment: datetime, title: str, body: str) -> str:
    """The id of a jrnl entry without a uuid: the same whether it came from JSON or a text journal."""
    return stable_id("jrnl", moment.strftime("%Y-%m-%d %H:%M"), title.strip(), body.strip())


def read(source: BinaryIO, options: ImportOptions | None = None) -> ImportBatch:
    data = limits.load_json(limits.decode_text(limits.read_capped(source, WHAT), WHAT), WHAT)
    items = limits.entry_list(data, WHAT, 'a jrnl export (an object with an "entries" list)')
    batch = ImportBatch(FORMAT)
    for position, item in enumerate(items, start=1):
        batch.add(position, _when(item), functools.partial(_entry, item))
    return batch


def _when(item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    date, time = item.get("date"), item.get("time")
    parts = [part for part in (date, time) if isinstance(part, str)]
    return printable(" ".join(parts))


def _wall_clock(date: str, time: str) -> datetime:
    day = _DATE.fullmatch(short(date))
    if not day:
        raise InvalidInput('Its "date" is not a date like 2020-06-28.' if date else 'It has no "date".')
    clock = _TIME.fullmatch(short(time))
    if not clock:
        raise InvalidInput('Its "time" is not a time like 18:22.')
    try:
        year, month, days = (int(p) for p in day.groups())
        hour, minute, second = (int(p or 0) for p in clock.groups())
        return in_range(datetime(year, month, days, hour, minute, second))
    except ValueError:
        raise InvalidInput(f"Its date {printable(date)} {printable(time)} does not exist.") from None


def _entry(item: Any) -> Entry:
    if not isinstance(item, dict):
        raise InvalidInput(f"It is {kind(item)}, not an entry.")
    title, body = text(item, "title"), text(item, "body")
    wall_clock = _wall_clock(text(item, "date"), text(item, "time", "00:00"))
    tags = with_star(labels(item, "tags"), flag(item, "starred"))
    source_id = text(item, "uuid")
    extension = item.get(EXTENSION)
    if extension is not None:
        return _exported_by_purpose(extension, source_id, wall_clock, title, body, tags)
    entry_id = stable_id(FORMAT, "uuid", source_id) if source_id else jrnl_id(wall_clock, title, body)
    created = local(wall_clock)
    title, body = fit_title(title, body)
    return build_entry(entry_id, created, created, 1, EntryChanges(title=title, body=body, tags=tags))


def _moment(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(short(value))
    except ValueError:
        raise InvalidInput(f'Its "{name}" time is not an ISO date-time.') from None
    if moment.tzinfo is None:
        raise InvalidInput(f'Its "{name}" time has no time zone.')
    return in_range(moment)


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f'Its "{name}" should be a whole number from {low} to {high:,}.')
    return value


def _exported_by_purpose(
    extension: Any, source_id: str, wall_clock: datetime, title: str, body: str, tags: tuple[str, ...]
) -> Entry:
    if not isinstance(extension, dict):
        raise InvalidInput(f'Its "{EXTENSION}" should be an object, not {kind(extension)}.')
    created = _moment(text(extension, "created"), "created")
    updated = _moment(text(extension, "updated"), "updated") if extension.get("updated") else created
    revision = _whole(extension.get("revision", 1), "revision", 1, 2**31)
    energy = extension.get("energy")
    prompt = text(extension, "prompt")
    if _is_uuid(source_id):
        entry_id = source_id
    else:
        entry_id = stable_id(FORMAT, "uuid", source_id) if source_id else jrnl_id(wall_clock, title, body)
    title, body = fit_title(title, body)
    changes = EntryChanges(
        title=title,
        body=body,
        tags=tags,
        energy=None if energy is None else _whole(energy, "energy", 0, 10),
        drains=tuple(labels(extension, "drains")),
        fuels=tuple(labels(extension, "fuels")),
        shift=text(extension, "shift") or None,
        prompt=parse_prompt_ref(prompt) if prompt else None,
    )
    return build_entry(entry_id, created, updated, revision, changes)


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False
