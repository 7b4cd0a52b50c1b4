"""The thin caller: hand a command to the vault's unlock agent, if one is running, and print its answer.

It does not build the parser: it finds the command and --vault in argv, sends argv as it is, and the
agent parses it with the same parser (usage errors and --help included) and runs the same handler. So a
command the agent runs starts without SQLAlchemy, cryptography or matplotlib, and with little else.
Anything odd (no agent, an unsafe folder, a command that must ask for a secret or at the terminal, a
vault that is not the agent's) returns None and the command runs here, unlocking by itself as before.
"""

from __future__ import annotations

import base64
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from purpose_app.services import agent_socket

if TYPE_CHECKING:
    import argparse

# These ask for another secret, create or replace keys, or manage the agent itself: never forwarded.
# (Someone who can use the agent must not be able to set a new passphrase or recovery key with it.)
SELF_UNLOCKING = frozenset(
    {"init", "passwd", "recover", "recovery-key", "app", "unlock", "lock", "status", "backup", "restore",
     "sync", "join"}
)  # fmt: skip
# The commands that read piped standard input; the client reads it only for these.
READS_STDIN = frozenset({"add", "edit", "why"})
# command -> the option that spares the question at the terminal (which the agent has not got).
ASKS_UNLESS = {"delete": "--yes", "checkin": "--burnout", "cbi": "--answers"}
# What the environment may change about a command's result.
ENV_NAMES = (
    "PURPOSE_VAULT", "PURPOSE_DEBUG", "PURPOSE_SUPPORT_FILE", "PURPOSE_LOCALE", "PURPOSE_KDF_PROFILE",
    "TZ",
)  # fmt: skip
NO_AGENT = "PURPOSE_NO_AGENT"  # set (to anything) to unlock by yourself even while an agent runs
OUTPUT_CLOSED = 141  # as cli/command.py: the reader of our output stopped early

LOST_AGENT = (
    "Lost touch with the unlock agent before it answered. Check with `purpose list` whether the "
    "change was saved, and run the command again if it was not."
)


class NotForTheAgent(Exception):
    """The agent declines the command (another vault, or one that must unlock by itself)."""


def _scan(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """The command and the --vault value, found as argparse finds them (the agent checks again)."""
    command: str | None = None
    vault: str | None = None
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--":
            break
        if token == "--vault" and index + 1 < len(argv):
            vault = argv[index + 1]
            index += 1
        elif token.startswith("--vault="):
            vault = token.partition("=")[2]
        elif command is None and not token.startswith("-"):
            command = token
        index += 1
    return command, vault


def _eligible(command: str | None, argv: Sequence[str]) -> bool:
    if command is None or command in SELF_UNLOCKING:
        return False
    spare = ASKS_UNLESS.get(command)
    return spare is None or any(token == spare or token.startswith(spare + "=") for token in argv)


def _vault_folder(option: str | None) -> Path:
    chosen = option or os.environ.get("PURPOSE_VAULT") or None
    if chosen:
        return Path(chosen).expanduser().absolute()  # as storage/location.py's resolve_vault_dir
    from purpose_app.services.location import resolve_vault_dir  # the platform's folder

    return resolve_vault_dir(None)


def check_for_agent(args: argparse.Namespace, folder: Path) -> None:
    """In the agent, after parsing: NotForTheAgent unless this command may run there, on this vault."""
    from purpose_app.services.location import resolve_vault_dir

    command = str(getattr(args, "command", "") or "")
    spare = ASKS_UNLESS.get(command, "").removeprefix("--")
    if command in SELF_UNLOCKING or (spare and not getattr(args, spare, None)):
        raise NotForTheAgent
    if resolve_vault_dir(getattr(args, "vault", None)).resolve() != folder.resolve():
        raise NotForTheAgent


def fast(argv: Sequence[str] | None, out: TextIO | None, err: TextIO | None) -> int | None:
    """Run `purpose ARGV` in this vault's agent and print its answer; None to run it here."""
    if os.environ.get(NO_AGENT) or not agent_socket.supported():
        return None
    args = list(sys.argv[1:] if argv is None else argv)
    command, vault = _scan(args)
    if not _eligible(command, args):
        return None
    try:
        conn = agent_socket.connect(_vault_folder(vault))
    except Exception:  # no agent, or a folder that the run here will explain better
        return None
    out = out or sys.stdout
    err = err or sys.stderr
    with conn:
        request, piped = _request(str(command), args)
        try:
            agent_socket.send_frame(conn, request)
            answer = agent_socket.receive_frame(conn)
        except (OSError, ValueError):
            return _print(out, err, "", LOST_AGENT + "\n", 1)
    if answer.get("local"):  # it ran nothing: another vault, or someone else changed this one
        if piped is not None:
            sys.stdin = io.TextIOWrapper(io.BytesIO(piped), encoding="utf-8")
        return None
    code = answer.get("code", 1)
    # The agent already escaped what it printed (the same handlers ran there).
    return _print(out, err, str(answer.get("out", "")), str(answer.get("err", "")), code)


def _request(command: str, argv: Sequence[str]) -> tuple[dict[str, object], bytes | None]:
    """The message for the agent, and what was read from a pipe (to put back if it cannot run it)."""
    stdin = sys.stdin
    try:
        tty = stdin is not None and stdin.isatty()
    except ValueError:  # a closed stdin
        tty = False
    piped = None
    if command in READS_STDIN and stdin is not None and not tty:
        piped = stdin.buffer.read()
    umask = os.umask(0o077)
    os.umask(umask)
    message: dict[str, object] = {
        "op": "run",
        "argv": list(argv),
        "stdin": base64.b64encode(piped or b"").decode("ascii"),
        "stdin_tty": tty,
        "cwd": os.getcwd(),
        "umask": umask,
        "env": {name: os.environ.get(name) for name in ENV_NAMES},
    }
    return message, piped


def _print(out: TextIO, err: TextIO, text: str, problems: str, code: object) -> int:
    try:
        if problems:
            err.write(problems)
        if text:
            out.write(text)
        out.flush()
    except BrokenPipeError:
        _quiet_exit(out)
        return OUTPUT_CLOSED
    return code if isinstance(code, int) else 1


def _quiet_exit(out: TextIO) -> None:
    """As cli/command.py does for a closed pipe: the real stdout points at devnull, so the flush at
    exit has nowhere to fail and prints no "Exception ignored" of its own."""
    if out is not sys.stdout:
        return  # a stream a caller gave us (tests): theirs to close
    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
