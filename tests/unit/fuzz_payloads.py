"""Hostile payloads from someone who holds the key, for the backup and sync fuzzers: JSON strategies,
sealed backup and change-file builders, and the checks (only Purpose's errors, bounded time, rows
unchanged after a refusal) that both fuzzers apply.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from purpose_app.crypto import chunked, kdf
from purpose_app.domain.entry import EntryChanges, build_entry
from purpose_app.errors import PurposeError
from purpose_app.interchange.entry_codec import entry_to_dict
from purpose_app.services import backup, vault

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture,
    ],
)  # fmt: skip
TIME_LIMIT = 5.0  # seconds per restore or sync; these payloads take milliseconds to refuse
PASSPHRASE = "correct horse battery"
RAW = "\x00raw\x00"  # a placeholder, replaced by hostile JSON text json.dumps would never write
HOSTILE_TEXT = [
    "[" * 100_000,  # nesting beyond Python's stack
    "[" * 900 + "]" * 900,  # deep, but within json.loads's reach
    "1" * 5000,  # more digits than Python turns into an int
    "NaN", "-Infinity", "1e999",
    '"\\ud800"', '"\\udfff x"',  # lone surrogates: no file can store them as UTF-8
    "{", '"unterminated', "[1,]", "\x00",
]  # fmt: skip
KINDS = ["signing-identity", "trusted-signer", "ui-settings", "why", "sync", "favourites", "no-such-kind"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2**53, max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
)  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
moments = st.datetimes(
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])
)


# -- the vault under attack, and what "unchanged" means --------------------------------------------------


def make_target(folder: Path) -> vault.Vault:
    """The vault under attack, unlocked, with an entry, a deletion and a document of its own."""
    opened, _key = vault.create(folder, PASSPHRASE, kdf.TEST)
    opened.add(EntryChanges(body="already here"))
    opened.delete(opened.add(EntryChanges(body="deleted here")).id)
    opened.put_document("why", "statement", [{"text": "mine", "written": "2024-01-01"}])
    return opened


def rows(folder: Path, *tables: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the given tables (all of them when none are named), read below the service."""
    uri = f"file:{folder / 'purpose.db'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        names = tables or tuple(
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        )
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}


def bounded(call: Callable[[], Any]) -> Any:
    """Run call: only a PurposeError may come out, with a short message, within TIME_LIMIT."""
    started = time.perf_counter()
    try:
        result = call()
    except PurposeError as error:
        assert error.message.strip() and len(error.message) < 1000
        result = error
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f}s"
    return result


# -- building payloads ---------------------------------------------------------------------------------


def entry_record(body: str = "from the payload", entry_id: uuid.UUID | None = None) -> dict[str, Any]:
    """A valid entry as a backup or change file holds it."""
    moment = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
    entry_id = entry_id or uuid.uuid4()
    return entry_to_dict(build_entry(str(entry_id), moment, moment, 1, EntryChanges(body=body)))


def encode(record: dict[str, Any], raw: str | None = None) -> str:
    """The record as one JSON line, with RAW (if present) replaced by hostile text."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return text.replace(json.dumps(RAW), raw) if raw is not None else text


@st.composite
def hostile_entries(draw: st.DrawFn) -> str:
    """A valid entry with one thing wrong (or nothing: some examples must reach the merge)."""
    record = entry_record(draw(st.text("ab yz\né🌙", max_size=40)) + ".", draw(st.uuids()))
    # Half of them whole and valid, so that merges happen too.
    how = draw(st.sampled_from(["value", "raw", "drop", "add", "moment", "labels", *["none"] * 6]))
    field = draw(st.sampled_from(sorted(record)))
    raw = None
    if how == "value":
        record[field] = draw(json_values)
    elif how == "raw":
        record[field], raw = RAW, draw(st.sampled_from(HOSTILE_TEXT))
    elif how == "drop":
        del record[field]
    elif how == "add":
        record[draw(st.text(max_size=8))] = draw(json_values)
    elif how == "moment":
        record[draw(st.sampled_from(["created", "updated"]))] = draw(moments).isoformat()
    elif how == "labels":
        record[draw(st.sampled_from(["tags", "drains", "fuels"]))] = draw(st.lists(st.text(max_size=70)))
    return encode(record, raw)


deletions = st.builds(
    lambda entry_id, revision: encode({"id": entry_id, "revision": revision}),
    st.uuids().map(str) | st.uuids().map(str) | json_values,  # mostly ids no vault has ever seen
    st.integers(min_value=1, max_value=2**64) | st.integers(1, 9) | json_values,
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    record = {"kind": draw(st.sampled_from(KINDS) | st.text(max_size=8)), "name": draw(st.text(max_size=8))}
    if draw(st.integers(0, 3)) == 0:
        return encode({**record, "data": RAW}, draw(st.sampled_from(HOSTILE_TEXT)))
    return encode({**record, "data": draw(json_values)})


def _typed(kind: str, body: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def add_type(line: str) -> str:
        if not line.startswith("{") or line == "{}":
            return line
        return f'{{"type":{json.dumps(kind)},{line[1:]}'

    return body.map(add_type)


backup_records = st.one_of(
    *[_typed("entry", hostile_entries())] * 3,
    *[_typed("deletion", deletions)] * 2,
    *[_typed("document", documents())] * 2,
    st.builds(lambda kind, value: encode({"type": kind, "value": value}), st.text(max_size=8), json_values),
    st.sampled_from(HOSTILE_TEXT),
)


def backup_file(path: Path, head: dict[str, Any], lines: list[str], end: bool) -> None:
    """A backup sealed with the real passphrase, holding exactly these lines."""
    counts = {
        "entries": sum('"type":"entry"' in line for line in lines),
        "deletions": sum('"type":"deletion"' in line for line in lines),
        "documents": sum('"type":"document"' in line for line in lines),
    }
    tail = [encode({"type": "end", **counts})] if end else []
    with path.open("wb") as handle:
        writer = chunked.ChunkWriter(handle, purpose="backup", passphrase=PASSPHRASE, params=kdf.TEST)
        for line in [encode({"type": "backup", **head}), *lines, *tail]:
            writer.write(line.encode("utf-8", "surrogatepass") + b"\n")
        writer.finish()


def head_of(target: vault.Vault, same_journal: bool) -> dict[str, Any]:
    vault_id, key = target.identity() if same_journal else (uuid.uuid4().hex, bytes(32))
    made = datetime.now(UTC).isoformat()
    return {"format": 1, "vault_id": vault_id, "data_key": base64.b64encode(key).decode(), "made": made}


def restore(target: vault.Vault, path: Path) -> backup.RestoreSummary | PurposeError:
    """Read and merge the backup as `restore --merge` does; a refusal must leave every row as it was."""
    before = rows(target.folder)

    def attempt() -> backup.RestoreSummary:
        return backup.restore_merge(target, backup.read_backup(path, PASSPHRASE))

    result = bounded(attempt)
    if isinstance(result, PurposeError):
        assert rows(target.folder) == before
    else:
        target.entries(with_bodies=True)  # whatever came in can be read back
        target.all_documents()
    return result
