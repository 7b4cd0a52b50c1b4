"""The unlock agent: one process per vault folder per user that keeps the vault open for a while.

Started by `purpose unlock` (`python -m purpose_app.cli.agent_server`, the passphrase on a pipe, never
in argv or on disk). It answers only on a Unix socket in a 0700 folder and only to callers with our uid,
runs each command with the same handler a command that unlocks by itself runs, and locks the vault and
ends when nobody has used it for the chosen time, on `purpose lock`, when the app locks the same vault,
or on SIGTERM. It writes nothing: no log, no core dump, its own output goes to /dev/null.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import json
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from purpose_app.errors import EnvironmentProblem, PurposeError
from purpose_app.services import agent_socket
from purpose_app.services.agent_vault import VaultWatch

if TYPE_CHECKING:
    from purpose_app.services.vault import Vault

_READ_TIMEOUT = 30.0  # a caller that connects and says nothing must not hold the agent
UNEXPECTED = (
    "Something unexpected went wrong ({name}). Your saved entries are safe. "
    "Run again with PURPOSE_DEBUG=1 to see details for a bug report.\n"
)


class _Stdin(io.TextIOWrapper):
    """What the caller piped in, with the caller's answer to "is this a terminal?"."""

    def __init__(self, data: bytes, tty: bool) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


class Agent:
    """Serves one vault on one listening socket until idle for `idle_seconds` or told to lock."""

    def __init__(
        self,
        held: Vault,
        listener: socket.socket,
        path: Path,
        idle_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.vault = held
        self._listener = listener
        self._path = path
        self._inode = path.stat().st_ino
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._deadline = clock() + idle_seconds
        self._stopping = False
        self.abandoned = False  # someone else changed the vault: end without writing a byte to it
        self._watch = VaultWatch(held.folder)

    def until(self) -> float:
        """When (wall clock, seconds since the epoch) the agent locks unless used again."""
        return time.time() + max(0.0, self._deadline - self._clock())

    def serve(self) -> None:
        """Answer callers until the idle time runs out or someone locks; then drop everything."""
        try:
            while not self._stopping and not self.vault.locked:
                remaining = self._deadline - self._clock()
                if remaining <= 0:
                    break
                self._listener.settimeout(min(remaining, 60.0))
                try:
                    conn, _addr = self._listener.accept()
                except TimeoutError:
                    continue
                with conn:
                    self._answer(conn)
        finally:
            self.close()

    def close(self) -> None:
        """Lock the vault (the keys and every decrypted value go) and take the socket away.

        Abandoned, the vault is left as it is: locking writes the page cache and checkpoints, and a
        vault someone else changed (a newer Purpose, a restore) gets no write from us. The process
        then ends at once (main), and the keys end with it."""
        self._stopping = True
        if not self.abandoned:
            self.vault.lock()
        self._watch.close()
        self._listener.close()
        with contextlib.suppress(OSError):
            if self._path.stat().st_ino == self._inode:  # not a newer agent's socket
                self._path.unlink()

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(_READ_TIMEOUT)
        try:
            if agent_socket.peer_uid(conn) != os.getuid():
                return  # another user: not a word
            message = agent_socket.receive_frame(conn, agent_socket.MAX_REQUEST)
            reply = self._reply(message)
            conn.settimeout(None)
            agent_socket.send_frame(conn, reply)
        except (OSError, ValueError):
            return  # the caller went away or spoke nonsense; the next caller is served as usual

    def _reply(self, message: dict[str, object]) -> dict[str, object]:
        op = message.get("op")
        if op == "lock":
            self._stopping = True
            return {"locked": True}
        if self._watch.changed_elsewhere():
            self._stopping = self.abandoned = True  # the command unlocks by itself and checks the vault
            return {"local": True}
        if op == "renew":
            seconds = message.get("seconds")
            if isinstance(seconds, int | float) and seconds > 0:
                self.idle_seconds = float(seconds)
            self._deadline = self._clock() + self.idle_seconds
        if op in ("status", "renew"):
            return {
                "folder": str(self.vault.folder),
                "until": self.until(),
                "idle_seconds": self.idle_seconds,
            }
        if op == "run":
            answer = self._run(message)
            # The file alone holds every entry between commands, as after a command that unlocks by
            # itself; through the vault's own connection, so what it decrypted stays valid.
            with contextlib.suppress(PurposeError):
                self.vault.checkpoint()
            self._watch.settle()
            self._deadline = self._clock() + self.idle_seconds  # each use restarts the idle clock
            return answer
        return {"error": "unknown"}

    def _run(self, message: dict[str, object]) -> dict[str, object]:
        argv = message.get("argv")
        if not isinstance(argv, list) or not all(isinstance(item, str) for item in argv):
            return {"code": 2, "out": "", "err": "purpose: the agent got a malformed command.\n"}
        try:
            data = base64.b64decode(str(message.get("stdin", "")), validate=True)
        except (binascii.Error, ValueError):
            data = b""
        out, err = io.StringIO(), io.StringIO()
        with _callers_world(message, data):
            from purpose_app.cli import command
            from purpose_app.cli.agent_client import NotForTheAgent

            try:
                code = command.serve([str(item) for item in argv], out, err, self.vault)
            except NotForTheAgent:
                return {"local": True}
            except Exception as exc:  # PURPOSE_DEBUG re-raises; never let one command end the agent
                code = 1
                if os.environ.get("PURPOSE_DEBUG"):
                    err.write(traceback.format_exc())
                else:
                    err.write(UNEXPECTED.format(name=type(exc).__name__))
        return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


@contextlib.contextmanager
def _callers_world(message: dict[str, object], data: bytes) -> Iterator[None]:
    """The caller's folder, umask, environment and stdin for one command; ours again after."""
    env = message.get("env")
    saved_env: dict[str, object] = {
        name: os.environ.get(name) for name in (env if isinstance(env, dict) else {})
    }
    saved_cwd, saved_stdin = os.getcwd(), sys.stdin
    umask = message.get("umask")
    saved_umask = os.umask(umask if isinstance(umask, int) else 0o077)
    try:
        _set_env(env if isinstance(env, dict) else {})
        with contextlib.suppress(OSError):
            os.chdir(str(message.get("cwd", saved_cwd)))
        sys.stdin = _Stdin(data, bool(message.get("stdin_tty")))
        yield
    finally:
        sys.stdin = saved_stdin
        os.umask(saved_umask)
        with contextlib.suppress(OSError):
            os.chdir(saved_cwd)
        _set_env(saved_env)


def _set_env(values: dict[str, object]) -> None:
    for name, value in values.items():
        if not isinstance(name, str) or not name.startswith(("PURPOSE_", "TZ")):
            continue
        if isinstance(value, str):
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
    if "TZ" in values and hasattr(time, "tzset"):
        time.tzset()


def listen(folder: Path) -> tuple[socket.socket, Path]:
    """A socket bound for this vault's agent (a stale socket of an agent that died is replaced)."""
    path = agent_socket.socket_path(folder, create=True)
    if path is None:
        raise EnvironmentProblem(
            "There is no private folder for the unlock agent here (it needs one only you can open). "
            "Each command will ask for your passphrase instead."
        )
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # `purpose unlock` asked first: nobody answers on it
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket file itself 0600, inside the 0700 folder
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    listener.listen(16)
    return listener, path


def start(held: Vault, idle_seconds: float) -> Agent:
    """An agent for the open vault, listening, not yet serving."""
    listener, path = listen(held.folder)
    return Agent(held, listener, path, idle_seconds)


def serve_in_thread(held: Vault, idle_seconds: float) -> threading.Thread:
    """The agent in a thread of this process (the test suite's agent mode); stop it with `purpose lock`."""
    agent = start(held, idle_seconds)
    thread = threading.Thread(target=agent.serve, name="purpose-agent", daemon=True)
    thread.start()
    return thread


def _report(stream: BinaryIO, message: dict[str, object]) -> None:
    stream.write(json.dumps(message).encode("utf-8") + b"\n")
    stream.flush()


def main() -> int:
    """The agent process: read the request on stdin, unlock, report on stdout, then serve."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not write the keys to a core file
    report = sys.stdout.buffer
    try:
        request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        sys.stdin.close()
        if os.fork() != 0:
            os._exit(0)  # `purpose unlock` reaps this process at once; the agent lives on in the fork
        from purpose_app.services import vault

        folder = Path(str(request["folder"]))
        seconds = float(request["seconds"])
        held = vault.unlock(folder, str(request["passphrase"]), allow_synced=bool(request["allow_synced"]))
        del request  # the passphrase is not needed again
        try:
            agent = start(held, seconds)
        except BaseException:
            held.lock()
            raise
    except PurposeError as exc:
        _report(report, {"ok": False, "code": exc.exit_code, "message": exc.message})
        return exc.exit_code
    except Exception as exc:
        _report(report, {"ok": False, "code": 1, "message": UNEXPECTED.format(name=type(exc).__name__)})
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    _report(report, {"ok": True, "until": agent.until(), "test_kdf": held.uses_test_kdf})
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    agent.serve()
    if agent.abandoned:
        os._exit(0)  # no close, no checkpoint: the keys go with the process, the vault stays untouched
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
