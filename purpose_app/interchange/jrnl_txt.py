"""Importing a jrnl plain-text journal file (the file jrnl writes when it does not encrypt).

    [2020-06-28 18:22] Title sentence. *
    Body lines, with @tags anywhere.

An entry starts at a line beginning with a bracketed date and a space; the date format is jrnl's
`timeformat` setting ("%Y-%m-%d %H:%M" by default; pass another with `timeformat`). Without one, a
few common unambiguous formats are tried. A bracketed text that is not a date is ordinary text, as in
jrnl. As jrnl does: a first line ending in "*" marks the entry starred; the title is the first line,
or the first sentence when the entry is a single line; tags are words starting with "@", lowercased.
Times have no zone: they are local time on that date. Text before the first dated line belongs to no
entry and is reported rather than silently dropped.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import BinaryIO

from purpose_app.domain.entry import Entry, EntryChanges, build_entry
from purpose_app.errors import InvalidInput
from purpose_app.interchange import limits
from purpose_app.interchange.errors import cannot_import
from purpose_app.interchange.jrnl_json import jrnl_id
from purpose_app.interchange.records import (
    Failure,
    ImportBatch,
    ImportOptions,
    fit_title,
    in_range,
    local,
    with_star,
)

FORMAT = "jrnl-txt"
WHAT = "jrnl journal file"
DEFAULT_FORMATS = (
    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M %p", "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%d %b %Y %H:%M",
    "%b %d %Y %H:%M", "%b %d, %Y %I:%M %p", "%B %d, %Y %I:%M %p",
)  # fmt: skip
_TAG = re.compile(r"@[-+*#/\w]+")  # jrnl's, minus its look-behind (checked by hand: much faster)
_DEFAULT = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)")  # jrnl's default, without strptime
# jrnl's sentence end: a terminal, an optional closing quote and brackets, then whitespace; CJK
# full stops need no space.
_SENTENCE_END = re.compile(
    "([.!?\u2026\u203c\u203d\u2047\u2048\u2049\u22ef\ufe52\ufe57]['\u2019\"\u201d]?[\\])]*\\s+)"
    "|[\uff01\uff0e\uff1f\uff61\u3002]"
)


def read(source: BinaryIO, options: ImportOptions | None = None) -> ImportBatch:
    timeformat = options.timeformat if options else None
    text = limits.decode_text(limits.read_capped(source, WHAT), WHAT)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    formats = (timeformat,) if timeformat else DEFAULT_FORMATS
    starts = [(number, found) for number, line in enumerate(lines) if (found := _date_line(line, formats))]
    if not starts:
        hint = "it is empty" if not text.strip() else "no line starts with a date like [2024-03-01 21:30]"
        if text.strip():
            hint += " (if your jrnl uses another date format, give its timeformat, e.g. '%d.%m.%Y %H:%M')"
        raise cannot_import(WHAT, hint)
    if len(starts) > limits.MAX_ENTRIES:
        raise cannot_import(WHAT, f"it holds more than {limits.MAX_ENTRIES:,} entries")
    batch = ImportBatch(FORMAT)
    before = [line for line in lines[: starts[0][0]] if line.strip()]
    if before:
        batch.failures.append(
            Failure(0, "", f"{len(before):,} line(s) before the first dated entry belong to no entry.")
        )
    ends = [number for number, _ in starts[1:]] + [len(lines)]
    for position, ((number, (moment, label, rest)), end) in enumerate(zip(starts, ends, strict=True), 1):
        raw = "\n".join([rest, *lines[number + 1 : end]])
        batch.add(position, label, functools.partial(_entry, moment, raw))
    return batch


def _date_line(line: str, formats: tuple[str, ...]) -> tuple[datetime, str, str] | None:
    """(date, the date as written, the rest of the line) for a line that starts an entry."""
    if not line.startswith("["):
        return None
    close = line.find("]", 1, limits.MAX_DATE_CHARS + 2)
    if close < 2 or (len(line) > close + 1 and line[close + 1] != " "):
        return None
    blob = line[1:close]
    if formats is DEFAULT_FORMATS and (default := _DEFAULT.fullmatch(blob)):
        year, month, day, hour, minute = (int(part) for part in default.groups())
        try:
            return datetime(year, month, day, hour, minute), blob, line[close + 2 :]
        except ValueError:
            return None  # an impossible date: ordinary text, as in jrnl
    for timeformat in formats:
        try:
            return datetime.strptime(blob, timeformat), blob, line[close + 2 :]
        except ValueError:
            continue
    return None


def split_title(raw: str) -> tuple[str, str]:
    """jrnl's rule: the first line is the title; a single-line entry's title is its first sentence."""
    text = raw.lstrip()
    end = text.find("\n")
    if end >= 0:
        return text[:end].strip(), text[end + 1 :].strip()
    sentence = _SENTENCE_END.search(text)
    if not sentence:
        return text.strip(), ""
    return text[: sentence.end()].strip(), text[sentence.end() :].strip()


def _entry(moment: datetime, raw: str) -> Entry:
    lines = raw.split("\n")
    starred = lines[0].strip().endswith("*")
    if starred:
        raw = lines[0].strip("\n *") + "\n" + "\n".join(lines[1:])
    title, body = split_title(raw)
    found = (m.group() for m in _TAG.finditer(raw) if m.start() == 0 or raw[m.start() - 1].isspace())
    tags = list(dict.fromkeys(tag.lower() for tag in found))
    if len(tags) > limits.MAX_RAW_LABELS:
        raise InvalidInput(f"It has {len(tags):,} different tags; an entry can hold at most 50.")
    entry_id = jrnl_id(in_range(moment), title, body)
    created = local(moment)
    title, body = fit_title(title, body, "\n" if "\n" in raw.strip() else " ")
    return build_entry(
        entry_id, created, created, 1, EntryChanges(title=title, body=body, tags=with_star(tags, starred))
    )
