"""The per-page Session: create, unlock, recover, lock, idle time, settings, and tab independence."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE, MadeVault

from purpose_app import messages
from purpose_app.errors import InvalidInput, PurposeError, WrongSecret
from purpose_app.services.session import DEFAULT_AUTOLOCK_MINUTES, Session, passphrase_strength
from purpose_app.storage.location import DATABASE_NAME


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def vault_bytes(folder: Path) -> bytes:
    """Everything SQLite keeps on disk for the vault (main file and any WAL)."""
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith(DATABASE_NAME))


def unlocked_session(made_vault: MadeVault, **kwargs: object) -> Session:
    session = Session(made_vault.folder, **kwargs)  # type: ignore[arg-type]
    session.unlock(PASSPHRASE)
    return session


# -- create


def test_create_with_mismatched_confirm_is_refused_and_writes_nothing(vault_dir: Path) -> None:
    """Two different passphrases: a calm InvalidInput, and no vault file appears."""
    session = Session(vault_dir)
    with pytest.raises(InvalidInput) as caught:
        session.create(PASSPHRASE, PASSPHRASE + "x")
    assert caught.value.message == messages.PASSPHRASES_DIFFER
    assert not session.exists
    assert not (vault_dir / DATABASE_NAME).exists()
    assert not session.unlocked


def test_create_with_a_short_passphrase_is_refused(vault_dir: Path) -> None:
    """A passphrase under the minimum length is refused with the too-short message; still no vault."""
    session = Session(vault_dir)
    with pytest.raises(InvalidInput) as caught:
        session.create("short", "short")
    assert caught.value.message == messages.PASSPHRASE_TOO_SHORT
    assert not session.exists
    assert not session.unlocked


def test_create_returns_a_recovery_key_and_unlocks(vault_dir: Path) -> None:
    """Success: a 14-group recovery key to show once, the vault exists, and the session is unlocked."""
    session = Session(vault_dir)
    key = session.create(PASSPHRASE, PASSPHRASE)
    try:
        groups = key.split("-")
        assert len(groups) == 14
        assert all(len(g) == 4 and g.isalnum() for g in groups)
        assert session.exists
        assert session.unlocked
        assert session.require().count() == 0
    finally:
        session.lock()


# -- unlock


def test_wrong_passphrase_is_a_calm_wrong_secret_and_stays_locked(made_vault: MadeVault) -> None:
    """A wrong passphrase raises WrongSecret with a calm message (no traceback) and leaves it locked."""
    session = Session(made_vault.folder)
    with pytest.raises(WrongSecret) as caught:
        session.unlock("not the passphrase at all")
    text = caught.value.message
    assert "Nothing was changed" in text
    assert "Traceback" not in text and "Error" not in text
    assert not session.unlocked
    with pytest.raises(PurposeError):
        session.require()


def test_empty_passphrase_is_refused_without_trying(made_vault: MadeVault) -> None:
    """An empty passphrase is refused with a gentle prompt to type it; the session stays locked."""
    session = Session(made_vault.folder)
    with pytest.raises(WrongSecret) as caught:
        session.unlock("")
    assert "Type your passphrase" in caught.value.message
    assert not session.unlocked


def test_right_passphrase_unlocks(made_vault: MadeVault) -> None:
    """The right passphrase unlocks and the vault can be read."""
    session = unlocked_session(made_vault)
    assert session.unlocked
    assert session.require().entries() == []
    session.lock()


# -- recover


def test_the_key_is_derived_once_beside_the_opening_of_the_file(
    made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unlock starts Argon2id on a thread of its own (so the file is opened and checked meanwhile) and
    uses that key: derived once, never again on the caller's thread; a wrong passphrase still fails."""
    from purpose_app.crypto import keyslots

    threads: list[str] = []
    real = keyslots.passphrase_kek

    def counted(params: bytes, passphrase: str) -> bytes:
        threads.append(threading.current_thread().name)
        return real(params, passphrase)

    monkeypatch.setattr(keyslots, "passphrase_kek", counted)
    session = Session(made_vault.folder)
    session.unlock(PASSPHRASE)
    assert session.unlocked
    assert len(threads) == 1 and threads[0] != threading.main_thread().name
    session.lock()
    with pytest.raises(WrongSecret):
        session.unlock("not the passphrase at all")
    assert not session.unlocked


def test_recover_sets_a_new_passphrase_and_retires_the_old_one(made_vault: MadeVault) -> None:
    """Recovery key + new passphrase unlocks; afterwards the old passphrase fails and the new one works."""
    session = Session(made_vault.folder)
    session.recover(made_vault.recovery_key, NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert session.unlocked
    session.lock()

    with pytest.raises(WrongSecret):
        Session(made_vault.folder).unlock(PASSPHRASE)
    again = Session(made_vault.folder)
    again.unlock(NEW_PASSPHRASE)
    assert again.unlocked
    again.lock()


def test_recover_with_mismatched_new_passphrases_changes_nothing(made_vault: MadeVault) -> None:
    """Mismatched new passphrases are refused before anything is written: the old passphrase still works."""
    session = Session(made_vault.folder)
    with pytest.raises(InvalidInput):
        session.recover(made_vault.recovery_key, NEW_PASSPHRASE, NEW_PASSPHRASE + "!")
    assert not session.unlocked
    session.unlock(PASSPHRASE)
    session.lock()


def test_recover_with_a_wrong_key_stays_locked(made_vault: MadeVault) -> None:
    """A recovery key that is not this vault's: WrongSecret, still locked, old passphrase still works."""
    session = Session(made_vault.folder)
    other = Session(made_vault.folder.parent / "other")
    other_key = other.create(PASSPHRASE, PASSPHRASE)
    other.lock()
    with pytest.raises(WrongSecret):
        session.recover(other_key, NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert not session.unlocked
    session.unlock(PASSPHRASE)
    session.lock()


# -- lock


def test_lock_runs_listeners_before_the_keys_are_dropped(made_vault: MadeVault) -> None:
    """on_lock listeners run while the vault is still readable (to seal drafts), then the keys go."""
    session = unlocked_session(made_vault)
    seen: list[tuple[bool, int]] = []
    session.on_lock.append(lambda: seen.append((session.unlocked, session.require().count())))
    session.lock()
    assert seen == [(True, 0)]
    assert not session.unlocked
    assert session.vault is None
    with pytest.raises(PurposeError):
        session.require()


def test_a_listener_can_write_during_lock(made_vault: MadeVault) -> None:
    """What a listener seals during lock is there after the next unlock."""
    session = unlocked_session(made_vault)
    session.on_lock.append(lambda: session.require().put_document("draft", "today", {"body": "kept"}))
    session.lock()
    again = unlocked_session(made_vault)
    assert again.require().document("draft", "today") == {"body": "kept"}
    again.lock()


# -- idle time


def test_idle_expiry_follows_the_default_minutes(made_vault: MadeVault) -> None:
    """With the default auto-lock, idle time expires at exactly 5 minutes; activity resets it."""
    clock = FakeClock()
    session = unlocked_session(made_vault, clock=clock)
    clock.advance(DEFAULT_AUTOLOCK_MINUTES * 60 - 1)
    assert not session.idle_expired()
    session.touch()
    clock.advance(DEFAULT_AUTOLOCK_MINUTES * 60 - 1)
    assert not session.idle_expired()
    clock.advance(1)
    assert session.idle_expired()
    session.lock()
    assert not session.idle_expired()  # a locked session has nothing left to lock


def test_idle_expiry_uses_the_saved_minutes(made_vault: MadeVault) -> None:
    """A saved auto-lock of 1 minute expires after 60 seconds."""
    clock = FakeClock()
    session = unlocked_session(made_vault, clock=clock)
    session.save_setting("autolock_minutes", 1)
    session.touch()
    clock.advance(59)
    assert not session.idle_expired()
    clock.advance(1)
    assert session.idle_expired()
    session.lock()


def test_zero_minutes_disables_auto_lock(made_vault: MadeVault) -> None:
    """Auto-lock 0 means never, however long the session sits idle."""
    clock = FakeClock()
    session = unlocked_session(made_vault, clock=clock)
    session.save_setting("autolock_minutes", 0)
    clock.advance(7 * 24 * 3600)
    assert not session.idle_expired()
    session.lock()


# -- settings


def test_settings_defaults_when_locked_and_new(made_vault: MadeVault) -> None:
    """Defaults before unlock and in a fresh vault: 5 minutes, system theme, text scale 1.0."""
    expected = {"autolock_minutes": 5, "theme": "system", "text_scale": 1.0}
    session = Session(made_vault.folder)
    assert session.settings() == expected
    session.unlock(PASSPHRASE)
    assert session.settings() == expected
    session.lock()


def test_saved_settings_persist_sealed(made_vault: MadeVault) -> None:
    """save_setting survives lock and unlock, and neither its name nor its value is readable on disk."""
    session = unlocked_session(made_vault)
    session.save_setting("theme", "dark-sage-evening")
    session.save_setting("autolock_minutes", 15)
    session.lock()
    assert session.settings()["theme"] == "system"  # locked: nothing sealed is known

    raw = vault_bytes(made_vault.folder)
    assert b"dark-sage-evening" not in raw
    assert b"autolock_minutes" not in raw
    assert b"ui-settings" not in raw

    again = unlocked_session(made_vault)
    assert again.settings() == {"autolock_minutes": 15, "theme": "dark-sage-evening", "text_scale": 1.0}
    again.lock()


def test_save_setting_needs_an_unlocked_session(made_vault: MadeVault) -> None:
    """Saving a setting while locked is refused politely, not with an AttributeError."""
    with pytest.raises(PurposeError):
        Session(made_vault.folder).save_setting("theme", "dark")


# -- tabs


def test_two_sessions_on_one_folder_are_independent(made_vault: MadeVault) -> None:
    """Unlocking one tab's Session leaves another on the same folder locked; locking one leaves the other."""
    first, second = Session(made_vault.folder), Session(made_vault.folder)
    first.unlock(PASSPHRASE)
    assert first.unlocked
    assert not second.unlocked
    with pytest.raises(PurposeError):
        second.require()

    second.unlock(PASSPHRASE)
    first.lock()
    assert not first.unlocked
    assert second.unlocked
    assert second.require().count() == 0
    second.lock()


# -- strength hint


@pytest.mark.parametrize(
    ("passphrase", "level"),
    [
        ("", 0),
        ("seven77", 0),
        ("eightch8", 0),
        ("password", 0),
        ("fourteenletter", 1),
        ("two words!", 2),
        ("one two three", 2),
        ("correct horse battery", 3),
        ("a b c d e f g h", 3),
    ],
)
def test_passphrase_strength_levels(passphrase: str, level: int) -> None:
    """zxcvbn's estimate maps to the 0-3 hint levels, each with words to show; short is said first."""
    score, words = passphrase_strength(passphrase)
    assert score == level
    assert words
    if len(passphrase) < 8:
        assert "at least 8" in words
    elif level == 0:
        assert words.startswith("Easy to guess.")
    if level == 3:
        assert words == "Strong."  # what the e2e tests wait for


def test_a_common_password_is_not_fair_and_says_why_in_plain_words() -> None:
    """ "password" is easy to guess, and the hint says why and what to do, without jargon."""
    score, words = passphrase_strength("password")
    assert score == 0 and "Fair" not in words
    assert "Many people use this one" in words and "ordinary words" in words
    assert "top-10" not in words


def test_a_very_long_passphrase_gets_a_hint_not_an_error() -> None:
    """zxcvbn refuses more than 72 characters; the hint reads the start and still answers."""
    score, words = passphrase_strength("the quiet corridor at four in the morning " * 5)
    assert (score, words) == (3, "Strong.")
