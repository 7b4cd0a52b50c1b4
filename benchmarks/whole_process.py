"""The same work done by both tools as whole processes: add one entry, full-text search, tag filter,
export to JSON. Each command is what a person would type, run without a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus import SEARCH_WORD, TAG, new_entry_text
from benchmarks.jrnl_env import JrnlEnv
from benchmarks.purpose_build import PASSPHRASE

OPERATIONS = ("add", "search", "tag", "export")
LABELS = {
    "add": "add one entry",
    "search": f'full-text search ("{SEARCH_WORD}")',
    "tag": f"tag filter (@{TAG}, 10 newest)",
    "export": "export to JSON",
}


@dataclass(frozen=True)
class Command:
    argv: list[str]
    env: dict[str, str]
    stdin: bytes = b""


def _purpose_exe() -> str:
    exe = Path(sys.executable).with_name("purpose")
    return str(exe) if exe.is_file() else "purpose"


def purpose_has_export() -> bool:
    try:
        import purpose_app.cli.interchange  # noqa: F401
    except ImportError:
        return False
    return True


def purpose_commands(vault: Path, scratch: Path, agent_runtime: Path | None = None) -> dict[str, Command]:
    """`purpose` at its defaults: the passphrase from PURPOSE_PASSPHRASE (its documented way for
    scripts), the vault from PURPOSE_VAULT. With `agent_runtime` (the socket folder of an agent that
    `unlock_agent` started): no passphrase at all, each command goes to the agent; without, each
    command unlocks by itself even if an agent runs."""
    env = {
        **os.environ,
        "PURPOSE_VAULT": str(vault),
        "PURPOSE_PASSPHRASE": PASSPHRASE,
        "PURPOSE_NO_AGENT": "1",
    }
    env.pop("PURPOSE_KDF_PROFILE", None)  # a vault opens at the cost it was made with anyway
    if agent_runtime is not None:
        env = _agent_env(env, agent_runtime)
    exe = _purpose_exe()
    entry = new_entry_text()
    add = [exe, "add", "--title", entry.title, "--body", entry.body, "--energy", str(entry.energy),
           "--shift", str(entry.shift)]  # fmt: skip
    for flag, values in (("--tag", entry.tags), ("--drain", entry.drains), ("--fuel", entry.fuels)):
        for value in values:
            add += [flag, value]
    if purpose_has_export():
        export = [exe, "export", "json", "--out", str(scratch / "purpose-export.json"), "--plaintext"]
    else:
        export = [exe, "list", "--json"]  # the documented JSON of every entry, before `export` existed
    return {
        "add": Command(add, env),
        "search": Command([exe, "search", SEARCH_WORD], env),
        "tag": Command([exe, "list", "--tag", TAG, "--limit", "10"], env),
        "export": Command(export, env),
    }


def _agent_env(env: dict[str, str], runtime: Path) -> dict[str, str]:
    env = {**env, "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("PURPOSE_PASSPHRASE", None)
    env.pop("PURPOSE_NO_AGENT", None)
    return env


def unlock_agent(vault: Path, runtime: Path) -> None:
    """`purpose unlock` for an hour (enough for every run at 50,000), its socket in `runtime`."""
    env = {
        **os.environ,
        "PURPOSE_VAULT": str(vault),
        "PURPOSE_PASSPHRASE": PASSPHRASE,
        "XDG_RUNTIME_DIR": str(runtime),
    }
    env.pop("PURPOSE_KDF_PROFILE", None)
    subprocess.run([_purpose_exe(), "unlock", "--for", "1h"], env=env, check=True, capture_output=True)  # noqa: S603


def lock_agent(vault: Path, runtime: Path) -> None:
    env = _agent_env({**os.environ, "PURPOSE_VAULT": str(vault)}, runtime)
    subprocess.run([_purpose_exe(), "lock"], env=env, check=False, capture_output=True)  # noqa: S603


def jrnl_commands(env: JrnlEnv, config: Path) -> dict[str, Command]:
    """jrnl at its defaults (the configuration jrnl writes, with encrypt: true); its password comes
    from the keyring, its documented non-interactive way."""
    base = [str(env.exe), "--config-file", str(config)]
    entry = new_entry_text()
    return {
        "add": Command([*base, entry.jrnl_text()], env.environ()),
        "search": Command([*base, "-contains", SEARCH_WORD], env.environ()),
        "tag": Command([*base, f"@{TAG}", "-n", "10"], env.environ()),
        "export": Command([*base, "--export", "json"], env.environ()),
    }
