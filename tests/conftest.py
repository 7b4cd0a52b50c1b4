"""Shared factories: temporary vaults with real crypto and the cheap KDF profile, and CLI runners."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from purpose_app import cli
from purpose_app.crypto import kdf
from purpose_app.errors import PurposeError
from purpose_app.services import vault
from purpose_app.services.session import Session

PASSPHRASE = "correct horse battery"
NEW_PASSPHRASE = "staple of the night shift"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test ever sees the developer's real vault or secrets from the shell."""
    for name in (
        "PURPOSE_VAULT", "PURPOSE_PASSPHRASE", "PURPOSE_NEW_PASSPHRASE", "PURPOSE_RECOVERY_KEY",
        "PURPOSE_BACKUP_PASSPHRASE",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PURPOSE_KDF_PROFILE", "test")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    from purpose_app.services.unlock_throttle import PROCESS_THROTTLE

    PROCESS_THROTTLE.reset()  # wrong tries in one test never slow another's unlocks


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@dataclass
class MadeVault:
    folder: Path
    recovery_key: str

    @property
    def db(self) -> Path:
        return self.folder / "purpose.db"

    def open(self, passphrase: str = PASSPHRASE) -> vault.Vault:
        return vault.unlock(self.folder, passphrase)


@pytest.fixture
def made_vault(vault_dir: Path) -> MadeVault:
    """A fresh, locked vault with the test KDF profile."""
    opened, recovery_key = vault.create(vault_dir, PASSPHRASE, kdf.TEST)
    opened.lock()
    return MadeVault(vault_dir, recovery_key)


@pytest.fixture
def unlocked(made_vault: MadeVault) -> Iterator[vault.Vault]:
    opened = made_vault.open()
    yield opened
    opened.lock()


@pytest.fixture
def session(made_vault: MadeVault) -> Iterator[Session]:
    """An app session (one browser tab) with its vault unlocked; locked again afterwards."""
    opened = Session(made_vault.folder)
    opened.unlock(PASSPHRASE)
    yield opened
    opened.lock()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


class _Stdin(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


AGENT_MODE = bool(os.environ.get("PURPOSE_TEST_AGENT"))


@pytest.fixture
def test_agent(monkeypatch: pytest.MonkeyPatch, vault_dir: Path) -> Iterator[Callable[[], None]]:
    """PURPOSE_TEST_AGENT=1: an unlock agent (in a thread here) serves vault_dir once it exists.

    The returned function starts one if none runs; in the usual mode it does nothing. A socket folder
    of the test's own, short enough for a socket's name."""
    if not AGENT_MODE:
        yield lambda: None
        return
    from purpose_app.cli import agent_server
    from purpose_app.services import agent_socket

    runtime = tempfile.mkdtemp(prefix="pa-")
    monkeypatch.setenv("XDG_RUNTIME_DIR", runtime)
    threads: list[threading.Thread] = []
    held: list[vault.Vault] = []

    def ensure() -> None:
        if (vault_dir / "purpose.db").exists() and not any(thread.is_alive() for thread in threads):
            try:
                opened = vault.unlock(vault_dir, PASSPHRASE)
            except PurposeError:
                return  # not a vault, or not this passphrase: the command shows what happens then
            held.append(opened)
            with contextlib.suppress(PurposeError):  # no socket folder here: commands unlock alone
                threads.append(agent_server.serve_in_thread(opened, 600))

    yield ensure
    agent_socket.notify_lock(vault_dir)
    for thread in threads:
        thread.join(timeout=10)
    for opened in held:
        opened.lock()  # an agent that left its vault alone (changed elsewhere) locks it here
    shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture
def run_cli(
    monkeypatch: pytest.MonkeyPatch, vault_dir: Path, test_agent: Callable[[], None]
) -> Callable[..., CliResult]:
    """Run `purpose ARGS` in-process against vault_dir with PURPOSE_PASSPHRASE set.

    stdin: bytes or str piped to the command (default: empty, not a terminal). With
    PURPOSE_TEST_AGENT=1 the command goes through an unlock agent, unless the test sets its own
    PURPOSE_PASSPHRASE (a wrong or missing passphrase is about unlocking by yourself)."""

    def run(*args: str, stdin: bytes | str = b"", env: dict[str, str | None] | None = None) -> CliResult:
        merged: dict[str, str | None] = {"PURPOSE_PASSPHRASE": PASSPHRASE, "PURPOSE_VAULT": str(vault_dir)}
        if env and "PURPOSE_PASSPHRASE" in env:
            merged["PURPOSE_NO_AGENT"] = "1"
        else:
            test_agent()
        merged.update(env or {})
        with monkeypatch.context() as patch:
            for key, value in merged.items():
                if value is None:
                    patch.delenv(key, raising=False)
                else:
                    patch.setenv(key, value)
            raw = stdin.encode() if isinstance(stdin, str) else stdin
            patch.setattr(sys, "stdin", _Stdin(io.BytesIO(raw), encoding="utf-8"))
            out, err = io.StringIO(), io.StringIO()
            try:
                code = cli.main(list(args), out=out, err=err)
            except SystemExit as exc:  # argparse usage errors
                code = int(exc.code or 0)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def purpose_exe() -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """Run the real `python -m purpose_app` in a child process (for crash and end-to-end tests)."""

    def run(
        *args: str, env: dict[str, str] | None = None, stdin: bytes = b"", timeout: float = 60
    ) -> subprocess.CompletedProcess[bytes]:
        full_env = {**os.environ, "PURPOSE_KDF_PROFILE": "test", **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "purpose_app", *args],
            input=stdin,
            capture_output=True,
            env=full_env,
            timeout=timeout,
            check=False,
        )

    return run
