"""Hostile change files from someone who holds the sync key: sealed for real, with hostile JSON inside.
A sync never raises for one (it is skipped with a reason), within bounded time, and a skipped file
leaves every entry and deletion row exactly as it was.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_payloads import (
    FUZZ,
    RAW,
    bounded,
    deletions,
    encode,
    hostile_entries,
    make_target,
    rows,
)
from hypothesis import given
from hypothesis import strategies as st

from purpose_app.crypto import chunked
from purpose_app.errors import PurposeError
from purpose_app.services import sync, vault


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[vault.Vault]:
    """One vault for every example of this module."""
    opened = make_target(tmp_path_factory.mktemp("payload") / "vault")
    yield opened
    opened.lock()


# -- change files --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shared")


def change_file(target: vault.Vault, folder: Path, text: bytes, seq: int) -> str:
    """A change file sealed with the vault's real sync key, from another device, holding `text`."""
    device = "ab" * 16
    name = f"{device}-{seq:06d}-{uuid.uuid4().hex[:8]}.changes"
    buffer = io.BytesIO()
    writer = chunked.ChunkWriter(buffer, purpose="sync", key=target.subkey("sync"))
    writer.write(text)
    writer.finish()
    (folder / sync.SUBFOLDER).mkdir(exist_ok=True)
    (folder / sync.SUBFOLDER / name).write_bytes(buffer.getvalue())
    return name


def _seen(line: str) -> str:
    return f'{line[:-1]},"seen":[]}}' if line.endswith("}") else line


@FUZZ
@given(
    entries=st.lists(hostile_entries().map(_seen), max_size=4),
    deletions_=st.lists(deletions.map(_seen), max_size=4),
    fields=st.sampled_from(["ok", "extra", "format", "seq", "raw"]),
    seq=st.integers(min_value=1, max_value=10**6),
)
def test_hostile_change_files_are_skipped_or_merged_never_a_crash(
    target, shared, entries, deletions_, fields, seq
):
    """A correctly sealed change file with hostile JSON inside: sync never raises anything but
    Purpose's own errors, and a file it skips leaves every entry and deletion row as it was."""
    body = {"format": 1, "device": "ab" * 16, "seq": seq, "entries": RAW, "deletions": RAW}
    if fields == "extra":
        body["more"] = 1
    elif fields == "format":
        body["format"] = 2
    elif fields == "seq":
        body["seq"] = seq + 1
    text = encode(body).replace(json.dumps(RAW), "[" + ",".join(entries) + "]", 1)
    text = text.replace(json.dumps(RAW), "[" + ",".join(deletions_) + "]", 1)
    if fields == "raw":
        text = text[: len(text) // 2] + "[" * 5000
    name = change_file(target, shared, text.encode("utf-8", "surrogatepass"), seq)
    before = rows(target.folder, "entries", "tombstones")
    report = bounded(lambda: sync.sync(target, shared))
    assert not isinstance(report, PurposeError), report
    skipped = {s.file: s.reason for s in report.skipped}
    if name in skipped:
        assert rows(target.folder, "entries", "tombstones") == before
        assert len(skipped[name]) < 300
        (shared / sync.SUBFOLDER / name).unlink()  # else every later sync would try it again
    else:
        assert name in report.received


def test_a_change_file_with_a_million_deletions_is_skipped_in_bounded_time(target, shared):
    """A list of a million junk deletions is refused at the first one, well within the time limit."""
    text = json.dumps(
        {"format": 1, "device": "ab" * 16, "seq": 7, "entries": [], "deletions": [0] * 1_000_000}
    )
    name = change_file(target, shared, text.encode(), 7)
    before = rows(target.folder, "entries", "tombstones")
    report = bounded(lambda: sync.sync(target, shared))
    assert name in {s.file for s in report.skipped}
    assert rows(target.folder, "entries", "tombstones") == before
    (shared / sync.SUBFOLDER / name).unlink()


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        '{"format":1,"device":"' + "ab" * 16 + '","seq":9,"entries":[],"deletions":[{"id":"'
        + str(uuid.uuid4()) + '","revision":1,"seen":["\\ud800"]}]}',
    ],
    ids=["nesting", "surrogate-token"],
)  # fmt: skip
def test_change_files_that_once_crashed_a_sync_are_skipped(target, shared, text):
    """Nesting beyond Python's stack, or a lineage token no file can store, is skipped with a
    reason; the sync itself goes on, and no entry or deletion row changes."""
    name = change_file(target, shared, text.encode(), 9)
    before = rows(target.folder, "entries", "tombstones")
    report = bounded(lambda: sync.sync(target, shared))
    assert not isinstance(report, PurposeError), report
    assert "unreadable content" in {s.file: s.reason for s in report.skipped}[name]
    assert rows(target.folder, "entries", "tombstones") == before
    (shared / sync.SUBFOLDER / name).unlink()
