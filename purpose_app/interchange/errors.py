"""What goes wrong when a journal comes in or goes out, and the words a person reads about it.

    InvalidInput (5)
    ├── ImportFileError      the file as a whole cannot be read: not JSON, wrong shape, too big,
    │                        not UTF-8, a hostile ZIP. Nothing was imported.
    └── EntriesRefused       the file was read, but some entries cannot become Purpose entries;
                             nothing was imported (unless the caller chose to leave those out)

Messages name the problem and where it is (an entry's position and date, a ZIP member's name), never
the text of an entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from purpose_app.errors import InvalidInput

SHOWN_FAILURES = 10


@dataclass(frozen=True)
class Failure:
    position: int  # 1-based, in the file's order; 0 for text outside any entry
    when: str  # the entry's date as the source gives it, or ""
    reason: str

    def describe(self) -> str:
        if self.position == 0:
            return self.reason
        when = f" ({self.when})" if self.when else ""
        return f"entry {self.position:,}{when}: {self.reason}"


class ImportFileError(InvalidInput):
    """The file cannot be imported at all; the message says why."""


class EntriesRefused(InvalidInput):
    """Some entries cannot be imported, so none were (all or nothing)."""

    def __init__(self, message: str, failures: Sequence[Failure], importable: int) -> None:
        super().__init__(message)
        self.failures = tuple(failures)
        self.importable = importable


def kind(value: Any) -> str:
    """A JSON value's kind in words, for messages (never the value itself)."""
    names = {
        str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
        dict: "an object", type(None): "null",
    }  # fmt: skip
    return names.get(type(value), type(value).__name__)


def show_name(name: str, limit: int = 80) -> str:
    """A name from a hostile file, safe to print: no control characters, bounded length."""
    safe = "".join(c if c.isprintable() else "?" for c in name[:limit])
    return f'"{safe}"' + ("..." if len(name) > limit else "")


def cannot_import(what: str, problem: str) -> ImportFileError:
    return ImportFileError(f"This {what} cannot be imported: {problem}. Nothing was imported.")


def list_failures(failures: Sequence[Failure]) -> str:
    lines = [f"  {failure.describe()}" for failure in failures[:SHOWN_FAILURES]]
    if len(failures) > SHOWN_FAILURES:
        lines.append(f"  ... and {len(failures) - SHOWN_FAILURES:,} more.")
    return "\n".join(lines)


def refused(failures: Sequence[Failure], importable: int) -> EntriesRefused:
    count = len(failures)
    noun = "entry" if count == 1 else "entries"
    return EntriesRefused(
        f"{count:,} {noun} in this file cannot be imported, so nothing was imported:\n"
        f"{list_failures(failures)}",
        failures,
        importable,
    )
