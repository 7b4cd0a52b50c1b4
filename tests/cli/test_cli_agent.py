"""`purpose unlock`, `lock` and `status`: the unlock agent as a real process, its client and its limits."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from conftest import AGENT_MODE, PASSPHRASE, MadeVault

from purpose_app.cli import agent, agent_server
from purpose_app.cli.agent import BAD_DURATION, NOT_HERE, parse_duration
from purpose_app.domain.entry import EntryChanges
from purpose_app.services import agent_socket
from purpose_app.services.session import Session

Run = Callable[..., "Result"]


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A socket folder of this test's own (short: a socket's name has a length limit)."""
    folder = Path(tempfile.mkdtemp(prefix="pa-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def purpose(purpose_exe, made_vault: MadeVault, runtime: Path) -> Iterator[Run]:
    """The real `purpose` in a child process on made_vault; whatever agent it started is locked after."""

    def run(*args: str, passphrase: str | None = PASSPHRASE, stdin: bytes = b"") -> Result:
        env = {"PURPOSE_VAULT": str(made_vault.folder), "XDG_RUNTIME_DIR": str(runtime)}
        if passphrase is not None:
            env["PURPOSE_PASSPHRASE"] = passphrase
        base = {k: v for k, v in os.environ.items() if k != "PURPOSE_PASSPHRASE"}
        os.environ.clear()
        os.environ.update(base)  # the child inherits no passphrase but the one given here
        done = purpose_exe(*args, env=env, stdin=stdin)
        return Result(done.returncode, done.stdout.decode(), done.stderr.decode())

    yield run
    agent_socket.notify_lock(made_vault.folder)


def test_unlock_then_commands_need_no_passphrase_and_print_the_same(purpose, made_vault):
    """Unlocked, `add` and `list --json` need no passphrase and print what they print unlocked alone."""
    first = purpose("add", "--title", "night shift", "--tag", "work", stdin=b"long night")
    assert first.code == 0, first.err
    alone = purpose("list", "--json")
    unlocked = purpose("unlock", "--for", "5m")
    assert unlocked.code == 0 and "Unlocked until" in unlocked.out, unlocked.err
    via_agent = purpose("list", "--json", passphrase=None)
    assert via_agent.code == 0, via_agent.err
    assert via_agent.out == alone.out and json.loads(via_agent.out)[0]["title"] == "night shift"
    added = purpose("add", "--title", "second", passphrase=None, stdin=b"piped body")
    assert added.code == 0, added.err
    shown = purpose("show", added.out.strip(), "--json", passphrase=None)
    assert json.loads(shown.out)["body"] == "piped body"
    missing = purpose("show", "ffffffff", passphrase=None)
    assert missing.code == purpose("show", "ffffffff").code == 5


def test_status_and_lock(purpose, made_vault, runtime):
    """status says locked, then unlocked with a time, lock ends it, and commands ask again."""
    assert json.loads(purpose("status", "--json").out)["unlocked"] is False
    assert purpose("unlock", "--for", "1h").code == 0
    status = json.loads(purpose("status", "--json").out)
    assert status["unlocked"] is True and status["vault"] == str(made_vault.folder)
    ahead = datetime.fromisoformat(status["until"]).timestamp() - time.time()
    assert 3500 < ahead <= 3601
    assert purpose("status").out.startswith("Unlocked until")
    locked = purpose("lock", "--json")
    assert json.loads(locked.out) == {"locked": True, "was_unlocked": True}
    assert json.loads(purpose("status", "--json").out)["unlocked"] is False
    asked = purpose("list", passphrase=None)
    assert asked.code == 2 and "PURPOSE_PASSPHRASE" in asked.err
    assert json.loads(purpose("lock", "--json").out)["was_unlocked"] is False
    assert list((runtime / "purpose").iterdir()) == []  # the socket is gone


def test_the_socket_folder_is_private(purpose, runtime):
    """The socket lives in a 0700 folder of ours and is itself 0600."""
    assert purpose("unlock").code == 0
    folder = runtime / "purpose"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (sock,) = folder.iterdir()
    assert stat.S_ISSOCK(sock.stat().st_mode) and stat.S_IMODE(sock.stat().st_mode) == 0o600


def test_a_wrong_passphrase_starts_no_agent(purpose, runtime):
    """unlock with a wrong passphrase: exit 3, says so, and nothing is left listening."""
    result = purpose("unlock", passphrase="not the passphrase")
    assert result.code == 3 and "passphrase" in result.err.lower()
    assert json.loads(purpose("status", "--json").out)["unlocked"] is False
    assert list((runtime / "purpose").iterdir()) == []


@pytest.mark.parametrize("given", ["13h", "0m", "soon", "5x", "721m"])
def test_a_bad_duration_is_refused(purpose, given):
    """--for outside 1 second to 12 hours, or not a time: exit 5 with how to say it; nothing unlocked."""
    result = purpose("unlock", "--for", given)
    assert result.code == 5 and BAD_DURATION in result.err
    assert json.loads(purpose("status", "--json").out)["unlocked"] is False


def test_durations():
    """Minutes by default, h/m/s units, and 12 hours at most."""
    assert parse_duration("15m") == 900
    assert parse_duration("15") == 900
    assert parse_duration("1h30m") == 5400
    assert parse_duration("12h") == agent.MAX_SECONDS


def test_the_agent_ends_when_the_time_is_up(purpose, runtime):
    """Unused for its time, the agent locks and goes; the next command asks for the passphrase."""
    assert purpose("unlock", "--for", "1s").code == 0
    time.sleep(2.5)
    assert json.loads(purpose("status", "--json").out)["unlocked"] is False
    assert purpose("list", passphrase=None).code == 2
    assert list((runtime / "purpose").iterdir()) == []


def test_unlocking_again_renews(purpose):
    """A second unlock needs no passphrase and moves the time."""
    assert purpose("unlock", "--for", "1m").code == 0
    again = purpose("unlock", "--for", "2h", passphrase=None)
    assert again.code == 0 and again.out.startswith("Already unlocked"), again.err


def test_commands_that_ask_for_secrets_do_not_use_the_agent(purpose):
    """passwd and recovery-key unlock by themselves: no passphrase, no change, even while unlocked."""
    assert purpose("unlock").code == 0
    for command in (("passwd",), ("recovery-key", "--regenerate")):
        result = purpose(*command, passphrase=None)
        assert result.code == 2 and "PURPOSE_PASSPHRASE" in result.err


def test_the_client_imports_no_heavy_library(purpose, purpose_exe, made_vault, runtime):
    """A command the agent runs starts without SQLAlchemy, cryptography, argon2 or matplotlib."""
    assert purpose("unlock").code == 0
    code = (
        "import sys; from purpose_app.cli import main; code = main(['list', '--json']); "
        "heavy = {m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'cryptography', 'argon2', "
        "'matplotlib'}; print(sorted(heavy), code, file=sys.stderr)"
    )
    import subprocess
    import sys

    env = {**os.environ, "PURPOSE_VAULT": str(made_vault.folder), "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("PURPOSE_PASSPHRASE", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=False)
    assert done.stderr.decode().strip().endswith("[] 0"), done.stderr


def test_another_user_gets_no_answer(made_vault, runtime, monkeypatch):
    """A caller whose uid is not ours: the agent closes without reading or running anything."""
    held = made_vault.open()
    served = agent_server.start(held, 60)
    ours, theirs = socket.socketpair(socket.AF_UNIX)
    monkeypatch.setattr(agent_socket, "peer_uid", lambda _conn: os.getuid() + 1)
    agent_socket.send_frame(theirs, {"op": "lock"})
    with ours:
        served._answer(ours)
    with theirs:
        try:
            reply = theirs.recv(1)
        except ConnectionResetError:  # closed with their request unread
            reply = b""
    assert reply == b""  # no answer at all
    assert not served._stopping  # and not locked by them
    served.close()
    assert held.locked


def test_the_apps_lock_ends_the_agent(made_vault, runtime):
    """Locking the vault in the app (a Session) locks the command line's agent of the same folder."""
    thread = agent_server.serve_in_thread(made_vault.open(), 60)
    assert agent_socket.ask(made_vault.folder, {"op": "status"})["until"]
    app = Session(made_vault.folder)
    app.unlock(PASSPHRASE)
    app.lock()
    thread.join(timeout=10)
    assert not thread.is_alive()
    with pytest.raises(agent_socket.AgentUnavailable):
        agent_socket.ask(made_vault.folder, {"op": "status"})


def test_a_change_elsewhere_ends_the_agent_and_the_command_unlocks_itself(purpose, made_vault):
    """Someone else wrote to the vault: the agent goes, and the command unlocks by itself (and works)."""
    held = made_vault.open()
    thread = agent_server.serve_in_thread(held, 60)
    with made_vault.open() as app:
        app.add(EntryChanges(title="written in the app", body="x"))
    result = purpose("add", "--title", "then on the command line", stdin=b"text")
    assert result.code == 0, result.err
    thread.join(timeout=10)
    assert not thread.is_alive()
    titles = {e["title"] for e in json.loads(purpose("list", "--json").out)}
    assert titles == {"written in the app", "then on the command line"}
    held.lock()


def test_the_agent_keeps_what_it_decrypted_between_commands(purpose, made_vault):
    """Commands in a row, a save among them: the agent never re-reads the journal (at 50,000 entries a
    re-read is 0.4 s per command), yet after each command the vault file alone holds every entry."""
    held = made_vault.open()
    reloads: list[int] = []
    original = held._reload

    def counted() -> None:
        reloads.append(1)
        original()

    held._reload = counted  # type: ignore[method-assign]
    thread = agent_server.serve_in_thread(held, 60)
    assert purpose("add", "--title", "first", stdin=b"text", passphrase=None).code == 0
    for _ in range(3):
        assert purpose("search", "first", passphrase=None).out.count("first") == 1
    assert purpose("list", "--json", passphrase=None).code == 0
    assert reloads == []
    assert (made_vault.folder / "purpose.db-wal").stat().st_size == 0  # folded into the file
    assert thread.is_alive()
    assert purpose("lock").code == 0
    thread.join(timeout=10)


def test_without_unix_sockets_unlock_explains(run_cli, made_vault, monkeypatch):
    """No Unix sockets: unlock says each command asks instead (exit 2), and list still works."""
    monkeypatch.setattr(agent_socket, "supported", lambda: False)
    result = run_cli("unlock")
    assert result.code == 2 and NOT_HERE in result.err
    assert run_cli("list").code == 0


@pytest.mark.skipif(not AGENT_MODE, reason="only in the suite's agent mode (PURPOSE_TEST_AGENT=1)")
def test_agent_mode_sends_the_suites_commands_to_an_agent(run_cli, cli_vault, monkeypatch):
    """PURPOSE_TEST_AGENT=1 really runs the CLI tests' commands in an agent, not by themselves."""
    calls: list[object] = []
    original = agent_server.Agent._run

    def counted(self: agent_server.Agent, message: dict[str, object]) -> dict[str, object]:
        calls.append(message["argv"])
        return original(self, message)

    monkeypatch.setattr(agent_server.Agent, "_run", counted)
    assert run_cli("list", "--json").code == 0
    assert calls == [["list", "--json"]]


def test_a_command_for_another_vault_runs_by_itself(purpose, tmp_path):
    """An abbreviated --vault the client cannot see: the agent declines, and the command runs here."""
    assert purpose("unlock").code == 0
    result = purpose("--vau", str(tmp_path / "elsewhere"), "list", passphrase=None)
    assert result.code == 6 and "There is no Purpose vault" in result.err
