"""The page layout (storage/pages.py): what goes in comes out, and what does not add up is refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from purpose_app.domain.entry import Entry, PromptRef
from purpose_app.domain.query import search_text
from purpose_app.storage.meta_record import UNREADABLE
from purpose_app.storage.pages import decode_page, encode_page

AT = datetime(2025, 3, 9, 1, 30, tzinfo=timezone(timedelta(hours=-5)))
ENTRIES = [
    Entry("a", AT, AT + timedelta(days=1), 3, "Die Straße", "Ein langer Tag.\nZweite Zeile 🌊", ("ward", "ß"),
          4, ("pager",), ("tea",), "night", PromptRef("origins", "first-patient")),
    Entry("b", AT.astimezone(UTC), AT.astimezone(UTC), 1),  # nothing written, nothing rated
    Entry("c", AT, AT, 2, "", "only a body, with \\n and \"quotes\"", (), 0, (), (), None, None),
]  # fmt: skip


def _split(plaintext: bytes) -> tuple[dict, bytes]:
    head, _, text = plaintext.partition(b"\n")
    return json.loads(head), text


def _join(header: dict, text: bytes) -> bytes:
    return json.dumps(header, ensure_ascii=False).encode() + b"\n" + text


def test_what_goes_in_comes_out():
    page = decode_page(7, encode_page([(e, 100 + n) for n, e in enumerate(ENTRIES)]))
    assert page is not None and page.ids == ["a", "b", "c"] and page.stamps == [100, 101, 102]
    assert page.entries() == [(e, 100 + n) for n, e in enumerate(ENTRIES)]
    assert page.titles() == [e.title for e in ENTRIES]
    assert [e.title == "" and e.body == "" for e in page.summaries()] == [True] * 3
    assert [s.created for s in page.summaries()] == [e.created for e in ENTRIES]
    for n, entry in enumerate(ENTRIES):  # each entry's search text sits where the offsets say
        start = page.starts[n]
        assert page.text[start : start + page.lengths[n]] == search_text(entry)


def test_an_empty_page_decodes_to_no_entries():
    page = decode_page(1, encode_page([]))
    assert page is not None and page.entries() == [] and page.titles() == []


@pytest.mark.parametrize(
    "spoil",
    [
        lambda h, t: ({**h, "v": 2}, t),
        lambda h, t: ({k: v for k, v in h.items() if k != "shift"}, t),
        lambda h, t: ({**h, "ids": h["ids"][:2]}, t),
        lambda h, t: ({**h, "texts": [h["texts"][0] + 1, *h["texts"][1:]]}, t),
        lambda h, t: ({**h, "titles": [-1, *h["titles"][1:]]}, t),
        lambda h, t: ({**h, "titles": [1.5, *h["titles"][1:]]}, t),
        lambda h, t: ({**h, "bodies": [h["texts"][0], *h["bodies"][1:]]}, t),
        lambda h, t: (h, t + b"x"),
        lambda h, t: (h, t[:-1]),
        lambda h, t: ([], t),
    ],
)
def test_a_page_that_does_not_add_up_is_refused(spoil):
    header, text = _split(encode_page([(e, 1) for e in ENTRIES]))
    assert decode_page(1, _join(*spoil(header, text))) is None


def test_garbage_is_refused():
    assert decode_page(1, b"no newline at all") is None
    assert decode_page(1, b"{not json\nx") is None
    assert decode_page(1, b'{"v": 1}\n\xff\xfe') is None


def test_a_column_of_the_wrong_kind_raises_a_readable_error_when_built():
    """Lengths are checked when decoding; the meta columns when the entries are built, with the same
    errors a damaged meta record raises (the vault treats the page as damaged)."""
    header, text = _split(encode_page([(e, 1) for e in ENTRIES]))
    header["created"][1] = "yesterday"
    page = decode_page(1, _join(header, text))
    assert page is not None
    with pytest.raises(UNREADABLE):
        page.summaries()
