"""The Sync page and the automatic sync, on a real Flet page without a browser: what reached the vault
(this device's folder, entries from the other device) and what the person is told."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE, MadeVault
from own_loop import run_to_end
from test_screens import Tab

from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.services import backup, sync, sync_setting, vault
from purpose_app.ui import app as app_module
from purpose_app.ui.screens import today


@pytest.fixture
def tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    """Device A: one unlocked tab; the typing timer that keeps drafts does not fire mid-test."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    opened = Tab(made_vault.folder)
    opened.unlock()
    yield opened
    opened.close()


@pytest.fixture
def phone(tab: Tab, tmp_path: Path) -> Iterator[vault.Vault]:
    """Device B: made from a backup of A, so it has the same data key (as tests/integration/test_sync.py)."""
    path = tmp_path / "a.backup"
    backup.write_backup(tab.session.require(), path, PASSPHRASE, kdf.TEST)
    joined, _key, _ = backup.restore_new(
        tmp_path / "phone", backup.read_backup(path, PASSPHRASE), NEW_PASSPHRASE, kdf.TEST
    )
    path.unlink()
    yield joined
    joined.lock()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "Sync"
    made.mkdir()
    return made


def open_sync_page(tab: Tab) -> None:
    tab.app.go("Settings")
    tab.click("Sync settings")
    assert tab.shown("Sync between your devices") and tab.has_field("Sync folder")


def choose(tab: Tab, path: Path | str) -> None:
    tab.type_into("Sync folder", str(path))
    tab.click("Use this folder")


def titles(opened: vault.Vault) -> set[str]:
    return {e.title for e in opened.entries()}


def test_choosing_a_folder_keeps_it_on_this_device(tab: Tab, made_vault: MadeVault, folder: Path) -> None:
    """The folder typed is stored as this device's choice, read back after locking and unlocking, and
    shown on Settings and in the field; nothing is sent until a sync runs."""
    open_sync_page(tab)
    assert not tab.has_button("Sync now")  # off until a folder is chosen
    choose(tab, folder)
    assert tab.shown("This device now syncs with that folder.")
    assert tab.session.require().document(*sync_setting.FOLDER_DOC) == {"path": str(folder)}
    assert sync_setting.FOLDER_DOC[0] not in (sync.KIND, "ui-settings")  # a kind of its own
    assert tab.has_button("Sync now") and tab.has_button("Turn sync off")

    tab.app.lock()
    tab.unlock()
    assert sync_setting.chosen_folder(tab.session.require()) == folder
    tab.app.go("Settings")
    assert tab.shown(f"On: this device syncs with {folder}.")
    tab.click("Sync settings")
    assert tab.field("Sync folder").value == str(folder)


def test_sync_now_brings_the_other_devices_entry_and_sends_ours(
    tab: Tab, phone: vault.Vault, folder: Path
) -> None:
    """B writes and syncs; on A, "Sync now": A's vault holds B's entry, the status says so, and B then
    receives A's entry: both vaults end with both, and A's choice of folder stays on A."""
    phone.add(EntryChanges(title="From the phone", body="written on the ward"))
    sync.sync(phone, folder)
    tab.session.require().add(EntryChanges(title="From the laptop", body="written at home"))
    open_sync_page(tab)
    choose(tab, folder)

    run_to_end(tab.button("Sync now").on_click(None))

    assert "From the phone" in titles(tab.session.require())
    assert tab.shown("Last sync just now · 1 other device seen in the folder.")
    assert tab.shown("Sent 1 entry; received 1 new entry, 0 updated.")
    assert not tab.app.sync.schedule.running
    sync.sync(phone, folder)
    assert titles(phone) == titles(tab.session.require()) == {"From the phone", "From the laptop"}
    assert phone.document(*sync_setting.FOLDER_DOC) is None  # the folder is A's own: it never travels


def test_a_save_syncs_by_itself_after_a_short_wait(tab: Tab, phone: vault.Vault, folder: Path) -> None:
    """Unlock makes a sync due; an entry saved on Today is synced once the save delay has passed (not
    before); locked, nothing is due however long it waits."""
    now = [1000.0]
    model = tab.app.sync
    model.monotonic = lambda: now[0]
    open_sync_page(tab)
    choose(tab, folder)
    tab.app.lock()
    tab.unlock()
    reason = model.poll()
    assert reason == "unlock"
    run_to_end(model.run(reason))
    assert model.poll() is None

    tab.app.go("Today")
    tab.type_into("Write your reflection", "A hard night, and a kind nurse.")
    tab.click("Save entry")
    now[0] += 2
    assert model.poll() is None  # still within the delay: a burst of saves is one sync
    now[0] += model.schedule.save_delay
    reason = model.poll()
    assert reason == "save"
    run_to_end(model.run(reason))
    sync.sync(phone, folder)
    assert "A hard night, and a kind nurse." in [e.body for e in phone.entries(with_bodies=True)]

    tab.app.lock()
    now[0] += model.schedule.period * 10
    assert model.poll() is None
    assert not (tab.session.unlocked or model.schedule.running)


def test_a_failed_sync_says_what_to_do_and_writing_goes_on(tab: Tab, folder: Path) -> None:
    """The folder disappears after it was chosen: "Sync now" shows the reason in the status line,
    and an entry saved afterwards is kept."""
    open_sync_page(tab)
    choose(tab, folder)
    folder.rmdir()
    run_to_end(tab.button("Sync now").on_click(None))
    assert tab.app.sync.status.error is not None and tab.shown(tab.app.sync.status.error)
    assert tab.shown("There is no folder") and tab.shown("Not synced yet on this device.")
    tab.app.go("Today")
    tab.type_into("Write your reflection", "Still here.")
    tab.click("Save entry")
    assert "Still here." in [e.body for e in tab.session.require().entries(with_bodies=True)]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("", "Type the path of the folder"),
        ("missing", "There is no folder at"),
        ("a-file", "is a file, not a folder"),
        ("vault", "is your journal's own folder, holds it, or lies inside it"),
        ("inside-vault", "is your journal's own folder, holds it, or lies inside it"),
        ("holds-vault", "is your journal's own folder, holds it, or lies inside it"),
    ],
)
def test_a_folder_sync_cannot_use_is_refused_with_the_reason(
    tab: Tab, made_vault: MadeVault, folder: Path, tmp_path: Path, where: str, expected: str
) -> None:
    """Each refusal shows its message, keeps the folder chosen before, and writes nothing there."""
    open_sync_page(tab)
    choose(tab, folder)
    (tmp_path / "a-file").write_text("not a folder")
    (made_vault.folder / "inside-vault").mkdir()
    paths = {
        "": "",
        "missing": str(tmp_path / "missing"),
        "a-file": str(tmp_path / "a-file"),
        "vault": str(made_vault.folder),
        "inside-vault": str(made_vault.folder / "inside-vault"),
        "holds-vault": str(made_vault.folder.parent),
    }
    choose(tab, paths[where])
    assert tab.shown(expected)
    assert sync_setting.chosen_folder(tab.session.require()) == folder
    assert not (tmp_path / "missing").exists()
    assert not (made_vault.folder / sync.SUBFOLDER).exists()
    assert not (made_vault.folder.parent / sync.SUBFOLDER).exists()
    assert not any(p.name.startswith(".purpose-probe") for p in made_vault.folder.iterdir())


def test_a_folder_purpose_cannot_write_in_is_refused(
    tab: Tab, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing a file there fails (tests run as root, so the refusal is simulated at the probe): the
    message names the folder and the reason, and the earlier choice stays."""
    open_sync_page(tab)
    choose(tab, folder)
    locked_down = tmp_path / "read-only"
    locked_down.mkdir()

    def refuse(_folder: Path) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sync_setting, "_probe", refuse)
    choose(tab, locked_down)
    assert tab.shown(f"Purpose cannot write in {locked_down} (Permission denied). Nothing was changed.")
    assert sync_setting.chosen_folder(tab.session.require()) == folder
    assert list(locked_down.iterdir()) == []


def test_turning_sync_off_forgets_the_folder_and_leaves_it_alone(tab: Tab, folder: Path) -> None:
    """Off: this device's choice is gone (nothing due any more), the change files already there stay."""
    open_sync_page(tab)
    choose(tab, folder)
    run_to_end(tab.button("Sync now").on_click(None))
    files = sorted((folder / sync.SUBFOLDER).iterdir())
    assert files
    tab.click("Turn sync off")
    assert tab.shown("Sync is off on this device.")
    assert tab.session.require().document(*sync_setting.FOLDER_DOC) is None
    assert sorted((folder / sync.SUBFOLDER).iterdir()) == files
    assert tab.app.sync.schedule.start(0.0, asked=True) is None
    assert not tab.has_button("Sync now")


def test_in_a_browser_the_folder_is_typed_and_the_field_says_why(tab: Tab) -> None:
    """Served to a browser: no "Choose folder" button (it could not give a path), and the field's
    helper says to type or paste it; in a desktop window the button is there."""
    tab.page.web = True
    open_sync_page(tab)
    assert not tab.has_button("Choose folder")
    assert "A browser cannot show that computer's folders" in str(tab.field("Sync folder").helper)
    tab.page.web = False
    open_sync_page(tab)
    assert tab.has_button("Choose folder")


def test_the_apps_watch_starts_one_sync_at_unlock_and_no_second_while_it_runs(
    tab: Tab, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's watch loop, many rounds after an unlock with a folder chosen: exactly one sync task
    is started (the slot stays taken until it ends), and the watch itself never waits on it."""
    open_sync_page(tab)
    choose(tab, folder)
    tab.app.lock()
    tab.unlock()
    monkeypatch.setattr(app_module, "WATCH_SECONDS", 0.001)
    tab.tasks.clear()

    async def rounds() -> None:
        watch = asyncio.create_task(tab.app._idle_watch())
        await asyncio.sleep(0.1)
        tab.app._closed = True
        await watch

    run_to_end(rounds())
    assert tab.tasks == [tab.app.sync.run]
    assert tab.app.sync.schedule.running
