"""Sync proven over two real Syncthing daemons: a phone that joined through the folder, work on both
sides, one daemon killed with -9 mid-transfer; both vaults end up the same, nothing lost or doubled."""

from __future__ import annotations

import os
import random
import string
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from syncthing_harness import BINARY, Pair, in_transfer, running_pair, wait_for

from purpose_app.cli import entry_json
from purpose_app.domain.entry import EntryChanges
from purpose_app.packs.builtin import builtin_packs
from purpose_app.services import sync, sync_join, vault
from purpose_app.services.library import Library
from purpose_app.services.reflection import Reflection
from purpose_app.services.selfcheck import SelfChecks

NOW = datetime(2026, 11, 30, 21, 30, tzinfo=UTC)
LONG_NIGHTS = 100  # entries of ~12 KB: a change file of ~1.2 MB, a few seconds at the phone's 400 KiB/s


@pytest.fixture
def pair(tmp_path: Path):
    """Two daemons on loopback; skipped without the syncthing binary, except in CI, where it must be."""
    if BINARY is None:
        if os.environ.get("CI"):
            pytest.fail("syncthing is missing: `make test` installs Debian's syncthing package.")
        pytest.skip("syncthing is not installed (apt-get install syncthing, or `make syncthing`)")
    with running_pair(tmp_path / "syncthing", phone_recv_kib=400) as started:
        yield started


def _round(pair: Pair, desk: vault.Vault, phone: vault.Vault) -> list[sync.Skipped]:
    """Each device syncs, Syncthing carries the files across, twice over: what was skipped on the way."""
    skipped: list[sync.Skipped] = []
    for _ in range(2):
        skipped += sync.sync(desk, pair.desktop.folder).skipped
        pair.settle()
        skipped += sync.sync(phone, pair.phone.folder).skipped
        pair.settle()
    return skipped


def _view(opened: vault.Vault) -> list[dict[str, object]]:
    return sorted((entry_json(e) for e in opened.entries(with_bodies=True)), key=lambda e: str(e["id"]))


def _documents(opened: vault.Vault) -> tuple[object, ...]:
    library = Library(opened)
    return (
        Reflection(library).why_history(),
        sorted(library.favourites()),
        sorted((r.taken, r.quick) for r in SelfChecks(opened).history()),
    )


def _long_text(rng: random.Random) -> str:
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(2000)]
    return " ".join(words)[:12_000]


def test_a_joined_phone_and_a_desktop_converge_over_syncthing(pair, made_vault, tmp_path):
    """The issue's scenario end to end, with the real engine between the two folders."""
    rng = random.Random(15)
    with made_vault.open() as desk:
        for word in ("rounds", "clinic", "handover", "teaching"):
            desk.add(EntryChanges(title=word, body=f"{word} as first written"))
        Reflection(Library(desk)).set_why("I came to medicine to sit with people.", NOW)
        sync.sync(desk, pair.desktop.folder)
        pair.settle()

        joined = sync_join.join(pair.phone.folder, PASSPHRASE, tmp_path / "phone-vault")
        with joined.vault as phone:
            assert _view(phone) == _view(desk)
            ids = {e.title: e.id for e in desk.entries()}

            # Work on both sides without either seeing the other's.
            desk.add(EntryChanges(title="written on the desktop", body="after the ward round"))
            phone.add(EntryChanges(title="written on the phone", body="on the bus home"))
            desk.edit(ids["rounds"], EntryChanges(body="rounds as the desktop rewrote it"))
            phone.edit(ids["rounds"], EntryChanges(body="rounds as the phone rewrote it"))
            phone.delete(ids["clinic"])
            Reflection(Library(desk)).set_why("To stay curious about each patient.", NOW + timedelta(hours=1))
            favorite = next(p for p in builtin_packs() if p.id == "origins").prompts[0].ref
            Library(phone).set_favourite(favorite, True)
            SelfChecks(desk).record_quick(2, NOW + timedelta(hours=2))
            SelfChecks(phone).record_quick(4, NOW + timedelta(hours=3))
            _round(pair, desk, phone)

            # A large change file, and the phone's daemon killed with -9 while it pulls it.
            for night in range(LONG_NIGHTS):
                desk.add(EntryChanges(title=f"long night {night}", body=_long_text(rng)))
            sent = sync.sync(desk, pair.desktop.folder).sent
            assert sent is not None
            pair.desktop.scan()
            wait_for(
                "the phone to start pulling", lambda: in_transfer(pair.phone.folder), timeout=30, every=0.02
            )
            pair.phone.kill()
            assert not (pair.phone.folder / sync.SUBFOLDER / sent).exists()  # cut off mid-transfer
            sync.sync(phone, pair.phone.folder)  # while its sync tool is down: harmless
            pair.phone.start()
            pair.wait_connected()
            _round(pair, desk, phone)
            skipped = _round(pair, desk, phone)

            assert skipped == []
            assert _view(desk) == _view(phone)
            titles = [e.title for e in desk.entries()]
            assert len(titles) == len(set(titles)) == 6 + LONG_NIGHTS  # nothing lost, nothing doubled
            assert "clinic" not in titles and ids["clinic"] in desk.tombstones()
            bodies = {e.body for e in desk.entries(with_bodies=True)}
            assert {"rounds as the desktop rewrote it", "rounds as the phone rewrote it"} <= bodies
            assert [e.title for e in desk.entries() if "conflict" in e.tags] == ["Conflict copy: rounds"]

            # Documents (my why, favorites, self-checks) travel too.
            assert _documents(desk) == _documents(phone)
            why, favorites, checks = _documents(phone)
            assert [v["text"] for v in why][-1] == "To stay curious about each patient."
            assert favorites == [favorite] and [quick for _taken, quick in checks] == [2, 4]
