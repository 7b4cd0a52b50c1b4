"""The one rule a new passphrase must meet before any key is derived from it."""

from __future__ import annotations

from purpose_app import messages
from purpose_app.errors import InvalidInput

MIN_PASSPHRASE_LENGTH = 8


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise InvalidInput(messages.PASSPHRASE_TOO_SHORT)
