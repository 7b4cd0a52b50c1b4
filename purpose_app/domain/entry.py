"""A journal entry and the rules for what may go in one."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar, dataclass_transform

from purpose_app.errors import InvalidInput

_C = TypeVar("_C")
SHIFTS = ("off", "day", "evening", "night", "on-call", "post-call")
ENERGY_MIN, ENERGY_MAX = 0, 10
MAX_TITLE = 200
MAX_BODY = 1_000_000  # characters; a long night's writing is a few thousand
MAX_LABEL = 60
MAX_LABELS = 50
_PROMPT_REF = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}/[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True, slots=True)
class PromptRef:
    pack: str
    prompt: str

    def __str__(self) -> str:
        return f"{self.pack}/{self.prompt}"


@dataclass_transform(frozen_default=True)
def _record(cls: type[_C]) -> type[_C]:
    """An immutable record by contract: the type checker refuses any assignment to a field (it sees a
    frozen dataclass), but at run time it is a plain slots dataclass with a frozen one's hash,
    because building a frozen instance costs five times as much and a large journal builds 50,000
    of them when it opens."""
    return dataclass(slots=True, unsafe_hash=True)(cls)


@_record
class Entry:
    id: str
    created: datetime
    updated: datetime
    revision: int
    title: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    energy: int | None = None
    drains: tuple[str, ...] = ()
    fuels: tuple[str, ...] = ()
    shift: str | None = None
    prompt: PromptRef | None = None

    def is_empty(self) -> bool:
        """True when nothing a person wrote or rated is in it (a prompt reference alone is nothing)."""
        return not (
            self.title.strip()
            or self.body.strip()
            or self.tags
            or self.energy is not None
            or self.drains
            or self.fuels
            or self.shift
        )


@dataclass(frozen=True, slots=True)
class EntryChanges:
    """What a person asked to set. None means "leave as it is"; clear() names fields to empty."""

    title: str | None = None
    body: str | None = None
    tags: tuple[str, ...] | None = None
    energy: int | str | None = None  # as typed by a person or a script; clean_values parses it
    drains: tuple[str, ...] | None = None
    fuels: tuple[str, ...] | None = None
    shift: str | None = None
    prompt: PromptRef | None = None
    created: datetime | None = None
    clear: frozenset[str] = field(default_factory=frozenset)


CLEARABLE = ("title", "body", "tags", "energy", "drains", "fuels", "shift", "prompt")


def new_id() -> str:
    return str(uuid.uuid4())


def _clean_text(value: str, what: str, limit: int, *, multiline: bool) -> str:
    if "\x00" in value:
        raise InvalidInput(f"The {what} contains a null character, which a journal cannot store.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"The {what} is not valid UTF-8 text.") from None
    value = unicodedata.normalize("NFC", value)
    if not multiline:
        value = " ".join(value.split())
    if len(value) > limit:
        raise InvalidInput(f"The {what} is too long ({len(value):,} characters; at most {limit:,}).")
    return value


def clean_labels(values: tuple[str, ...] | list[str], what: str) -> tuple[str, ...]:
    """Trimmed, de-duplicated without regard to case, first spelling kept, order kept."""
    seen: set[str] = set()
    out: list[str] = []
    for raw in values:
        label = _clean_text(raw, what, MAX_LABEL, multiline=False)
        if what == "tag":
            label = label.lstrip("#@").strip()
        if not label:
            continue
        key = label.casefold()
        if key not in seen:
            seen.add(key)
            out.append(label)
    if len(out) > MAX_LABELS:
        raise InvalidInput(f"An entry can hold at most {MAX_LABELS} {what}s.")
    return tuple(out)


def parse_energy(value: str | int) -> int:
    """Energy from a person or a script: a whole number from 0 to 10."""
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise InvalidInput(f'Energy must be a whole number from 0 to 10, not "{text[:20]}".')
    number = int(text)
    if not ENERGY_MIN <= number <= ENERGY_MAX:
        raise InvalidInput(f"Energy must be from 0 to 10; {number} is out of range.")
    return number


def parse_shift(value: str) -> str:
    text = value.strip().lower().replace("_", "-").replace(" ", "-")
    if text == "oncall":
        text = "on-call"
    elif text == "postcall":
        text = "post-call"
    if text not in SHIFTS:
        raise InvalidInput(f'Unknown shift "{value[:30]}". Use one of: {", ".join(SHIFTS)}.')
    return text


def parse_prompt_ref(value: str) -> PromptRef:
    text = value.strip().lower()
    if not _PROMPT_REF.match(text):
        raise InvalidInput(
            f'"{value[:80]}" is not a prompt reference. Write it as PACK/PROMPT, e.g. origins/first-patient.'
        )
    pack, prompt = text.split("/")
    return PromptRef(pack, prompt)


def clean_values(changes: EntryChanges) -> dict[str, object]:
    """The fields a person asked to set, each validated and normalised (raises InvalidInput).

    Cheap and free of I/O, so callers can check input before paying for an unlock."""
    unknown = changes.clear - set(CLEARABLE)
    if unknown:
        raise InvalidInput(f"Cannot clear {', '.join(sorted(unknown))}; fields are {', '.join(CLEARABLE)}.")
    values: dict[str, object] = {}
    if changes.title is not None:
        values["title"] = _clean_text(changes.title, "title", MAX_TITLE, multiline=False)
    if changes.body is not None:
        values["body"] = _clean_text(changes.body, "body", MAX_BODY, multiline=True)
    for name in ("tags", "drains", "fuels"):
        labels = getattr(changes, name)
        if labels is not None:
            values[name] = clean_labels(labels, name.rstrip("s"))
    if changes.energy is not None:
        values["energy"] = parse_energy(changes.energy)
    if changes.shift is not None:
        values["shift"] = parse_shift(changes.shift)
    if changes.prompt is not None:
        values["prompt"] = changes.prompt
    if changes.created is not None:
        values["created"] = require_aware(changes.created)
    empty: dict[str, object] = {
        "title": "", "body": "", "tags": (), "energy": None,
        "drains": (), "fuels": (), "shift": None, "prompt": None,
    }  # fmt: skip
    for name in changes.clear:
        values[name] = empty[name]
    return values


def apply_changes(entry: Entry, changes: EntryChanges, now: datetime) -> Entry:
    """The entry after a person's changes, validated; revision and updated time move on."""
    updated = replace(entry, **clean_values(changes))  # type: ignore[arg-type]
    if updated.is_empty():
        raise InvalidInput(
            "An entry needs something in it: a few words, an energy level, a drain, a fuel or a shift."
        )
    return replace(updated, revision=entry.revision + 1, updated=require_aware(now))


def new_entry(changes: EntryChanges, now: datetime) -> Entry:
    """A first revision built from a person's input; `created` defaults to now."""
    now = require_aware(now)
    blank = Entry(id=new_id(), created=changes.created or now, updated=now, revision=0)
    return apply_changes(blank, changes, now)


def require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput("Times must carry a time zone.")
    return moment


def check_complete(entry: Entry) -> Entry:
    """Validate an entry that arrives whole (import, restore, sync), with the same rules as typing
    it: the stored values must be exactly what clean_values would make of them."""
    if entry.revision < 1:
        raise InvalidInput(f"Entry {entry.id[:40]} has revision {entry.revision}; revisions start at 1.")
    try:
        uuid.UUID(entry.id)
    except ValueError:
        raise InvalidInput(f'"{entry.id[:40]}" is not an entry id (a UUID).') from None
    require_aware(entry.created)
    require_aware(entry.updated)
    fields = {
        name: getattr(entry, name) for name in ("title", "body", "tags", "energy", "drains", "fuels", "shift")
    }
    cleaned = clean_values(EntryChanges(**fields))
    for name, value in cleaned.items():
        if value != getattr(entry, name):
            raise InvalidInput(f"Entry {entry.id[:40]} has a {name} that needs cleaning first.")
    if entry.is_empty():
        raise InvalidInput(f"Entry {entry.id[:40]} has nothing in it.")
    return entry


def build_entry(
    entry_id: str, created: datetime, updated: datetime, revision: int, changes: EntryChanges
) -> Entry:
    """A whole entry from outside (an importer, a restore), cleaned by the same rules as typing."""
    entry = replace(
        Entry(id=entry_id, created=require_aware(created), updated=require_aware(updated), revision=revision),
        **clean_values(changes),  # type: ignore[arg-type]
    )
    return check_complete(entry)
