"""Importing a Day One JSON export: the ZIP Day One makes, or the JSON file inside it.

    {"metadata": {"version": "1.0"}, "entries": [{"uuid": "...", "creationDate": "2018-12-10T16:56:18Z",
     "modifiedDate": "...", "timeZone": "America/Denver", "starred": false, "tags": ["..."],
     "text": "# Title\\n\\nBody with Markdown backslash escapes", "photos": [{"identifier": ...}], ...}]}

creationDate and modifiedDate are UTC; they are shown in the entry's own timeZone (this computer's
zone when it is missing or unknown). A first line that is a Markdown heading becomes the title.
Markdown backslash escapes (`\\.`, `\\!`) are undone, since Purpose shows text as written. Photos,
audio, video and PDFs are counted and reported, never imported; a photo's place in the text
(`![](dayone-moment://...)`) reads "[photo not imported]". Location, weather and device details are
left out on purpose: Purpose does not keep them. starred adds the tag "starred". A ZIP may hold
several journals (one JSON file each); all are read.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, tzinfo
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from purpose_app.domain.entry import Entry, EntryChanges, build_entry
from purpose_app.errors import InvalidInput
from purpose_app.interchange import archive, limits
from purpose_app.interchange.errors import cannot_import, kind, show_name
from purpose_app.interchange.records import (
    ImportBatch,
    ImportOptions,
    fit_title,
    flag,
    in_range,
    labels,
    printable,
    short,
    stable_id,
    text,
    with_star,
)

FORMAT = "dayone"
WHAT = "Day One export"
ATTACHMENT_KEYS = ("videos", "audios", "pdfAttachments")
PHOTO_PLACEHOLDER = "[photo not imported]"
_MOMENT = re.compile(r"!\[[^\]\n]{0,200}\]\(dayone-moment:[^)\s]{0,300}\)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation
_HEADING = re.compile(r"#{1,6}[ \t]+(.*?)[ \t#]*")
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]{0,40}(/[A-Za-z0-9_+\-]{1,40}){0,3}")


def read(source: BinaryIO, options: ImportOptions | None = None) -> ImportBatch:
    head = source.read(4)
    source.seek(0)
    if archive.is_zip(head):
        documents, others = archive.json_members(source)
        media = len(others)
    else:
        documents, media = [("", limits.read_capped(source, WHAT))], 0
    batch = ImportBatch(FORMAT)
    zones: dict[str, tzinfo] = {}
    for name, raw in documents:
        what = f"{WHAT} {show_name(name)}" if name else WHAT
        data = limits.load_json(limits.decode_text(raw, what), what)
        items = limits.entry_list(data, what, 'a Day One export (an object with an "entries" list)')
        if batch.read + len(items) > limits.MAX_ENTRIES:
            raise cannot_import(WHAT, f"it holds more than {limits.MAX_ENTRIES:,} entries")
        for item in items:
            batch.photos += _count(item, ("photos",))
            batch.attachments += _count(item, ATTACHMENT_KEYS)
            batch.add(batch.read + 1, _when(item), functools.partial(_entry, item, zones))
    if media and not batch.photos + batch.attachments:
        batch.photos = media  # a ZIP whose JSON does not list its media: count the files
    return batch


def _count(item: Any, keys: tuple[str, ...]) -> int:
    if not isinstance(item, dict):
        return 0
    return sum(len(value) for key in keys if isinstance(value := item.get(key), list))


def _when(item: Any) -> str:
    value = item.get("creationDate") if isinstance(item, dict) else None
    return printable(value.replace("T", " ")) if isinstance(value, str) else ""


def _zone(name: str, cache: dict[str, tzinfo]) -> tzinfo | None:
    """The named zone, or None (then local time) for a missing, malformed or unknown name."""
    if not name or not _ZONE_NAME.fullmatch(name):
        return None
    if name not in cache:
        if len(cache) > 1000:
            return None
        try:
            cache[name] = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return None
    return cache[name]


def _instant(value: str, name: str, zone: tzinfo | None) -> datetime:
    try:
        moment = datetime.fromisoformat(short(value))
    except ValueError:
        raise InvalidInput(f'Its "{name}" is not a date-time like 2018-12-10T16:56:18Z.') from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # Day One writes UTC
    try:
        return in_range(moment.astimezone(zone) if zone else moment.astimezone())
    except (OverflowError, OSError, ValueError):
        raise InvalidInput(f'Its "{name}" cannot be placed in a time zone.') from None


def _tidy(markdown: str) -> str:
    return _ESCAPED.sub(r"\1", _MOMENT.sub(PHOTO_PLACEHOLDER, markdown))


def _entry(item: Any, zones: dict[str, tzinfo]) -> Entry:
    if not isinstance(item, dict):
        raise InvalidInput(f"It is {kind(item)}, not an entry.")
    zone = _zone(text(item, "timeZone"), zones)
    created_text = text(item, "creationDate")
    if not created_text:
        raise InvalidInput('It has no "creationDate".')
    created = _instant(created_text, "creationDate", zone)
    modified = text(item, "modifiedDate")
    updated = _instant(modified, "modifiedDate", zone) if modified else created
    raw = text(item, "text")
    source_id = text(item, "uuid")
    entry_id = stable_id(FORMAT, source_id.upper()) if source_id else stable_id(FORMAT, created_text, raw)
    first, _, rest = raw.lstrip("\n").partition("\n")
    heading = _HEADING.fullmatch(first)
    title, body = (_tidy(heading.group(1)), _tidy(rest).strip("\n")) if heading else ("", _tidy(raw).strip())
    title, body = fit_title(title, body)
    tags = with_star(labels(item, "tags"), flag(item, "starred"))
    return build_entry(entry_id, created, updated, 1, EntryChanges(title=title, body=body, tags=tags))
