"""A vault made with the cheap test key setting says so whenever it is open in the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from test_screens import Tab

from purpose_app import messages
from purpose_app.crypto import kdf
from purpose_app.services import vault
from purpose_app.ui.screens import today


@pytest.fixture(autouse=True)
def _quiet_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)


def _open(folder: Path, params: kdf.KdfParams) -> Iterator[Tab]:
    made, _key = vault.create(folder, PASSPHRASE, params)
    made.lock()
    tab = Tab(folder)
    tab.unlock()
    assert tab.session.unlocked
    yield tab
    tab.close()


def test_a_test_profile_vault_shows_the_warning_on_every_screen(tmp_path: Path) -> None:
    """The banner is there on Today and stays as the person moves around."""
    for tab in _open(tmp_path / "v", kdf.TEST):
        for destination in ("Today", "Journal", "Settings"):
            tab.app.go(destination)
            assert tab.shown(messages.TEST_KDF_WARNING_APP)


def test_a_vault_at_the_default_cost_shows_no_warning(tmp_path: Path) -> None:
    """A real journal is not nagged."""
    for tab in _open(tmp_path / "v", kdf.DEFAULT):
        assert not tab.shown(messages.TEST_KDF_WARNING_APP)
