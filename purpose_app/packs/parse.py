"""Reading a pack file: strict, bounded, and with errors a facilitator can act on.

Packs come from other people's computers, so everything is checked: size, types, lengths, unknown
keys, control and direction-override characters. Text is normalised to NFC. Nothing is executed.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import date, datetime
from typing import Any

from purpose_app.errors import InvalidInput
from purpose_app.packs.model import PACES, WEIGHTS, Pack, Prompt, Reading

MAX_FILE_BYTES = 1024 * 1024
MAX_PROMPTS = 500
MAX_TEXT = 2000
MAX_READINGS = 20
MAX_READING_TEXT = 10_000  # a poem or a page of prose, read aloud in a session
FORMAT = 1
_ID = re.compile(r"^[a-z][a-z0-9-]{1,63}$")
ID_PATTERN = _ID  # public: the command line checks a new pack id before building the pack
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_PACK_KEYS = {
    "format", "id", "name", "version", "description", "author", "language", "licence", "sources",
    "programme", "prompts", "facilitator_notes", "session_date", "session_only", "readings",
}  # fmt: skip
_OPTIONAL_PACK_KEYS = {
    "sources",
    "programme",
    "facilitator_notes",
    "session_date",
    "session_only",
    "readings",
}
_REQUIRED_PACK_KEYS = _PACK_KEYS - _OPTIONAL_PACK_KEYS
_PROMPT_KEYS = {"id", "text", "theme", "weight", "follow_up", "facilitator_notes"}
_REQUIRED_PROMPT_KEYS = _PROMPT_KEYS - {"follow_up", "facilitator_notes"}
_READING_KEYS = {"title", "attribution", "licence", "text"}
_REQUIRED_READING_KEYS = _READING_KEYS - {"text"}
# Bidirectional overrides and isolates can make text read differently from what it is.
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


class PackError(InvalidInput):
    """A pack file that cannot be imported; the message says where and what to fix."""


def _fail(where: str, problem: str) -> PackError:
    return PackError(f"This pack cannot be used: {where}: {problem}")


def _text(value: Any, where: str, limit: int, *, multiline: bool = True) -> str:
    if not isinstance(value, str):
        raise _fail(where, f"expected text in quotes, found {_kind(value)}")
    text: str = unicodedata.normalize("NFC", value).strip()
    for char in text:
        if char in _BIDI:
            raise _fail(where, "contains an invisible character that reverses text direction")
        if unicodedata.category(char) in ("Cc", "Cs") and not (multiline and char in "\n\t"):
            raise _fail(where, f"contains a control character (U+{ord(char):04X})")
    if not text:
        raise _fail(where, "is empty")
    if len(text) > limit:
        raise _fail(where, f"is {len(text):,} characters long; at most {limit:,} are allowed")
    return text


def _show(value: Any) -> str:
    """The value found, for a message: short, and safe for any value TOML can produce (a repr of a
    number with thousands of digits raises ValueError; of a deeply nested table, RecursionError)."""
    if isinstance(value, str):
        return repr(value[:60]) + ("..." if len(value) > 60 else "")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 64 else "a very long number"
    if isinstance(value, float):
        return repr(value)
    return _kind(value)


def _kind(value: Any) -> str:
    names = {
        str: "text", int: "a whole number", float: "a number", bool: "true/false", list: "a list",
        dict: "a table", date: "a date", datetime: "a date and time",
    }  # fmt: skip
    return names.get(type(value), type(value).__name__)


def _ident(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise _fail(
            where,
            "expected a short id of lowercase letters, digits and dashes, starting with a letter "
            f"(2-64 characters), found {_show(value)}"[:200],
        )
    return value


def _check_keys(table: dict[str, Any], allowed: set[str], required: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _fail(where, f"unknown key {_show(unknown[0])} (allowed: {', '.join(sorted(allowed))})")
    missing = sorted(required - set(table))
    if missing:
        raise _fail(where, f"the key {missing[0]!r} is missing")


def decode(raw: bytes) -> dict[str, Any]:
    """Bytes -> TOML table, with size, encoding and syntax checked."""
    if len(raw) > MAX_FILE_BYTES:
        raise _fail("the file", f"is {len(raw):,} bytes; a pack can be at most 1 MiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail("the file", f"is not UTF-8 text (byte {exc.start})") from None
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail("the file", f"is not valid TOML ({exc})") from None
    except ValueError:  # tomllib lets int()'s digit limit through (a number thousands of digits long)
        raise _fail("the file", "contains a number that is far too long") from None
    except RecursionError:
        raise _fail("the file", "is nested too deeply") from None


def parse_pack(raw: bytes) -> Pack:
    """A validated Pack from the bytes of a pack file (unsigned part only)."""
    data = decode(raw)
    _check_keys(data, _PACK_KEYS, _REQUIRED_PACK_KEYS, "the pack")
    if data["format"] != FORMAT or isinstance(data["format"], bool):
        raise _fail(
            "format", f"this version of Purpose reads format {FORMAT}, found {_show(data['format'])}"[:200]
        )
    pack_id = _ident(data["id"], "id")
    version = data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 1_000_000:
        raise _fail("version", f"expected a whole number from 1 upwards, found {_show(version)}"[:200])
    language = data["language"]
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise _fail("language", f"expected a language tag such as en or en-GB, found {_show(language)}"[:200])
    sources = data.get("sources", [])
    if not isinstance(sources, list) or len(sources) > 50:
        raise _fail("sources", "expected a list of at most 50 texts in quotes")
    programme = data.get("programme")
    if programme is not None and (
        not isinstance(programme, dict) or set(programme) != {"pace"} or programme["pace"] not in PACES
    ):
        paces = ", ".join(f'"{pace}"' for pace in PACES)
        raise _fail("programme", f"expected a [programme] table with pace = {paces} and nothing else")
    prompts = data["prompts"]
    if not isinstance(prompts, list) or not prompts:
        raise _fail("prompts", "expected one or more [[prompts]] blocks")
    if len(prompts) > MAX_PROMPTS:
        raise _fail("prompts", f"there are {len(prompts)}; a pack can hold at most {MAX_PROMPTS}")
    parsed = tuple(_prompt(pack_id, item, number) for number, item in enumerate(prompts, start=1))
    seen: set[str] = set()
    for number, prompt in enumerate(parsed, start=1):
        if prompt.id in seen:
            raise _fail(f"prompt {number}", f"the id {prompt.id!r} is used twice; each prompt needs its own")
        seen.add(prompt.id)
    session_only = data.get("session_only", False)
    if not isinstance(session_only, bool):
        raise _fail("session_only", f"expected true or false, found {_show(session_only)}"[:200])
    return Pack(
        id=pack_id,
        name=_text(data["name"], "name", 80, multiline=False),
        version=version,
        description=_text(data["description"], "description", MAX_TEXT),
        author=_text(data["author"], "author", 200, multiline=False),
        language=language,
        licence=_text(data["licence"], "licence", 200, multiline=False),
        prompts=parsed,
        sources=tuple(_text(s, f"sources item {i}", 300) for i, s in enumerate(sources, start=1)),
        programme=programme is not None,
        pace=programme["pace"] if programme is not None else "daily",
        facilitator_notes=_optional_text(data, "facilitator_notes", "facilitator_notes", MAX_TEXT),
        session_date=_session_date(data.get("session_date")),
        readings=_readings(data.get("readings", [])),
        session_only=session_only,
    )


def _optional_text(table: dict[str, Any], key: str, where: str, limit: int) -> str | None:
    value = table.get(key)
    return None if value is None else _text(value, where, limit)


def _session_date(value: Any) -> date | None:
    # A TOML date is written bare (session_date = 2026-11-12); a date with a time of day is refused
    # because a session's date is a day on a calendar, wherever the members are.
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _fail(
            "session_date",
            f"expected a date such as 2026-11-12, without quotes or a time, found {_show(value)}"[:200],
        )
    return value


def _readings(items: Any) -> tuple[Reading, ...]:
    if not isinstance(items, list):
        raise _fail("readings", f"expected one or more [[readings]] blocks, found {_kind(items)}")
    if len(items) > MAX_READINGS:
        raise _fail("readings", f"there are {len(items)}; a pack can hold at most {MAX_READINGS}")
    readings = []
    for number, item in enumerate(items, start=1):
        where = f"reading {number}"
        if not isinstance(item, dict):
            raise _fail(where, f"expected a [[readings]] block, found {_kind(item)}")
        _check_keys(item, _READING_KEYS, _REQUIRED_READING_KEYS, where)
        readings.append(
            Reading(
                title=_text(item["title"], f"{where}, title", 200, multiline=False),
                attribution=_text(item["attribution"], f"{where}, attribution", 300, multiline=False),
                licence=_text(item["licence"], f"{where}, licence", 200, multiline=False),
                text=_optional_text(item, "text", f"{where}, text", MAX_READING_TEXT),
            )
        )
    return tuple(readings)


def _prompt(pack_id: str, item: Any, number: int) -> Prompt:
    where = f"prompt {number}"
    if not isinstance(item, dict):
        raise _fail(where, f"expected a [[prompts]] block, found {_kind(item)}")
    if isinstance(item.get("id"), str):
        where = f"prompt {number} ({item['id'][:64]!r})"
    _check_keys(item, _PROMPT_KEYS, _REQUIRED_PROMPT_KEYS, where)
    weight = item["weight"]
    if weight not in WEIGHTS:
        raise _fail(f"{where}, weight", f"expected one of {', '.join(WEIGHTS)}, found {_show(weight)}"[:200])
    follow_up = item.get("follow_up")
    return Prompt(
        pack=pack_id,
        id=_ident(item["id"], f"{where}, id"),
        text=_text(item["text"], f"{where}, text", MAX_TEXT),
        theme=_ident(item["theme"], f"{where}, theme"),
        weight=weight,
        follow_up=_text(follow_up, f"{where}, follow_up", MAX_TEXT) if follow_up is not None else None,
        facilitator_notes=_optional_text(item, "facilitator_notes", f"{where}, facilitator_notes", MAX_TEXT),
    )
