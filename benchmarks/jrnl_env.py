"""jrnl from PyPI in a throw-away virtual environment under the benchmark cache, and encrypted jrnl
journals holding the same entries as the Purpose vaults.

jrnl takes an encrypted journal's password from the system keyring, or asks in the terminal. The
non-interactive way it documents is the keyring: here keyring's own PYTHON_KEYRING_BACKEND selects
keyrings.alt's file backend, kept inside the cache (XDG_DATA_HOME), so nothing touches the
developer's real keyring or jrnl configuration.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus import GenEntry

JRNL_VERSION = "4.6"
PACKAGES = (f"jrnl=={JRNL_VERSION}", "keyrings.alt==5.0.2")
PASSWORD = "correct horse battery staple"
# jrnl's default time format ("%F %r") cannot be read back by strptime, so jrnl parses every entry's
# date with dateutil: about 3x slower to open a journal. The benchmark gives jrnl a format strptime
# reads (its numbers are then its best, not its default's), a conservative choice for Purpose's goals.
TIMEFORMAT = "%Y-%m-%d %H:%M"
HELPER = Path(__file__).with_name("jrnl_helper.py")


class JrnlUnavailable(RuntimeError):
    """The throw-away environment could not be made (offline, no pip): the jrnl side is skipped."""


@dataclass(frozen=True)
class JrnlEnv:
    root: Path  # the venv

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def exe(self) -> Path:
        return self.root / "bin" / "jrnl"

    def environ(self) -> dict[str, str]:
        home = self.root.parent / "jrnl-home"
        return {
            **os.environ,
            "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "JRNL_BENCH_PASSWORD": PASSWORD,
            "JRNL_BENCH_TIMEFORMAT": TIMEFORMAT,
            "VISUAL": "",
            "EDITOR": "",
        }


def ensure(cache: Path) -> JrnlEnv:
    """The jrnl environment in cache/jrnl-venv, made on first use (about 15 s with PyPI)."""
    env = JrnlEnv(cache / "jrnl-venv")
    stamp = env.root / ".bench-ready"
    if stamp.is_file() and stamp.read_text() == " ".join(PACKAGES) and env.exe.is_file():
        return env
    shutil.rmtree(env.root, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", "--without-pip", str(env.root)],
        [sys.executable, "-m", "pip", "--python", str(env.python), "install", "--quiet",
         "--disable-pip-version-check", *PACKAGES],
    ]  # fmt: skip
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
        if done.returncode != 0:
            shutil.rmtree(env.root, ignore_errors=True)
            lines = [ln for ln in done.stderr.splitlines() if "is ignored" not in ln]
            raise JrnlUnavailable(
                f"could not install {' '.join(PACKAGES)} into {env.root}: " + " ".join(lines[-3:])[:400]
            )
    stamp.write_text(" ".join(PACKAGES))
    return env


def plaintext(entries: Iterable[GenEntry]) -> str:
    """jrnl's text format with the benchmark's time format, oldest first."""
    return "\n".join(f"[{e.created.strftime(TIMEFORMAT)}] {e.jrnl_text()}\n" for e in entries)


def build_journal(env: JrnlEnv, folder: Path, entries: Iterable[GenEntry]) -> Path:
    """An encrypted jrnl journal of these entries in folder; returns its config file."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "plain.txt"
    source.write_text(plaintext(entries), encoding="utf-8")
    config = folder / "jrnl.yaml"
    journal = folder / "journal.txt"
    try:
        done = subprocess.run(  # noqa: S603
            [str(env.python), str(HELPER), "build", str(config), str(journal), str(source)],
            capture_output=True, text=True, env=env.environ(), timeout=1800, check=False,
        )  # fmt: skip
    finally:
        source.unlink()  # the plaintext exists only while jrnl encrypts it
    if done.returncode != 0:
        raise RuntimeError(f"building the jrnl journal failed: {done.stderr[-800:]}")
    if not journal.read_bytes().startswith(b"JRNL"):
        raise RuntimeError("the jrnl journal is not in jrnl's encrypted format")
    return config
