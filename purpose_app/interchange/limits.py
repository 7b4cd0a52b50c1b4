"""Hard limits for files from elsewhere, and the bounded readers that enforce them.

A decade of daily writing is a few megabytes of text, so the caps sit far above any real journal and
far below what would exhaust a phone's memory. Every reader stops at its cap (it never reads a file
whole to find out how big it is) and turns every way of failing into an ImportFileError.
"""

from __future__ import annotations

import codecs
import json
from typing import Any, BinaryIO

from purpose_app.interchange.errors import cannot_import, kind

MAX_TEXT_BYTES = 64 * 1024 * 1024  # one journal file (JSON or text), or all JSON inside a ZIP together
MAX_ENTRIES = 100_000  # thirty years of several entries a day
MAX_ZIP_MEMBERS = 100_000  # a Day One export holds one file per photo
MAX_ZIP_DIRECTORY = 64 * 1024 * 1024  # the ZIP's table of contents, read before anything else
MAX_RAW_LABELS = 200  # tags in one source entry, before de-duplication (an entry keeps at most 50)
MAX_DATE_CHARS = 64  # a date or time string; longer is not a date
CHUNK = 1024 * 1024


def read_capped(source: BinaryIO, what: str, cap: int | None = None) -> bytes:
    """At most `cap` bytes of source; refuses a longer one without reading the rest."""
    cap = MAX_TEXT_BYTES if cap is None else cap
    try:
        raw = source.read(cap + 1)
    except OSError as exc:
        raise cannot_import(what, f"it could not be read ({exc.strerror or exc})") from None
    if len(raw) > cap:
        raise cannot_import(what, f"it is larger than {cap // (1024 * 1024)} MiB, far more than a journal")
    return raw


def decode_text(raw: bytes, what: str) -> str:
    """Strict UTF-8 (a leading byte-order mark is allowed). Anything else is named, not guessed at."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise cannot_import(what, "it is saved as UTF-16; save it as UTF-8 and try again")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise cannot_import(
            what, f"it is not UTF-8 text (an invalid byte at position {exc.start:,}); save it as UTF-8"
        ) from None


def load_json(text: str, what: str) -> Any:
    """json.loads, with every failure (syntax, nesting, giant numbers) as an ImportFileError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise cannot_import(
            what, f"it is not valid JSON ({exc.msg} at line {exc.lineno:,}, column {exc.colno:,})"
        ) from None
    except RecursionError:
        raise cannot_import(what, "its JSON is nested far too deeply to be a journal") from None
    except ValueError:  # a number with thousands of digits
        raise cannot_import(what, "it holds a number far too long to be part of a journal") from None


def entry_list(data: Any, what: str, expected: str) -> list[Any]:
    """The "entries" list of a journal export, checked for shape and size."""
    if not isinstance(data, dict):
        raise cannot_import(what, f"expected {expected}, found {kind(data)}")
    entries = data.get("entries")
    if not isinstance(entries, list):
        found = "no" if entries is None else kind(entries)
        raise cannot_import(what, f'expected {expected}, but its "entries" is {found}')
    if len(entries) > MAX_ENTRIES:
        raise cannot_import(what, f"it holds {len(entries):,} entries; at most {MAX_ENTRIES:,} at a time")
    return entries
