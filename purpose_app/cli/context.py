"""What every command handler is given: typed arguments, output, secrets and the way to unlock."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from purpose_app import messages
from purpose_app.domain.text_safety import UNSAFE_IN_PROSE, for_terminal
from purpose_app.errors import InvalidInput, UsageError
from purpose_app.services.location import resolve_vault_dir

if TYPE_CHECKING:
    from purpose_app.services.key_cost import KeyCost
    from purpose_app.services.vault import Vault


class OutputClosed(Exception):
    """Whoever read our output stopped reading (`purpose list | head -1`): not an error, just the end."""


def as_json(data: object) -> str:
    """`data` as indented JSON whose text a terminal can show but never obey.

    json.dumps escapes only U+0000-001F; DEL, the C1 controls, direction overrides and lone
    surrogates would pass through raw. Those can only stand inside JSON strings, where \\uXXXX means the
    same character, so any JSON reader gets the same values back. Accents and emoji stay readable.
    """
    dumped = json.dumps(data, ensure_ascii=False, indent=2)
    return UNSAFE_IN_PROSE.sub(lambda found: f"\\u{ord(found.group()):04x}", dumped)


def interactive() -> bool:
    """True when a person can be asked at a terminal (stdin may be None under some launchers)."""
    return sys.stdin is not None and sys.stdin.isatty()


class Arguments:
    """Typed reads of the parsed command line: argparse only knows its values at run time."""

    def __init__(self, namespace: argparse.Namespace) -> None:
        self._namespace = namespace

    def _get(self, name: str) -> object:
        value: object = getattr(self._namespace, name, None)
        return value

    def text(self, name: str) -> str:
        """A value the parser guarantees (a positional or a required option)."""
        value = self._get(name)
        if not isinstance(value, str):
            raise TypeError(f"argument {name} is not text")
        return value

    def optional(self, name: str) -> str | None:
        value = self._get(name)
        if value is not None and not isinstance(value, str):
            raise TypeError(f"argument {name} is not text")
        return value

    def texts(self, name: str) -> list[str] | None:
        """A repeatable or nargs option: None when not given."""
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise TypeError(f"argument {name} is not a list of text")
        return [str(item) for item in value]

    def flag(self, name: str) -> bool:
        return bool(self._get(name))

    def integer(self, name: str) -> int | None:
        value = self._get(name)
        if value is not None and not isinstance(value, int):
            raise TypeError(f"argument {name} is not a whole number")
        return value

    def real(self, name: str) -> float:
        value = self._get(name)
        if not isinstance(value, int | float):
            raise TypeError(f"argument {name} is not a number")
        return float(value)


class Secrets:
    """Passphrases and keys: from an environment variable (scripts) or asked at the terminal."""

    def ask(self, env: str, prompt: str, *, confirm: bool = False) -> str:
        value = os.environ.get(env)
        if value is not None:
            return value
        if not interactive():
            raise UsageError(f"No terminal to ask in: set {env} for scripts.")
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Type it again: ") != first:
            raise InvalidInput(messages.PASSPHRASES_DIFFER)
        return first

    def passphrase(self) -> str:
        return self.ask("PURPOSE_PASSPHRASE", "Passphrase: ")

    def new_passphrase(self, prompt: str = "New passphrase: ") -> str:
        return self.ask("PURPOSE_NEW_PASSPHRASE", prompt, confirm=True)


class Context:
    """One run of one command: its arguments, where it writes, and the vault it may unlock."""

    def __init__(
        self,
        namespace: argparse.Namespace,
        out: TextIO,
        err: TextIO,
        secrets: Secrets | None = None,
        *,
        held: Vault | None = None,
    ) -> None:
        self.args = Arguments(namespace)
        self.out = out
        self.err = err
        self.secrets = secrets or Secrets()
        # The vault an unlock agent keeps open (cli/agent_server.py): used, never locked, by unlock().
        self._held = held
        self.folder = held.folder if held is not None else resolve_vault_dir(self.args.optional("vault"))
        self.allow_synced = self.args.flag("allow_synced_folder")
        self.as_json = self.args.flag("json")

    def emit(self, data: object, human: str) -> None:
        """The result: `data` as JSON with --json, else the sentence for a person (if any).

        Either way no control or direction character from an entry, a pack or a file reaches the
        terminal raw: it is shown escaped (text_safety.for_terminal)."""
        if self.as_json:
            self._write(self.out, as_json(data) + "\n")
        elif human:
            self._write(self.out, for_terminal(human if human.endswith("\n") else human + "\n"))

    def warn(self, text: str, *, flush: bool = False) -> None:
        """A line on stderr: warnings, progress and what was left out, never journal text."""
        self._write(self.err, for_terminal(text) + "\n", flush=flush)

    @staticmethod
    def _write(stream: TextIO, text: str, *, flush: bool = False) -> None:
        try:
            stream.write(text)
            if flush:
                stream.flush()
        except BrokenPipeError:
            raise OutputClosed from None

    def key_cost(self) -> KeyCost:
        """The KDF profile for new key slots; a bad PURPOSE_KDF_PROFILE is a usage error."""
        from purpose_app.services import key_cost

        try:
            return key_cost.from_env()
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    def open_vault(self) -> tuple[Vault, str]:
        """The unlocked vault and the passphrase that opened it; the caller locks it.

        No unlock throttle here (services/unlock_throttle.py): each command is a process of its own that
        makes one try, slowed by Argon2id. A long-lived process that unlocks for others needs one."""
        from purpose_app.services import early_key, vault_folder

        vault_folder.require_vault(self.folder)  # before asking for a passphrase that cannot help
        passphrase = self.secrets.passphrase()
        early = early_key.start(self.folder, passphrase)  # Argon2id runs while SQLAlchemy loads
        from purpose_app.services import vault

        opened = vault.unlock(self.folder, passphrase, allow_synced=self.allow_synced, early=early)
        if opened.uses_test_kdf:
            self.warn(messages.TEST_KDF_WARNING)
        return opened, passphrase

    @contextmanager
    def unlock(self) -> Iterator[Vault]:
        """The unlocked vault for the length of the block; locked after, whatever happens.

        Under an unlock agent: the vault it holds, left open for the next command."""
        if self._held is not None:
            if self._held.uses_test_kdf:
                self.warn(messages.TEST_KDF_WARNING)  # as a command that unlocks by itself says
            yield self._held
            return
        opened, _passphrase = self.open_vault()
        with opened:
            yield opened


Handler = Callable[[Context], int]
VaultHandler = Callable[[Context, "Vault"], int]


def in_vault(handler: VaultHandler) -> Handler:
    """A handler that runs with the vault unlocked, and locked after, whatever happens."""

    def run(ctx: Context) -> int:
        with ctx.unlock() as opened:
            return handler(ctx, opened)

    return run
