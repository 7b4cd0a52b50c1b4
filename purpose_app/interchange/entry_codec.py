"""Entries and tombstones as JSON objects inside encrypted backups and change files, exactly.

Unlike the importers (which adapt other apps' shapes), this reads only what Purpose wrote: every field
present with its type, times with their time zone, and the same rules as typing (check_complete). A
file that decrypts is trusted not to be hostile, but not to be from a bug-free version.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from purpose_app.domain.entry import Entry, check_complete, parse_prompt_ref
from purpose_app.domain.json_value import JsonValue
from purpose_app.domain.merge import Tombstone, check_tombstone
from purpose_app.errors import InvalidInput

# SQLite stores integers in 64 bits; no journal edits one entry 2**53 times (JSON-safe everywhere).
MAX_REVISION = 2**53
MAX_DEPTH = 32  # Purpose's own documents nest a few levels; Python's JSON needs stack for each one
# A \uD800-\uDFFF escape not itself escaped: the only way JSON text can carry a lone surrogate,
# which no file can store as UTF-8. Purpose writes JSON with ensure_ascii=False, so never one of these.
_SURROGATE_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F]")
# The same without the escaped-backslash check: a plain scan, ten times faster on a 70 MB change file,
# that rules the slow one out for nearly every file (text is stored as UTF-8, not \u escapes).
_MAYBE_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def load_json(raw: bytes) -> JsonValue:
    """One JSON value from a decrypted backup line or change file. Anything Purpose never writes
    (invalid UTF-8, bad syntax, nesting beyond Python's stack, numbers of thousands of digits, NaN,
    text with lone surrogates) is an InvalidInput whose message names it ("not JSON", to follow "is"
    or stand in brackets), never another exception."""
    try:
        value: JsonValue = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        raise InvalidInput("JSON nested far too deeply") from None
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors, as are giant numbers
        raise InvalidInput("not JSON") from None
    if _MAYBE_SURROGATE.search(raw) and _SURROGATE_ESCAPE.search(raw):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise InvalidInput("JSON nested far too deeply") from None
        except UnicodeEncodeError:
            raise InvalidInput("text that is not valid Unicode") from None
    return value


def check_depth(value: JsonValue, limit: int = MAX_DEPTH) -> None:
    """Refuse a value nested deeper than `limit` (InvalidInput): it could not be stored or read back
    from inside the app's own call stack. Walked without recursion, so any depth is safe to ask."""
    stack: list[tuple[JsonValue, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        if children and depth >= limit:
            raise InvalidInput(f"is nested more than {limit} levels deep")
        stack.extend((child, depth + 1) for child in children)


ENTRY_KEYS = frozenset(
    (
        "id",
        "created",
        "updated",
        "revision",
        "title",
        "body",
        "tags",
        "energy",
        "drains",
        "fuels",
        "shift",
        "prompt",
    )
)


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "created": entry.created.isoformat(),
        "updated": entry.updated.isoformat(),
        "revision": entry.revision,
        "title": entry.title,
        "body": entry.body,
        "tags": list(entry.tags),
        "energy": entry.energy,
        "drains": list(entry.drains),
        "fuels": list(entry.fuels),
        "shift": entry.shift,
        "prompt": str(entry.prompt) if entry.prompt else None,
    }


def _require(ok: bool, what: str) -> None:
    if not ok:
        raise InvalidInput(f"an entry has {what}")


def _moment(value: Any, what: str) -> datetime:
    _require(isinstance(value, str) and len(value) <= 64, f"an unreadable {what} time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"an entry has an unreadable {what} time") from None
    _require(moment.utcoffset() is not None, f"a {what} time without a time zone")
    return moment


def _labels(value: Any, what: str) -> tuple[str, ...]:
    _require(isinstance(value, list) and all(isinstance(v, str) for v in value), f"{what} that are not text")
    return tuple(value)


def _optional(value: Any, kind: type, what: str) -> Any:
    _require(value is None or (isinstance(value, kind) and not isinstance(value, bool)), f"a wrong {what}")
    return value


def entry_from_dict(data: Any, extra: frozenset[str] = frozenset()) -> Entry:
    """An Entry from its JSON object; raises InvalidInput (never a KeyError or TypeError)."""
    _require(isinstance(data, dict), "the wrong shape")
    _require(set(data) == ENTRY_KEYS | (extra & set(data)), "unknown or missing fields")
    revision = data["revision"]
    _require(isinstance(revision, int) and not isinstance(revision, bool), "a revision that is not a number")
    _require(revision <= MAX_REVISION, "an impossibly high revision")
    for name in ("id", "title", "body"):
        _require(isinstance(data[name], str), f"a {name} that is not text")
    prompt = _optional(data["prompt"], str, "prompt")
    entry = Entry(
        id=data["id"],
        created=_moment(data["created"], "created"),
        updated=_moment(data["updated"], "updated"),
        revision=revision,
        title=data["title"],
        body=data["body"],
        tags=_labels(data["tags"], "tags"),
        energy=_optional(data["energy"], int, "energy"),
        drains=_labels(data["drains"], "drains"),
        fuels=_labels(data["fuels"], "fuels"),
        shift=_optional(data["shift"], str, "shift"),
        prompt=parse_prompt_ref(prompt) if prompt is not None else None,
    )
    return check_complete(entry)


def tombstone_to_dict(tombstone: Tombstone) -> dict[str, Any]:
    return {"id": tombstone.id, "revision": tombstone.revision}


def tombstone_from_dict(data: Any, extra: frozenset[str] = frozenset()) -> Tombstone:
    if not isinstance(data, dict) or set(data) != {"id", "revision"} | (extra & set(data)):
        raise InvalidInput("a deletion record has the wrong shape")
    revision = data["revision"]
    if not isinstance(data["id"], str) or not isinstance(revision, int) or isinstance(revision, bool):
        raise InvalidInput("a deletion record has the wrong shape")
    if revision > MAX_REVISION:
        raise InvalidInput("a deletion record has an impossibly high revision")
    return check_tombstone(Tombstone(data["id"], revision))
