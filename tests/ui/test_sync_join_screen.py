"""Joining a journal from the sync folder on the welcome screen: the new device's vault holds the
journal and syncs with that folder; a wrong passphrase or an empty folder leaves no vault behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE, MadeVault
from own_loop import run_to_end
from test_screens import Tab

from purpose_app import messages
from purpose_app.domain.entry import EntryChanges
from purpose_app.services import sync, sync_setting
from purpose_app.storage.location import DATABASE_NAME

JOIN = "Join a journal from your sync folder"


@pytest.fixture
def folder(made_vault: MadeVault, tmp_path: Path) -> Path:
    """The sync folder after device A, with two entries, has synced into it once."""
    made = tmp_path / "Sync"
    made.mkdir()
    with made_vault.open() as opened:
        for title in ("first night", "second night"):
            opened.add(EntryChanges(title=title, body=f"{title}, as written on A"))
        sync.sync(opened, made)
    return made


@pytest.fixture
def new_device(tmp_path: Path) -> Iterator[Tab]:
    """Device B: the welcome screen of an empty folder."""
    tab = Tab(tmp_path / "device-b")
    yield tab
    tab.close()


def join(tab: Tab, folder: Path | str, passphrase: str) -> None:
    tab.click(JOIN)
    tab.type_into("Sync folder", str(folder))
    tab.type_into("Passphrase on your other device", passphrase)
    run_to_end(tab.button("Join").on_click(None))


def test_a_new_device_joins_with_the_passphrase_and_syncs_from_then_on(
    new_device: Tab, folder: Path, tmp_path: Path
) -> None:
    """The recovery key is shown once, then the journal is open here with A's entries, and this
    device's sync folder is the one it joined from."""
    tab = new_device
    join(tab, folder, PASSPHRASE)
    assert tab.session.unlocked and tab.has_button("Continue") and tab.dialogs() == []
    opened = tab.session.require()
    assert {e.title for e in opened.entries()} == {"first night", "second night"}
    assert sync_setting.chosen_folder(opened) == folder
    assert (tmp_path / "device-b" / DATABASE_NAME).exists()


def test_a_wrong_passphrase_is_refused_and_leaves_no_vault(
    new_device: Tab, folder: Path, tmp_path: Path
) -> None:
    """The dialog stays open with the message; nothing is made here, and the button works again."""
    tab = new_device
    join(tab, folder, PASSPHRASE + " typo")
    assert tab.shown(messages.WRONG_JOIN_PASSPHRASE)
    assert not tab.session.unlocked and not tab.button("Join").disabled
    assert not (tmp_path / "device-b" / DATABASE_NAME).exists()


@pytest.mark.parametrize(("where", "expected"), [("", "Type the path"), ("empty", "no journal to join")])
def test_a_folder_with_nothing_to_join_says_so(
    new_device: Tab, tmp_path: Path, where: str, expected: str
) -> None:
    """No folder typed, or a folder no device has synced into: the reason, and no vault made."""
    (tmp_path / "empty").mkdir()
    join(new_device, str(tmp_path / where) if where else "", PASSPHRASE)
    assert new_device.shown(expected)
    assert not (tmp_path / "device-b" / DATABASE_NAME).exists()
