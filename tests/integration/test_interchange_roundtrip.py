"""Journals out and back in on real vaults: JSON round trips, re-imports, Markdown, and failed imports."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from purpose_app.crypto import kdf
from purpose_app.domain.entry import Entry, EntryChanges, PromptRef
from purpose_app.errors import InvalidInput
from purpose_app.interchange.errors import EntriesRefused
from purpose_app.interchange.records import ImportBatch
from purpose_app.services import transfer, vault

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))


def _zone(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


@pytest.fixture
def filled(unlocked) -> list[Entry]:
    """A vault with every kind of entry: text, check-ins, zones from -8 to +5:30, edits, a prompt."""
    unlocked.add(
        EntryChanges(
            title="Why I stayed", body="Because of her.\n\nAnd the team. Ünïcödé ✓", tags=("origins",)
        ),
        now=datetime(2024, 3, 1, 21, 30, tzinfo=_zone(1)),
    )
    unlocked.add(
        EntryChanges(energy=2, shift="night", drains=("pages at 3am", "charting"), fuels=("a quiet moment",)),
        now=datetime(2024, 11, 5, 3, 10, tzinfo=_zone(-8)),
    )
    edited = unlocked.add(
        EntryChanges(
            body="First draft", tags=("starred", "team"), prompt=PromptRef("origins", "first-patient")
        ),
        now=datetime(2025, 1, 2, 8, 0, tzinfo=_zone(5.5)),
    )
    unlocked.edit(edited.id, EntryChanges(body="Second draft, longer.\n" * 50, energy=7), now=NOW)
    unlocked.add(EntryChanges(title="Same minute", body="a"), now=datetime(2025, 6, 1, 9, 0, tzinfo=_zone(2)))
    unlocked.add(EntryChanges(title="Same minute", body="b"), now=datetime(2025, 6, 1, 9, 0, tzinfo=_zone(2)))
    return unlocked.entries(with_bodies=True)


@pytest.fixture
def second_vault(tmp_path):
    opened, _ = vault.create(tmp_path / "second", PASSPHRASE, kdf.TEST)
    yield opened
    opened.lock()


def _export(entries, tmp_path: Path, name: str = "json", per_year: bool = False) -> list[Path]:
    out = tmp_path / ("exported" if per_year else f"journal.{'json' if name == 'json' else 'md'}")
    return transfer.export(name, entries, out, per_year=per_year, now=NOW)


def test_json_export_imports_into_a_new_vault_as_identical_entries(filled, second_vault, tmp_path):
    """Export JSON, import into a new vault: every field of every entry is identical, ids included."""
    (path,) = _export(filled, tmp_path)
    summary = transfer.store(second_vault, transfer.read("jrnl-json", path))
    assert len(summary.added) == len(filled) and summary.skipped == () and summary.failed == ()
    back = {e.id: e for e in second_vault.entries(with_bodies=True)}
    for entry in filled:
        assert back[entry.id] == entry
        assert back[entry.id].created.utcoffset() == entry.created.utcoffset()


def test_reimport_skips_everything_in_both_vaults(filled, unlocked, second_vault, tmp_path):
    """The same file again adds nothing: not to the new vault, not to the vault it came from."""
    (path,) = _export(filled, tmp_path)
    transfer.store(second_vault, transfer.read("jrnl-json", path))
    for target in (second_vault, unlocked):
        summary = transfer.store(target, transfer.read("jrnl-json", path))
        assert summary.added == () and len(summary.skipped) == len(filled)
        assert target.count() == len(filled)


def test_jrnl_fields_alone_carry_text_tags_and_wall_clock(filled, second_vault, tmp_path):
    """Read as jrnl would write it (no "purpose" object): title, body, tags and minute survive."""
    (path,) = _export(filled, tmp_path)
    document = json.loads(path.read_bytes())
    for item in document["entries"]:
        del item["purpose"], item["uuid"]
    path.write_text(json.dumps(document), encoding="utf-8")
    batch = transfer.read("jrnl-json", path)
    # jrnl has no field for a check-in with energy, drains and fuels alone: it is reported, not lost
    (failure,) = batch.failures
    assert "has nothing in it" in failure.describe() and failure.describe().startswith("entry 2 (")
    transfer.store(second_vault, batch, leave_out_failures=True)
    written = [e for e in filled if e.title or e.body]
    back = second_vault.entries(with_bodies=True)
    assert sorted((e.title, e.body, e.tags) for e in back) == sorted(
        (e.title, e.body, e.tags) for e in written
    )
    assert sorted(f"{e.created:%Y-%m-%d %H:%M}" for e in back) == sorted(
        f"{e.created:%Y-%m-%d %H:%M}" for e in written
    )
    again = transfer.store(second_vault, transfer.read("jrnl-json", path), leave_out_failures=True)
    assert again.added == ()


def test_markdown_export_is_readable_and_holds_every_entry(filled, tmp_path):
    """One file: front matter, then each entry's title, text and details, parseable as YAML."""
    yaml = pytest.importorskip("yaml")
    (path,) = _export(filled, tmp_path, "markdown")
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["entries"] == len(filled) and front["title"] == "Purpose journal"
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)]
    assert sorted(b["id"] for b in blocks) == sorted(e.id for e in filled)
    by_id = {b["id"]: b for b in blocks}
    for entry in filled:
        assert entry.body.rstrip("\n") in text
        if entry.title:
            assert f"· {entry.title}" in text
        details = by_id[entry.id]
        assert details["created"] == entry.created
        assert tuple(details.get("tags", ())) == entry.tags
        assert details.get("energy") == entry.energy and tuple(details.get("drains", ())) == entry.drains


def test_markdown_per_year_files_are_private_and_split_by_year(filled, tmp_path):
    """--per-year writes one owner-only file per year into the folder, and no temporary files."""
    written = _export(filled, tmp_path, "markdown", per_year=True)
    assert sorted(p.name for p in written) == ["purpose-journal-2024.md", "purpose-journal-2025.md"]
    assert sorted(p.name for p in (tmp_path / "exported").iterdir()) == sorted(p.name for p in written)
    for path in written:
        assert path.stat().st_mode & 0o077 == 0


def test_refused_import_leaves_the_vault_bytes_unchanged(made_vault, tmp_path):
    """A file with one bad entry among good ones: nothing imported, the database file byte for byte."""
    path = tmp_path / "journal.json"
    good = {"title": "Fine", "body": "ok", "date": "2020-01-01", "time": "10:00"}
    path.write_text(json.dumps({"entries": [good, {**good, "time": "27:00"}, {**good, "body": "also"}]}))
    before = made_vault.db.read_bytes()
    with made_vault.open() as opened, pytest.raises(EntriesRefused, match=r"entry 2 \(2020-01-01 27:00\)"):
        transfer.store(opened, transfer.read("jrnl-json", path))
    assert made_vault.db.read_bytes() == before
    with made_vault.open() as opened:
        summary = transfer.store(opened, transfer.read("jrnl-json", path), leave_out_failures=True)
        assert len(summary.added) == 2 and [f.position for f in summary.failed] == [2]


def test_a_failure_inside_the_transaction_writes_nothing(made_vault, tmp_path):
    """If storing fails midway (an entry the vault refuses), no entry of the batch is stored."""
    path = tmp_path / "journal.json"
    rows = [{"title": f"n{i}", "date": "2020-01-01", "time": f"10:{i:02d}"} for i in range(30)]
    path.write_text(json.dumps({"entries": rows}))
    batch = transfer.read("jrnl-json", path)
    poisoned = ImportBatch(batch.format, [*batch.entries[:20], replace(batch.entries[20], revision=0)])
    before = made_vault.db.read_bytes()
    with made_vault.open() as opened, pytest.raises(InvalidInput):
        transfer.store(opened, poisoned)
    assert made_vault.db.read_bytes() == before
