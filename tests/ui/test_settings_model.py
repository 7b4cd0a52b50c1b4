"""The Settings view-model: comfort settings, passphrase change and a new recovery key, read back from
the vault (a second, fresh unlock) rather than from what the screen drew."""

from __future__ import annotations

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE, MadeVault

from purpose_app.errors import InvalidInput, WrongSecret
from purpose_app.services import vault
from purpose_app.services.account import NEW_PASSPHRASES_DIFFER
from purpose_app.services.session import SETTINGS, Session
from purpose_app.ui.settings_model import Comfort, SettingsModel


def stored_settings(made_vault: MadeVault) -> object:
    """The sealed settings document as another unlock of the same folder reads it."""
    opened = made_vault.open()
    try:
        return opened.document(SETTINGS, "ui", {})
    finally:
        opened.lock()


def test_comfort_defaults_before_anything_is_saved(session: Session) -> None:
    """A fresh journal: 5 minutes, the system theme, text at its normal size; nothing stored yet."""
    assert SettingsModel(session).comfort() == Comfort(autolock_minutes=5, theme="system", text_scale=1.0)


def test_auto_lock_minutes_are_stored(session: Session, made_vault: MadeVault) -> None:
    """Choosing 15 minutes stores 15 in the sealed settings, and the session's idle rule follows it."""
    model = SettingsModel(session)
    model.set_autolock(15)
    assert stored_settings(made_vault) == {"autolock_minutes": 15}
    assert model.comfort().autolock_minutes == 15
    assert Session(made_vault.folder).settings()["autolock_minutes"] == 5  # locked: nothing known


def test_theme_and_text_size_are_stored(session: Session, made_vault: MadeVault) -> None:
    """The theme and the text scale reach the vault, and a new unlock sees them."""
    model = SettingsModel(session)
    model.set_theme("dark")
    model.set_text_scale(1.2)
    assert stored_settings(made_vault) == {"theme": "dark", "text_scale": 1.2}
    again = Session(made_vault.folder)
    again.unlock(PASSPHRASE)
    assert SettingsModel(again).comfort() == Comfort(autolock_minutes=5, theme="dark", text_scale=1.2)
    again.lock()


def test_change_passphrase_stores_the_new_one(session: Session, made_vault: MadeVault) -> None:
    """After a change the new passphrase opens the vault, the old one does not, the recovery key does."""
    SettingsModel(session).change_passphrase(PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE)
    made_vault.open(NEW_PASSPHRASE).lock()
    with pytest.raises(WrongSecret):
        made_vault.open(PASSPHRASE)
    vault.unlock_with_recovery(made_vault.folder, made_vault.recovery_key).lock()


def test_change_passphrase_mismatch_changes_nothing(session: Session, made_vault: MadeVault) -> None:
    """Two different new passphrases: the calm message, and the old passphrase still opens the vault."""
    with pytest.raises(InvalidInput) as caught:
        SettingsModel(session).change_passphrase(PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE + "x")
    assert caught.value.message == NEW_PASSPHRASES_DIFFER
    made_vault.open(PASSPHRASE).lock()


def test_change_passphrase_asks_for_the_current_one(session: Session, made_vault: MadeVault) -> None:
    """A wrong current passphrase is refused even in an unlocked tab; nothing is changed."""
    with pytest.raises(WrongSecret):
        SettingsModel(session).change_passphrase("not the passphrase", NEW_PASSPHRASE, NEW_PASSPHRASE)
    made_vault.open(PASSPHRASE).lock()
    with pytest.raises(WrongSecret):
        made_vault.open(NEW_PASSPHRASE)


def test_new_recovery_key_replaces_the_old_one(session: Session, made_vault: MadeVault) -> None:
    """The new recovery key opens the vault; the old one stops working at once."""
    key = SettingsModel(session).new_recovery_key()
    assert key != made_vault.recovery_key
    vault.unlock_with_recovery(made_vault.folder, key).lock()
    with pytest.raises(WrongSecret):
        vault.unlock_with_recovery(made_vault.folder, made_vault.recovery_key)


def test_folder_is_the_sessions(session: Session, made_vault: MadeVault) -> None:
    """The About card names the folder the journal lives in."""
    assert SettingsModel(session).folder == made_vault.folder
