"""What an importer hands back, and the helpers every importer shares to get there.

Entries are made with build_entry, so an imported entry obeys exactly the rules of a typed one. An
entry that cannot be made becomes a Failure (its position, its date, the reason) instead of stopping
the reading, so a person learns about every problem in one go.

Ids are stable: derived (uuid5) from the source's own id where it has one, else from its date, title
and body, so importing the same file again finds the same ids and skips them.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from purpose_app.domain.entry import MAX_TITLE, Entry
from purpose_app.errors import InvalidInput
from purpose_app.interchange.errors import Failure as Failure  # importers build failures from here
from purpose_app.interchange.errors import kind
from purpose_app.interchange.limits import MAX_DATE_CHARS, MAX_RAW_LABELS

# Fixed forever: every imported id is derived from it, and re-imports rely on getting the same ids.
NAMESPACE = uuid.UUID("0d5c3f4e-8b1a-5c7e-9f20-6a4b3c2d1e0f")
STARRED = "starred"
_ENTRY_ID = re.compile(r"^Entry [0-9a-f-]{36} ")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


def stable_id(family: str, *parts: str) -> str:
    """An id derived from the source (a UUIDv5): the same file always gives the same ids. It says what
    the entry is, so it is never stored as it is: services/transfer keys it with the vault first."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join((family, *parts))))


def is_derived_id(entry_id: str) -> bool:
    """Made by stable_id (only it makes version-5 UUIDs here), as opposed to an id Purpose gave an entry
    at random and its own export carried, which reveals nothing and is kept."""
    try:
        return uuid.UUID(entry_id).version == 5
    except ValueError:
        return False


@dataclass(frozen=True)
class ImportOptions:
    timeformat: str | None = None  # jrnl's `timeformat` setting, for plain-text journals


@dataclass
class ImportBatch:
    """Everything read from one file: entries ready to store, and what could not become one."""

    format: str
    entries: list[Entry] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    read: int = 0  # entries found in the file, good or not
    photos: int = 0  # counted, never imported
    attachments: int = 0  # audio, video, PDFs: counted, never imported

    def add(self, position: int, when: str, make: Callable[[], Entry]) -> None:
        self.read += 1
        try:
            self.entries.append(make())
        except InvalidInput as exc:
            # The vault's rules name an entry by its id, which means nothing to a person reading a
            # report about their file: it is "entry 17 (date)" there.
            self.failures.append(Failure(position, when, _ENTRY_ID.sub("It ", exc.message, count=1)))


# -- values from a JSON object, checked for type


def text(obj: dict[str, Any], key: str, default: str = "") -> str:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise InvalidInput(f'"{key}" should be text, not {kind(value)}.')
    return value


def flag(obj: dict[str, Any], key: str) -> bool:
    value = obj.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidInput(f'"{key}" should be true or false, not {kind(value)}.')
    return value


def labels(obj: dict[str, Any], key: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidInput(f'"{key}" should be a list of text.')
    if len(value) > MAX_RAW_LABELS:
        raise InvalidInput(f'"{key}" holds {len(value):,} items; an entry can hold at most 50.')
    return value


def printable(value: str, limit: int = 32) -> str:
    """A value from the file, safe to show in a message (dates only: never entry text)."""
    return "".join(c if c.isprintable() else "?" for c in value[:limit])


def short(value: str) -> str:
    """A date or time string: refused if it cannot be one, before any parser sees it."""
    if len(value) > MAX_DATE_CHARS:
        raise InvalidInput("Its date is not a date (far too long).")
    return value


# -- times


def in_range(moment: datetime) -> datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise InvalidInput(f"Its year {moment.year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}.")
    return moment


def local(naive: datetime) -> datetime:
    """A wall-clock time with no zone, taken as this computer's local time on that date."""
    try:
        return in_range(in_range(naive).astimezone())
    except (OverflowError, OSError, ValueError):
        raise InvalidInput("Its date cannot be placed in the local time zone.") from None


# -- text


def with_star(tags: list[str], starred: bool) -> tuple[str, ...]:
    """Starred entries carry the tag "starred" (the vault has no separate flag)."""
    return (*tags, STARRED) if starred else tuple(tags)


def fit_title(title: str, body: str, separator: str = "\n") -> tuple[str, str]:
    """A title longer than a Purpose title may be moves to the start of the body, whole."""
    if len(unicodedata.normalize("NFC", " ".join(title.split()))) <= MAX_TITLE:
        return title, body
    return "", title + separator + body if body else title
