"""Every error Purpose reports to a person, with the exit code the command line uses for it.

    PurposeError
    ├── UsageError (2)                 the command was called the wrong way
    ├── WrongSecret (3)                a passphrase or recovery key did not unlock the vault
    ├── VaultDamaged (4)               stored data failed authentication or the database is corrupt
    ├── InvalidInput (5)               a value out of range, unreadable text, an unknown entry
    ├── VaultUnavailable (6)           missing, made by a newer version, in a synced or read-only folder
    └── EnvironmentProblem (7)         this machine cannot do it now: the app's port is in use

Messages are written for a tired person: what happened, then what to do. They never contain the text
of an entry.
"""

from __future__ import annotations


class PurposeError(Exception):
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(PurposeError):
    exit_code = 2


class WrongSecret(PurposeError):
    exit_code = 3


class VaultDamaged(PurposeError):
    exit_code = 4


class InvalidInput(PurposeError):
    exit_code = 5


class EntryNotFound(InvalidInput):
    pass


class VaultUnavailable(PurposeError):
    exit_code = 6


class EnvironmentProblem(PurposeError):
    exit_code = 7


class VaultLocked(PurposeError):
    """A programming error surfaced politely: something used the vault after it was locked."""

    exit_code = 1
