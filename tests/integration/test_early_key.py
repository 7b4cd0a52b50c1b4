"""The key derivation a command starts before the vault is open (services/early_key.py): used only when
it was derived for the slot the open then reads, and never a way around the passphrase."""

from __future__ import annotations

import os

import pytest
from conftest import PASSPHRASE, MadeVault

from purpose_app import messages
from purpose_app.crypto import keyslots
from purpose_app.errors import WrongSecret
from purpose_app.services import early_key, vault
from purpose_app.storage import slot_peek


def test_the_peek_reads_the_passphrase_slot_and_creates_nothing_beside_the_vault(made_vault: MadeVault):
    """Read-only and immutable: the folder holds exactly what it held, and the params are the slot's."""
    before = sorted(os.listdir(made_vault.folder))
    params = slot_peek.passphrase_params(made_vault.folder)
    assert sorted(os.listdir(made_vault.folder)) == before
    opened = made_vault.open()
    try:
        assert params == opened._live().slot(keyslots.PASSPHRASE).params
    finally:
        opened.lock()


def test_no_vault_or_not_a_database_gives_no_hint(tmp_path):
    """Nothing to read: None, and the unlock says why the usual way."""
    assert slot_peek.passphrase_params(tmp_path / "nowhere") is None
    (tmp_path / "purpose.db").write_bytes(b"not a database at all" * 100)
    assert slot_peek.passphrase_params(tmp_path) is None


def test_an_early_key_opens_the_vault(made_vault: MadeVault):
    """The usual case: derived early, used, the journal opens."""
    early = early_key.start(made_vault.folder, PASSPHRASE)
    assert early is not None
    with vault.unlock(made_vault.folder, PASSPHRASE, early=early) as opened:
        assert opened.count() == 0


def test_a_wrong_passphrase_derived_early_is_refused_as_always(made_vault: MadeVault):
    """The early key of a wrong passphrase does not unwrap the data key: WrongSecret, same words."""
    early = early_key.start(made_vault.folder, "not the passphrase at all")
    with pytest.raises(WrongSecret) as raised:
        vault.unlock(made_vault.folder, "not the passphrase at all", early=early)
    assert raised.value.message == messages.WRONG_PASSPHRASE
    with vault.unlock(made_vault.folder, PASSPHRASE) as opened:  # nothing was changed
        assert opened.count() == 0


def test_a_key_derived_for_other_params_is_thrown_away(
    made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch
):
    """A hint that is not the slot read at open (changed meanwhile): derived again, from the real slot.
    Were the stale key used, the right passphrase would be refused."""
    stale = early_key.EarlyKey(b'{"format":1,"kdf":"argon2id-v19"}', PASSPHRASE)  # unusable params
    assert stale.kek_for(b"other") is None
    with vault.unlock(made_vault.folder, PASSPHRASE, early=stale) as opened:
        assert opened.count() == 0
    derived: list[bytes] = []

    def wrong_key(params: bytes, passphrase: str) -> bytes:
        derived.append(params)
        return bytes(32)

    monkeypatch.setattr(early_key.keyslots, "passphrase_kek", wrong_key)
    other = early_key.EarlyKey(b"params of an older slot", PASSPHRASE)
    with vault.unlock(made_vault.folder, PASSPHRASE, early=other) as opened:
        assert opened.count() == 0
    assert derived == [b"params of an older slot"]  # derived, and not used
