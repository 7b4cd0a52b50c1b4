"""Each import format's field mapping on small hand-written samples, and the two plaintext exporters."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from purpose_app.domain.entry import EntryChanges, PromptRef, build_entry
from purpose_app.interchange import dayone, jrnl_export, jrnl_json, jrnl_txt, markdown
from purpose_app.interchange.errors import ImportFileError
from purpose_app.interchange.records import ImportOptions, stable_id

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def berlin_local_time():
    """Local time is Europe/Berlin, so "local" has a known offset (and summer time) in every test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def jrnl(*entries: dict) -> io.BytesIO:
    return io.BytesIO(json.dumps({"tags": {}, "entries": list(entries)}).encode())


def text_journal(text: str, timeformat: str | None = None):
    return jrnl_txt.read(io.BytesIO(text.encode()), ImportOptions(timeformat=timeformat))


SAMPLE = {
    "title": "Called in sick.", "body": "Used the time to clean. @home", "date": "2020-06-28",
    "time": "18:22", "tags": ["@home", "@idea"], "starred": True,
}  # fmt: skip


# -- jrnl JSON


def test_jrnl_json_maps_title_body_tags_star_and_local_time():
    """jrnl's fields land where they belong: "@" dropped, starred as a tag, wall clock as local time."""
    batch = jrnl_json.read(jrnl(SAMPLE))
    assert batch.failures == [] and batch.read == 1
    (entry,) = batch.entries
    assert (entry.title, entry.body) == ("Called in sick.", "Used the time to clean. @home")
    assert entry.tags == ("home", "idea", "starred")
    assert entry.created == datetime(2020, 6, 28, 18, 22, tzinfo=BERLIN)
    assert entry.created.utcoffset() == timedelta(hours=2)  # summer time on that date
    assert entry.updated == entry.created and entry.revision == 1


def test_jrnl_json_ids_are_stable_and_follow_the_source_uuid():
    """The same entry always gets the same id; a jrnl uuid decides the id when there is one."""
    first = jrnl_json.read(jrnl(SAMPLE)).entries[0]
    again = jrnl_json.read(jrnl(SAMPLE)).entries[0]
    edited = jrnl_json.read(jrnl({**SAMPLE, "body": "changed"})).entries[0]
    with_uuid = jrnl_json.read(jrnl({**SAMPLE, "uuid": "8A9F3B2C"})).entries[0]
    assert first.id == again.id != edited.id
    assert with_uuid.id == stable_id("jrnl-json", "uuid", "8A9F3B2C")


def test_jrnl_json_bad_entries_are_failures_with_position_date_and_reason():
    """A broken entry is named by position and date with the reason; the good ones still parse."""
    batch = jrnl_json.read(
        jrnl(
            SAMPLE,
            {**SAMPLE, "date": "2020-02-30"},
            {**SAMPLE, "tags": "@x"},
            7,
            {"title": "", "date": "2021-01-01"},
        )
    )
    assert len(batch.entries) == 1 and batch.read == 5
    reasons = {f.position: f.describe() for f in batch.failures}
    assert "does not exist" in reasons[2] and "(2020-02-30 18:22)" in reasons[2]
    assert '"tags" should be a list of text' in reasons[3]
    assert "not an entry" in reasons[4]
    assert "nothing in it" in reasons[5]


def test_jrnl_json_overlong_title_moves_whole_into_the_body():
    """A title longer than Purpose allows is not cut: it becomes the start of the body."""
    long_title = "word " * 60
    (entry,) = jrnl_json.read(jrnl({**SAMPLE, "title": long_title})).entries
    assert entry.title == ""
    assert entry.body.startswith(long_title) and entry.body.endswith(SAMPLE["body"])


def test_jrnl_json_written_by_purpose_comes_back_with_every_field():
    """Purpose's own export (jrnl schema plus its "purpose" object) restores id, times and ratings."""
    created = datetime(2025, 1, 5, 23, 40, tzinfo=timezone(timedelta(hours=-8)))
    original = build_entry(
        "5e0f9a7c-2c1d-4b8e-9f00-123456789abc", created, created + timedelta(hours=3), 4,
        EntryChanges(title="Night", body="Long one.", tags=("icu", "starred"), energy=2, drains=("pages",),
                     fuels=("a walk",), shift="night", prompt=PromptRef("origins", "first-patient")),
    )  # fmt: skip
    raw = jrnl_export.render([original])
    (back,) = jrnl_json.read(io.BytesIO(raw)).entries
    assert back == original
    assert back.created.utcoffset() == timedelta(hours=-8)


def test_jrnl_json_file_level_problems_name_the_problem():
    """Wrong shapes are refused as a whole, with a message saying what was expected."""
    for raw, words in (
        (b"[]", "found a list"),
        (b'{"entries": {}}', '"entries" is an object'),
        (b'{"tags": {}}', '"entries" is no'),
        (b"not json", "not valid JSON"),
    ):
        with pytest.raises(ImportFileError, match=words):
            jrnl_json.read(io.BytesIO(raw))


# -- jrnl plain text


JOURNAL = """\
[2020-06-28 18:22] Called in sick. *
Used the time to clean @Home and write.
[see the note] stays in the body

[2020-06-29 07:05] One line entry. With a second sentence @idea.
[2020-06-30 21:00] Untitled thought without an end
"""


def test_jrnl_txt_splits_entries_titles_stars_and_tags_like_jrnl():
    """Date lines start entries; first line or first sentence is the title; "*" stars; @tags lowercased."""
    batch = text_journal(JOURNAL)
    assert batch.failures == []
    first, second, third = batch.entries
    assert first.title == "Called in sick."
    assert first.body == "Used the time to clean @Home and write.\n[see the note] stays in the body"
    assert first.tags == ("home", "starred")
    assert (second.title, second.body, second.tags) == (
        "One line entry.",
        "With a second sentence @idea.",
        ("idea",),
    )
    assert (third.title, third.body) == ("Untitled thought without an end", "")
    assert first.created == datetime(2020, 6, 28, 18, 22, tzinfo=BERLIN)


@pytest.mark.parametrize(
    "line,timeformat,expected",
    [
        ("[2021-03-04 05:06] T", None, datetime(2021, 3, 4, 5, 6)),
        ("[2021-03-04 05:06:07] T", None, datetime(2021, 3, 4, 5, 6, 7)),
        ("[2021-03-04 05:06 PM] T", None, datetime(2021, 3, 4, 17, 6)),
        ("[2021-03-04T05:06] T", None, datetime(2021, 3, 4, 5, 6)),
        ("[2021-03-04] T", None, datetime(2021, 3, 4)),
        ("[Mar 04, 2021 05:06 PM] T", None, datetime(2021, 3, 4, 17, 6)),
        ("[04.03.2021 05:06] T", "%d.%m.%Y %H:%M", datetime(2021, 3, 4, 5, 6)),
        ("[03/04/21 5:06] T", "%m/%d/%y %H:%M", datetime(2021, 3, 4, 5, 6)),
    ],
)
def test_jrnl_txt_date_formats(line, timeformat, expected):
    """jrnl's default, common variants, and a custom timeformat are read as local wall-clock time."""
    (entry,) = text_journal(line + "\nbody", timeformat).entries
    assert entry.created == expected.replace(tzinfo=BERLIN)


def test_jrnl_txt_ids_match_the_same_journal_exported_as_json():
    """A journal imported once as text and once as jrnl JSON gets the same ids: no duplicates."""
    from_text = text_journal(JOURNAL).entries
    as_json = [
        {"title": e.title, "body": e.body, "date": f"{e.created:%Y-%m-%d}", "time": f"{e.created:%H:%M}",
         "tags": [f"@{t}" for t in e.tags if t != "starred"], "starred": "starred" in e.tags}
        for e in from_text
    ]  # fmt: skip
    assert [e.id for e in jrnl_json.read(jrnl(*as_json)).entries] == [e.id for e in from_text]


def test_jrnl_txt_windows_line_endings_and_byte_order_mark():
    """A journal saved on Windows (BOM, CRLF) reads the same as one saved elsewhere."""
    raw = b"\xef\xbb\xbf" + JOURNAL.replace("\n", "\r\n").encode()
    windows = jrnl_txt.read(io.BytesIO(raw)).entries
    assert [(e.id, e.title, e.body) for e in windows] == [
        (e.id, e.title, e.body) for e in text_journal(JOURNAL).entries
    ]


def test_jrnl_txt_text_outside_entries_and_wrong_formats_are_reported():
    """Text before the first date is a reported failure; a file with no date line is refused."""
    batch = text_journal("My journal\n\n[2020-01-01 10:00] First\n")
    assert len(batch.entries) == 1
    assert batch.failures[0].position == 0 and "before the first dated entry" in batch.failures[0].describe()
    with pytest.raises(ImportFileError, match="timeformat"):
        text_journal("[01.01.2020 10:00] First\n")
    with pytest.raises(ImportFileError, match="empty"):
        text_journal("\n\n")


# -- Day One


DAYONE_ENTRY = {
    "uuid": "81F0F3CA693F484792F76359E9E2ACE8",
    "creationDate": "2018-12-10T16:56:18Z",
    "modifiedDate": "2018-12-11T01:00:00Z",
    "timeZone": "America/Denver",
    "starred": True,
    "tags": ["night shift", "ICU"],
    "text": "# A hard night\n\nHeld a hand\\. Then ![](dayone-moment://AD6F2A6E) more\\!\n\nEnd \\\\ done",
    "photos": [{"identifier": "AD6F2A6E", "type": "jpeg"}, {"identifier": "B7", "type": "png"}],
    "audios": [{"identifier": "C1"}],
    "location": {"placeName": "Hospital"},
    "weather": {"temperatureCelsius": 3},
}


def dayone_json(*entries: dict) -> bytes:
    return json.dumps({"metadata": {"version": "1.0"}, "entries": list(entries)}).encode()


def test_dayone_maps_times_in_their_zone_title_text_tags_and_counts_media():
    """UTC times shown in the entry's zone, heading as title, escapes undone, photos counted not kept."""
    batch = dayone.read(io.BytesIO(dayone_json(DAYONE_ENTRY)))
    (entry,) = batch.entries
    assert entry.created == datetime(2018, 12, 10, 16, 56, 18, tzinfo=UTC)
    assert entry.created.utcoffset() == timedelta(hours=-7)  # Denver in December
    assert entry.updated == datetime(2018, 12, 11, 1, 0, tzinfo=UTC)
    assert entry.title == "A hard night"
    assert entry.body == "Held a hand. Then [photo not imported] more!\n\nEnd \\ done"
    assert entry.tags == ("night shift", "ICU", "starred")
    assert entry.id == stable_id("dayone", "81F0F3CA693F484792F76359E9E2ACE8")
    assert (batch.photos, batch.attachments) == (2, 1)


def test_dayone_without_or_with_unknown_zone_uses_local_time_and_no_heading_means_no_title():
    """A missing or unknown zone falls back to local time; text without a heading is all body."""
    plain = {"uuid": "A1", "creationDate": "2019-07-01T08:00:00Z", "text": "Just text.\nMore."}
    for extra in ({}, {"timeZone": "Mars/Olympus_Mons"}, {"timeZone": "../../etc/passwd"}):
        (entry,) = dayone.read(io.BytesIO(dayone_json({**plain, **extra}))).entries
        assert entry.created.utcoffset() == timedelta(hours=2)  # Berlin, summer
        assert (entry.title, entry.body) == ("", "Just text.\nMore.")


def test_dayone_zip_with_several_journals_and_photo_files():
    """The ZIP Day One makes: every journal's JSON is read, photo files are never opened."""
    second = {"uuid": "B2", "creationDate": "2020-01-01T12:00:00Z", "text": "Other journal"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Journal.json", dayone_json(DAYONE_ENTRY))
        archive.writestr("Work notes.json", dayone_json(second))
        archive.writestr("photos/0123abcd.jpeg", b"\xff\xd8 not really a jpeg")
    buffer.seek(0)
    batch = dayone.read(buffer)
    assert sorted(e.body for e in batch.entries)[1] == "Other journal"
    assert batch.read == 2 and batch.photos == 2


def test_dayone_bad_entry_is_a_failure_not_a_crash():
    """An entry without a date or with a wrong type is reported by position; the others come in."""
    batch = dayone.read(
        io.BytesIO(dayone_json(DAYONE_ENTRY, {"uuid": "X", "text": "no date"}, {**DAYONE_ENTRY, "uuid": 5}))
    )
    assert len(batch.entries) == 1
    assert [f.position for f in batch.failures] == [2, 3]
    assert "creationDate" in batch.failures[0].reason and '"uuid" should be text' in batch.failures[1].reason


# -- exporters


AT = datetime(2024, 3, 1, 21, 30, tzinfo=timezone(timedelta(hours=1)))


def sample_entries():
    return [
        build_entry(
            "11111111-1111-4111-8111-111111111111", AT, AT, 1,
            EntryChanges(title="Why I stayed", body="Because of her.\n\n# A heading in my text",
                         tags=("origins",)),
        ),
        build_entry(
            "22222222-2222-4222-8222-222222222222", AT.replace(year=2025), AT.replace(year=2025), 2,
            EntryChanges(energy=3, shift="night", drains=("charting",), fuels=('a "quiet" moment\x7f',)),
        ),
    ]  # fmt: skip


def test_jrnl_export_follows_jrnl_schema():
    """jrnl's keys with jrnl's conventions: "@" tags, date and time to the minute, tag counts."""
    document = json.loads(jrnl_export.render(sample_entries()))
    first = document["entries"][0]
    assert {"title", "body", "date", "time", "tags", "starred", "uuid"} <= first.keys()
    assert (first["date"], first["time"], first["tags"], first["starred"]) == (
        "2024-03-01",
        "21:30",
        ["@origins"],
        False,
    )
    assert document["tags"] == {"@origins": 1}


def test_markdown_has_front_matter_a_heading_and_details_per_entry():
    """One readable file: Obsidian front matter, each entry under its date and title with a YAML block."""
    text = markdown.render(sample_entries(), per_year=False, now=AT)[markdown.SINGLE]
    assert text.startswith('---\ntitle: "Purpose journal"\n')
    assert "entries: 2\nfirst: 2024-03-01\nlast: 2025-03-01\n---" in text
    assert "## 2024-03-01 21:30 · Why I stayed" in text
    assert "Because of her.\n\n# A heading in my text" in text
    assert 'fuels: ["a \\"quiet\\" moment\\u007f"]' in text  # YAML allows no raw DEL: escaped
    assert 'energy: 3\nshift: "night"' in text


def test_markdown_per_year_writes_one_document_per_year():
    """--per-year: one file per calendar year, each with only that year's entries."""
    files = markdown.render(sample_entries(), per_year=True, now=AT)
    assert sorted(files) == ["purpose-journal-2024.md", "purpose-journal-2025.md"]
    assert "Why I stayed" in files["purpose-journal-2024.md"]
    assert "Why I stayed" not in files["purpose-journal-2025.md"]
