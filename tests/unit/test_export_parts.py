"""A streamed export (interchange.formats.render_parts) is byte for byte the file the whole-list
renderer makes, in pieces: the same front matter, the same entries in the same order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from purpose_app.domain.entry import Entry, EntryChanges, build_entry
from purpose_app.errors import InvalidInput
from purpose_app.interchange import formats, markdown

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def journal(count: int) -> list[Entry]:
    """Entries oldest first, with accents, a middle dot, an emoji, an empty body and every detail."""
    start = datetime(2023, 12, 30, 22, 0, tzinfo=timezone(timedelta(hours=2)))
    made = []
    for n in range(count):
        created = start + timedelta(hours=7 * n)
        changes = EntryChanges(
            title=f"Nuit {n} · café" if n % 3 else "",
            body="" if n % 5 == 4 else f"Entry {n}: a long shift, then rest 🌙.\nSecond line é.",
            tags=("night", "ward") if n % 2 else (),
            energy=n % 11,
        )
        made.append(build_entry(f"{n:032x}", created, created, 1, changes))
    return made


@pytest.mark.parametrize("count", [0, 1, 40])
def test_markdown_pieces_join_to_the_single_file(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Joined, the pieces are exactly render(per_year=False) encoded, however small a piece is."""
    monkeypatch.setattr(markdown, "PART", 300)  # many pieces from a few entries
    entries = journal(count)
    parts, counted = formats.render_parts("markdown", iter(entries), AT)
    whole = markdown.render(entries, per_year=False, now=AT)[markdown.SINGLE].encode("utf-8")
    assert b"".join(parts) == whole
    assert counted == count
    if count == 40:
        assert len(parts) > 5
    noun = "entry" if count == 1 else "entries"
    assert f"{count} {noun}".encode() in parts[0]


def test_json_pieces_are_the_json_file() -> None:
    """The JSON export through render_parts is the same bytes as through render."""
    entries = journal(12)
    parts, counted = formats.render_parts("json", iter(entries), AT)
    assert b"".join(parts) == formats.render("json", entries, per_year=False, now=AT)[markdown.SINGLE]
    assert counted == 12


def test_an_unknown_format_is_refused_before_reading_anything() -> None:
    """A format name that does not exist is refused with the formats' message; no entry is read."""

    def never() -> Entry:
        raise AssertionError("read")

    with pytest.raises(InvalidInput) as caught:
        formats.render_parts("pdf", iter(never, None), AT)
    assert caught.value.message == 'Unknown export format "pdf". Use one of: markdown, json.'
