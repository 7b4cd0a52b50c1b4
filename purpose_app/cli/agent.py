"""`purpose unlock`, `lock` and `status`: keep the vault open for a while in an agent, and end it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime

from purpose_app import messages
from purpose_app.cli.context import Context
from purpose_app.cli.registry import Commands
from purpose_app.errors import EnvironmentProblem, InvalidInput, PurposeError, UsageError
from purpose_app.services import agent_socket

DEFAULT_SECONDS = 10 * 60
MAX_SECONDS = 12 * 60 * 60
_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
NOT_HERE = (
    "Staying unlocked needs Unix sockets, which this system does not have. "
    "Each command asks for your passphrase instead."
)
AGENT_FAILED = "The unlock agent could not start. Each command will ask for your passphrase."
BAD_DURATION = "Say how long as minutes or hours, like 15m, 2h or 1h30m (at most 12h). Nothing was unlocked."


def parse_duration(text: str) -> int:
    """Seconds in "15m", "2h", "1h30m", "90s" or a bare number of minutes; at most 12 hours."""
    cleaned = text.strip().lower()
    if cleaned.isdigit():
        seconds = int(cleaned) * 60
    else:
        found = _DURATION.fullmatch(cleaned)
        if not cleaned or found is None:
            raise InvalidInput(BAD_DURATION)
        hours, minutes, secs = (int(part or 0) for part in found.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    if not 0 < seconds <= MAX_SECONDS:
        raise InvalidInput(BAD_DURATION)
    return seconds


def _clock_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).astimezone().strftime("%H:%M")


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="seconds")


def _unlocked(ctx: Context, until: float, first: str) -> int:
    ctx.emit(
        {"unlocked": True, "vault": str(ctx.folder), "until": _iso(until)},
        f"{first} until {_clock_time(until)}; each command you run keeps it open a while longer.\n"
        "`purpose lock` locks it now.",
    )
    return 0


def _unlock(ctx: Context) -> int:
    seconds = parse_duration(ctx.args.text("duration"))
    if not agent_socket.supported():
        raise UsageError(NOT_HERE)
    try:
        answer = agent_socket.ask(ctx.folder, {"op": "renew", "seconds": seconds})
        return _unlocked(ctx, float(str(answer["until"])), "Already unlocked; now")
    except (agent_socket.AgentUnavailable, KeyError, ValueError):
        pass
    from purpose_app.services import vault_folder

    vault_folder.require_vault(ctx.folder)  # before asking for a passphrase that cannot help
    if agent_socket.socket_path(ctx.folder, create=True) is None:
        raise EnvironmentProblem(NOT_HERE)
    report = _start_agent(ctx, ctx.secrets.passphrase(), seconds)
    if report.get("test_kdf"):
        ctx.warn(messages.TEST_KDF_WARNING)
    return _unlocked(ctx, float(str(report["until"])), "Unlocked")


def _start_agent(ctx: Context, passphrase: str, seconds: int) -> dict[str, object]:
    """Start the agent process and wait for its word: unlocked, or why not (its exit code)."""
    env = {k: v for k, v in os.environ.items() if not k.endswith(("PASSPHRASE", "RECOVERY_KEY"))}
    request = {"folder": str(ctx.folder), "passphrase": passphrase, "seconds": seconds}
    request["allow_synced"] = ctx.allow_synced
    process = subprocess.Popen(
        [sys.executable, "-m", "purpose_app.cli.agent_server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # not ended with this terminal's process group
        close_fds=True,
        cwd="/",
        env=env,
    )
    assert process.stdin is not None and process.stdout is not None
    with process.stdin:
        process.stdin.write(json.dumps(request).encode("utf-8"))
    with process.stdout:
        line = process.stdout.readline()
    try:
        report = json.loads(line.decode("utf-8"))
    except ValueError:
        report = None
    if not isinstance(report, dict):
        process.wait(timeout=10)
        raise EnvironmentProblem(
            "The unlock agent could not start. Each command will ask for your passphrase."
        )
    if not report.get("ok"):
        process.wait(timeout=10)
        failure = PurposeError(str(report.get("message", "")))
        code = report.get("code")
        failure.exit_code = code if isinstance(code, int) else 1
        raise failure
    return report


def _lock(ctx: Context) -> int:
    try:
        agent_socket.ask(ctx.folder, {"op": "lock"})
    except agent_socket.AgentUnavailable:
        ctx.emit({"locked": True, "was_unlocked": False}, "It was already locked.")
        return 0
    ctx.emit({"locked": True, "was_unlocked": True}, "Locked. The next command asks for your passphrase.")
    return 0


def _status(ctx: Context) -> int:
    try:
        answer = agent_socket.ask(ctx.folder, {"op": "status"})
        until = float(str(answer["until"]))
    except (agent_socket.AgentUnavailable, KeyError, ValueError):
        ctx.emit(
            {"unlocked": False, "vault": str(ctx.folder), "until": None},
            "Locked: each command asks for your passphrase. `purpose unlock` keeps it open for a while.",
        )
        return 0
    ctx.emit(
        {"unlocked": True, "vault": str(ctx.folder), "until": _iso(until)},
        f"Unlocked until {_clock_time(until)} (longer if you use it). `purpose lock` locks it now.",
    )
    return 0


def add_commands(commands: Commands) -> None:
    """Register unlock, lock and status."""
    unlock = commands.add("unlock", "keep the vault open for a while (default 10m, at most 12h)", _unlock)
    unlock.add_argument(
        "--for", dest="duration", metavar="TIME", default="10m",
        help="how long it stays open after the last command, e.g. 15m or 2h",
    )  # fmt: skip
    commands.add("lock", "lock the vault now (ends what `purpose unlock` kept open)", _lock)
    commands.add("status", "whether the vault is unlocked, and until when", _status)
