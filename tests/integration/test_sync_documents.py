"""Sync carries every document a person keeps, by its kind's rule; what belongs to a device stays there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from test_sync import _join, _view

from purpose_app.domain.document_merge import travels
from purpose_app.domain.entry import EntryChanges
from purpose_app.insight import support
from purpose_app.services import sync, sync_files, vault
from purpose_app.services.library import Library
from purpose_app.services.programmes import stop_programme
from purpose_app.services.reflection import Reflection
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.services.sync_state import Device

NOW = datetime(2026, 11, 30, 9, 0).astimezone()


@pytest.fixture
def pair(made_vault, tmp_path) -> Iterator[tuple[vault.Vault, vault.Vault, Path]]:
    """Device A with two entries, device B joined from A's backup, an empty sync folder."""
    with ExitStack() as stack:
        a = stack.enter_context(made_vault.open())
        for word in ("alpha", "bravo"):
            a.add(EntryChanges(title=word, body=f"{word} body"))
        b = stack.enter_context(_join(a, tmp_path / "device-b", tmp_path))
        folder = tmp_path / "Sync"
        folder.mkdir()
        yield a, b, folder


def _rounds(*devices: vault.Vault, folder: Path, times: int = 2) -> None:
    for _ in range(times):
        for device in devices:
            assert sync.sync(device, folder).skipped == []


def _travelling(opened: vault.Vault) -> dict[tuple[str, str], object]:
    """The documents that travel; an empty list or map counts as none (the services read it so)."""
    return {k: v for k, v in opened.all_documents().items() if travels(*k) and v not in ([], {})}


def test_every_kind_a_person_keeps_reaches_the_other_device(pair):
    """My why, favorites, own prompts, self-checks, support contacts, a program, a pack choice and a
    trusted signer made on either side: both devices end with the same documents."""
    a, b, folder = pair
    lib_a, lib_b = Library(a), Library(b)
    refs = [p.ref for p in lib_a.enabled_prompts()]
    Reflection(lib_a).set_why("To be present with patients.", NOW)
    lib_b.set_favourite(refs[0], True)
    own = lib_a.write_prompt("What went well today, however small?")
    SelfChecks(a).record_quick(3, NOW)
    SelfChecks(b).record_quick(4, NOW + timedelta(hours=1))
    support.add_own(b, "Dr Mentor", "555-0100", "Thursdays")
    programme = next(info.pack.id for info in lib_a.packs() if info.pack.programme)
    Reflection(lib_b).start_programme(programme, NOW)
    pack = next(info.pack.id for info in lib_a.packs() if not info.pack.programme)
    lib_a.set_enabled(pack, False)
    signer = lib_b.keygen("Dr B, Tuesday group")
    _rounds(a, b, folder=folder)
    assert _travelling(a) == _travelling(b)
    assert Reflection(Library(b)).my_why() == "To be present with patients."
    assert Library(a).favourites() == [refs[0]]
    assert own.ref in {p.ref for p in Library(b).enabled_prompts()}
    assert sorted(r.quick for r in SelfChecks(a).history()) == [3, 4]
    assert [r.name for r in support.own(a)] == ["Dr Mentor"]
    assert Reflection(Library(a)).programme_status(programme, NOW).status == "running"
    assert not next(i for i in Library(b).packs() if i.pack.id == pack).enabled
    assert signer.fingerprint in Library(a).trusted()


def test_removals_travel_and_a_later_re_add_wins(pair):
    """A favorite removed on B stays removed on A; added again on A afterwards, it is back on both.
    A stopped program and a removed contact go on both devices."""
    a, b, folder = pair
    lib_a = Library(a)
    ref = lib_a.enabled_prompts()[0].ref
    lib_a.set_favourite(ref, True)
    contact = support.add_own(a, "Peer line", "555-0199")
    programme = next(info.pack.id for info in lib_a.packs() if info.pack.programme)
    Reflection(lib_a).start_programme(programme, NOW)
    _rounds(a, b, folder=folder)
    assert Library(b).favourites() == [ref]
    Library(b).set_favourite(ref, False)
    support.remove_own(b, str(contact.id))
    stop_programme(Reflection(Library(b)), programme, NOW)
    _rounds(b, a, folder=folder)
    assert Library(a).favourites() == [] and support.own(a) == ()
    assert Reflection(Library(a)).programme_status(programme, NOW).status == "not started"
    Library(a).set_favourite(ref, True)
    _rounds(a, b, folder=folder)
    assert Library(b).favourites() == [ref] and _travelling(a) == _travelling(b)


def test_two_versions_of_my_why_written_apart_are_both_kept(pair):
    """My why rewritten on both devices without syncing: both versions are kept, oldest first."""
    a, b, folder = pair
    Reflection(Library(a)).set_why("Written on A first.", NOW)
    Reflection(Library(b)).set_why("Written on B later.", NOW + timedelta(minutes=5))
    _rounds(a, b, folder=folder)
    history = [v["text"] for v in Reflection(Library(a)).why_history()]
    assert history == ["Written on A first.", "Written on B later."]
    assert Reflection(Library(b)).why_history() == Reflection(Library(a)).why_history()


def test_a_single_value_changed_on_both_sides_ends_the_same_on_both(pair):
    """A pack turned off on A and on again on B without syncing: both devices settle on one choice,
    the later write by clock (and the device id at a tie), never half of each."""
    a, b, folder = pair
    pack = next(info.pack.id for info in Library(a).packs() if not info.pack.programme)
    Library(a).set_enabled(pack, False)
    Library(b).set_enabled(pack, True)
    _rounds(a, b, folder=folder)
    assert a.document("pack-settings", pack) == b.document("pack-settings", pack)
    Library(b).set_enabled(pack, False)  # made after seeing the other: it wins everywhere
    _rounds(b, a, folder=folder)
    assert a.document("pack-settings", pack) == {"enabled": False}


def test_device_only_documents_stay_home(pair):
    """Theme, text size, auto-lock, the draft and this device's sync folder never leave the device."""
    a, b, folder = pair
    a.put_document("ui-settings", "ui", {"theme": "dark", "text_scale": 1.4, "autolock_minutes": 1})
    a.put_document("draft", "today", {"body": "half a thought"})
    a.put_document("device", "sync-folder", {"path": str(folder)})
    b.put_document("ui-settings", "ui", {"theme": "light"})
    _rounds(a, b, folder=folder)
    assert b.document("ui-settings", "ui") == {"theme": "light"}
    assert b.document("draft", "today") is None and b.document("device", "sync-folder") is None
    assert a.document("ui-settings", "ui") == {"theme": "dark", "text_scale": 1.4, "autolock_minutes": 1}


def _format_one(a: vault.Vault, target: Path, body: str) -> str:
    """A change file exactly as the release before documents wrote it (format 1, entries only)."""
    entry = a.add(EntryChanges(title="from an older release", body=body))
    token = a.tokens().token(entry)
    from purpose_app.interchange.entry_codec import entry_to_dict

    device = "c" * 32
    data = {"format": 1, "device": device, "seq": 1, "entries": [{**entry_to_dict(entry), "seen": [token]}],
            "deletions": []}  # fmt: skip
    a.delete(entry.id)
    a.delete_document(*sync.STATE)  # forget: this file is news to A too
    name = f"{device}-000001-0a0b0c0d.changes"
    raw = json.dumps(data, separators=(",", ":")).encode()
    sync_files.write_sealed(target, name, a.subkey("sync"), raw)
    return name


def test_a_format_one_change_file_is_still_applied(pair):
    """A file from the release before (entries and deletions only) is read and merged."""
    a, b, folder = pair
    target = folder / sync.SUBFOLDER
    target.mkdir()
    name = _format_one(a, target, "older body")
    report = sync.sync(b, folder)
    assert name in report.received and "older body" in {e.body for e in b.entries(with_bodies=True)}


LEFTOVERS = [
    "{name}.sync-conflict-20261130-101500-ABCDEFG.changes",  # Syncthing, a conflict copy
    "{stem} (Dr B's conflicted copy 2026-11-30).changes",  # Dropbox
    "{stem} (conflicted copy 2026-11-30 101500).changes",  # Nextcloud
    "{stem}_conflict-20261130-101500.changes",  # ownCloud
    ".syncthing.{name}.tmp",  # Syncthing, half copied
    "~syncthing~{name}.tmp",  # Syncthing on Windows, half copied
]


@pytest.mark.parametrize("pattern", LEFTOVERS)
@pytest.mark.parametrize("content", ["whole", "truncated", "foreign"])
def test_what_sync_tools_leave_behind_is_harmless(pair, pattern, content):
    """Conflict copies and temporaries of a change file, whole, cut short or from another journal:
    applied once or skipped with a reason, never doubled, never a crash; the original still applies."""
    a, b, folder = pair
    b.add(EntryChanges(title="only once", body="from B"))
    sent = str(sync.sync(b, folder).sent)
    target = folder / sync.SUBFOLDER
    whole = (target / sent).read_bytes()
    data = {"whole": whole, "truncated": whole[: len(whole) // 2], "foreign": b""}[content]
    leftover = target / pattern.format(name=sent, stem=sent.removesuffix(".changes"))
    if content == "foreign":
        sync_files.write_sealed(target, leftover.name, bytes(32), b"{}")
    else:
        leftover.write_bytes(data)
    for _attempt in range(2):
        report = sync.sync(a, folder)
        assert all(s.file == leftover.name for s in report.skipped)
        assert all(len(s.reason) < 200 for s in report.skipped)
    assert [e.title for e in a.entries()].count("only once") == 1 and a.count() == 3
    sync.sync(b, folder)
    assert _view(a) == _view(b)


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in (folder / sync.SUBFOLDER).iterdir() if p.is_file())


def _full_set(opened: vault.Vault, target: Path) -> int:
    """The size of one change file holding every entry and document of `opened`."""
    fresh = target.parent / "full-set"
    fresh.mkdir(exist_ok=True)
    state = opened.document(*sync.STATE)
    device = opened.document(*sync.DEVICE)
    opened.delete_document(*sync.STATE)
    opened.delete_document(*sync.DEVICE)
    report = sync.sync(opened, fresh)
    size = (fresh / sync.SUBFOLDER / str(report.sent)).stat().st_size
    opened.put_documents({sync.STATE: state, sync.DEVICE: device})
    return size


def test_the_folder_stays_small_over_many_rounds(pair):
    """Sixty days of one new entry on each side, syncing daily: every device acknowledges, writers
    compact, and the folder holds at most twice one full change set; both sides hold everything."""
    a, b, folder = pair
    for day in range(60):
        when = NOW + timedelta(days=day)
        a.add(EntryChanges(body=f"A, day {day}"))
        b.add(EntryChanges(body=f"B, day {day}"))
        for device in (a, b):
            report = sync.sync(device, folder, now=when)
            assert report.skipped == [] and report.rejoin is None
    sync.sync(a, folder, now=when)  # B's last entry
    assert _view(a) == _view(b) and a.count() == 122
    assert len(list((folder / sync.SUBFOLDER).glob("*.changes"))) <= 6
    assert _folder_bytes(folder) <= 2 * _full_set(a, folder)


def test_a_device_silent_for_ninety_days_stops_holding_back_and_is_told_to_join_again(pair):
    """B goes quiet: after 90 days A compacts without waiting for B's acknowledgement; when B comes
    back it is told to join again, and still receives everything current (nothing is lost)."""
    a, b, folder = pair
    _rounds(a, b, folder=folder)
    for day in range(1, 5):
        a.add(EntryChanges(body=f"A, day {day}"))
        report = sync.sync(a, folder, now=NOW + timedelta(days=100 + day))
    assert report.silent and not report.devices
    assert len(list((folder / sync.SUBFOLDER).glob(f"{report.device}-*.changes"))) <= 2
    back = sync.sync(b, folder, now=NOW + timedelta(days=120))
    assert back.rejoin is not None and "join again" in back.rejoin and "90 days" in back.rejoin
    assert _view(a) == _view(b)
    assert sync.sync(b, folder, now=NOW + timedelta(days=121)).rejoin is None
    device: Device = b.document(*sync.DEVICE)  # type: ignore[assignment]
    assert device["last"].startswith("2027")


def test_a_device_that_comes_late_finds_everything_after_compaction(pair, tmp_path):
    """Edits, deletions and document changes over many rounds, compacted away as they go: a device
    restored from a backup made at the start then syncs and holds exactly what the others hold."""
    a, b, folder = pair
    with _join(a, tmp_path / "device-c", tmp_path) as late:
        ref = Library(a).enabled_prompts()[0].ref
        first = a.add(EntryChanges(title="to be edited", body="v0"))
        doomed = b.add(EntryChanges(title="to be deleted"))
        for day in range(12):
            when = NOW + timedelta(days=day)
            a.edit(first.id, EntryChanges(body=f"v{day + 1}"))
            Library(b).set_favourite(ref, day % 2 == 0)
            Reflection(Library(a)).set_why(f"Reason number {day}.", when)
            if day == 5:
                b.delete(doomed.id)
            for device in (a, b):
                sync.sync(device, folder, now=when)
        assert sync.sync(a, folder, now=when).pruned or list((folder / sync.SUBFOLDER).glob("*.changes"))
        report = sync.sync(late, folder, now=when)
        assert report.skipped == [] and report.rejoin is None
        sync.sync(a, folder, now=when)
        assert _view(late) == _view(a) == _view(b)
        assert _travelling(late) == _travelling(a) == _travelling(b)
        assert late.get(first.id).body == "v12" and doomed.id in late.tombstones()
        assert len(Reflection(Library(late)).why_history()) == 12


_WHERE = ["why", "statement", ""]
MALFORMED = [
    {"k": ["why", "statement"], "c": [1, "a" * 32], "v": 1},
    {"k": _WHERE, "c": [0, "a" * 32]},
    {"k": _WHERE, "c": [1, "not a device"]},
    {"k": _WHERE, "x": 1},
]


@pytest.mark.parametrize("record", MALFORMED, ids=["no-member", "zero-counter", "bad-device", "no-clock"])
def test_a_change_file_with_a_malformed_document_record_is_skipped(pair, record):
    """A sealed format-2 file whose document record is malformed is skipped with a reason, every time,
    and no document changes."""
    a, _b, folder = pair
    target = folder / sync.SUBFOLDER
    target.mkdir()
    device = "d" * 32
    body = {"format": 2, "device": device, "seq": 1, "entries": [], "deletions": [], "documents": [record]}
    name = f"{device}-000001-0a0b0c0d.changes"
    sync_files.write_sealed(target, name, a.subkey("sync"), json.dumps(body).encode())
    before = a.all_documents()
    for _attempt in range(2):
        skipped = {s.file: s.reason for s in sync.sync(a, folder).skipped}
        assert "unreadable content" in skipped[name]
    after = a.all_documents()
    assert {k: v for k, v in after.items() if k[0] != "sync"} == {
        k: v for k, v in before.items() if k[0] != "sync"
    }


def test_a_favorite_saved_while_a_sync_merges_documents_is_kept(pair, monkeypatch):
    """The app syncs on a worker thread: a favorite saved in the middle of a sync's document merge
    waits for it, and both the favorite from the other device and the new one are kept."""
    import threading
    import time

    from purpose_app.services import sync_documents

    a, b, folder = pair
    refs = [p.ref for p in Library(a).enabled_prompts()]
    Library(b).set_favourite(refs[0], True)
    sync.sync(b, folder)
    merge = sync_documents.merge_records
    saver = threading.Thread(target=lambda: Library(a).set_favourite(refs[1], True))

    def merge_while_a_save_lands(*args, **kwargs):
        saver.start()
        time.sleep(0.3)  # the save, were it not held back, lands between the read and the write
        return merge(*args, **kwargs)

    monkeypatch.setattr(sync_documents, "merge_records", merge_while_a_save_lands)
    sync.sync(a, folder)
    saver.join(timeout=10)
    assert sorted(Library(a).favourites()) == sorted(refs[:2])
