"""One browser tab's (or one phone app's) state: which vault, whether it is unlocked, idle time.

Flet serves many sessions from one process; everything that holds a key lives in a Session object
created per page, never in module globals, so unlocking one tab never unlocks another.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from purpose_app import messages
from purpose_app.crypto import kdf
from purpose_app.domain.json_value import JsonObject, JsonValue
from purpose_app.errors import InvalidInput, PurposeError, WrongSecret
from purpose_app.services import agent_socket, early_key, vault
from purpose_app.services.passphrase_strength import passphrase_strength as passphrase_strength
from purpose_app.services.unlock_throttle import PROCESS_THROTTLE, UnlockThrottle
from purpose_app.storage.vault_file import vault_exists

DEFAULT_AUTOLOCK_MINUTES = 5
SETTINGS = "ui-settings"  # vault document: {"autolock_minutes", "theme", "text_scale"}


class Session:
    def __init__(
        self,
        folder: Path,
        *,
        kdf_params: kdf.KdfParams | None = None,
        allow_synced: bool = False,
        clock: Callable[[], float] = time.monotonic,
        throttle: UnlockThrottle = PROCESS_THROTTLE,
    ) -> None:
        self.folder = folder
        # Shared by every session of the process: another tab must not mean another set of guesses.
        self.throttle = throttle
        self.kdf_params = kdf_params or kdf.profile_from_env()
        self.allow_synced = allow_synced
        self.clock = clock
        self.vault: vault.Vault | None = None
        self.last_activity = clock()
        self.on_lock: list[Callable[[], None]] = []  # screens clear themselves

    # -- state

    @property
    def exists(self) -> bool:
        return vault_exists(self.folder)

    @property
    def unlocked(self) -> bool:
        return self.vault is not None and not self.vault.locked

    def require(self) -> vault.Vault:
        if self.vault is None or self.vault.locked:
            raise PurposeError("The journal is locked. Unlock it to go on.")
        return self.vault

    def touch(self) -> None:
        self.last_activity = self.clock()

    def settings(self) -> JsonObject:
        defaults: JsonObject = {
            "autolock_minutes": DEFAULT_AUTOLOCK_MINUTES,
            "theme": "system",
            "text_scale": 1.0,
        }
        if not self.unlocked:
            return defaults
        return {**defaults, **self._saved()}

    def _saved(self) -> JsonObject:
        found = self.require().document(SETTINGS, "ui", {})
        return found if isinstance(found, dict) else {}

    def save_setting(self, name: str, value: JsonValue) -> None:
        current = self._saved()
        current[name] = value
        self.require().put_document(SETTINGS, "ui", current)

    def idle_expired(self) -> bool:
        minutes = self.settings()["autolock_minutes"]
        assert isinstance(minutes, int | float)
        return self.unlocked and minutes > 0 and self.clock() - self.last_activity >= minutes * 60

    # -- create, unlock, lock

    def create(self, passphrase: str, confirm: str) -> str:
        """Make the vault; returns the recovery key to show once. Raises InvalidInput with a calm message."""
        if passphrase != confirm:
            raise InvalidInput(messages.PASSPHRASES_DIFFER)
        opened, recovery_key = vault.create(
            self.folder, passphrase, self.kdf_params, allow_synced=self.allow_synced
        )
        self.vault = opened
        self.touch()
        return recovery_key

    def unlock(self, passphrase: str) -> None:
        """Raises WrongSecret, or TooManyTries (before any key is derived) after repeated wrong tries."""
        if not passphrase:
            raise WrongSecret("Type your passphrase to unlock.")
        with self.throttle.attempt(self.folder):
            # Argon2id (in C, without Python's lock) runs while the file is opened and checked.
            early = early_key.start(self.folder, passphrase)
            try:
                self.vault = vault.unlock(
                    self.folder, passphrase, allow_synced=self.allow_synced, early=early
                )
            except WrongSecret:
                raise WrongSecret(messages.WRONG_PASSPHRASE_APP) from None  # the app's words, not the CLI's
        self.touch()

    def recover(self, recovery_key: str, new_passphrase: str, confirm: str) -> None:
        """Open with the recovery key and set a new passphrase in one step."""
        if new_passphrase != confirm:
            raise InvalidInput(messages.PASSPHRASES_DIFFER)
        vault.check_new_passphrase(new_passphrase)
        with self.throttle.attempt(self.folder):  # recovery keys and passphrases share one count
            opened = vault.unlock_with_recovery(self.folder, recovery_key, allow_synced=self.allow_synced)
        try:
            opened.change_passphrase(new_passphrase, self.kdf_params)
        except BaseException:
            opened.lock()
            raise
        self.vault = opened
        self.touch()

    def lock(self) -> None:
        """Drop the keys; every screen clears what it showed."""
        for listener in list(self.on_lock):
            listener()
        if self.vault is not None:
            self.vault.lock()
            # The app's lock locks the command line's unlock agent of the same vault too.
            agent_socket.notify_lock(self.folder)
        self.vault = None
