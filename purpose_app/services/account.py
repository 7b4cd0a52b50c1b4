"""The journal's secrets from an open session: change the passphrase, make a new recovery key."""

from __future__ import annotations

from purpose_app.errors import InvalidInput
from purpose_app.services import vault
from purpose_app.services.session import Session

NEW_PASSPHRASES_DIFFER = "The two new passphrases did not match. Nothing was changed."


def change_passphrase(session: Session, current: str, new: str, confirm: str) -> None:
    """Set a new passphrase; the recovery key keeps working. Raises InvalidInput or WrongSecret."""
    if new != confirm:
        raise InvalidInput(NEW_PASSPHRASES_DIFFER)
    # An unlocked tab is not proof of who is typing: the current passphrase is asked for again.
    vault.unlock(session.folder, current, allow_synced=session.allow_synced).lock()
    session.require().change_passphrase(new, session.kdf_params)


def new_recovery_key(session: Session) -> str:
    """A fresh recovery key to show once; the old one stops working at once."""
    return session.require().regenerate_recovery_key()
