"""Where a vault's unlock agent listens, who may talk to it, and the frames they exchange (stdlib only).

The command line's thin client imports this module and nothing heavier, so a command that finds the
agent starts without SQLAlchemy or cryptography. One agent per vault folder per user: the socket's name
is a hash of the folder's resolved path, inside a 0700 folder of the user's own.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import sys
from pathlib import Path

MAX_REQUEST = 64 * 1024 * 1024  # a request carries argv and piped stdin, nothing larger
_LENGTH = struct.Struct(">Q")
_CONNECT_TIMEOUT = 2.0


class AgentUnavailable(Exception):
    """No agent answers for this vault (none started, it ended, or the folder is not safe)."""


def supported() -> bool:
    """Unix sockets and a way to learn the caller's uid: Linux, macOS and the BSDs; not Windows."""
    return os.name == "posix" and hasattr(socket, "AF_UNIX") and _peer_uid_available()


def _peer_uid_available() -> bool:
    return hasattr(socket, "SO_PEERCRED") or sys.platform == "darwin" or "bsd" in sys.platform


def runtime_dir(*, create: bool) -> Path | None:
    """$XDG_RUNTIME_DIR/purpose, else a folder of our own in the temporary folder; None if unsafe.

    The folder must be ours and closed to everyone else (0700): a socket in a folder another user
    can write could be swapped for theirs."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(base) / "purpose" if base and os.path.isdir(base) else None
    if folder is None:
        import tempfile

        folder = Path(tempfile.gettempdir()) / f"purpose-{os.getuid()}"
    if create:
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    try:
        info = folder.lstat()
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return folder


def socket_path(folder: Path, *, create: bool = False) -> Path | None:
    """The socket of the agent for the vault in `folder` (None where agents are not possible)."""
    if not supported():
        return None
    where = runtime_dir(create=create)
    if where is None:
        return None
    digest = _sha256_hex(os.fsencode(str(folder.resolve())))[:24]
    return where / f"{digest}.sock"


def _sha256_hex(data: bytes) -> str:
    """SHA-256 from CPython's own small module where there is one: hashlib loads OpenSSL, which
    costs the thin client a few megabytes of memory for one hash of a path."""
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]  # Python 3.12+
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore,no-redef]
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment,unused-ignore]
    return str(sha256(data).hexdigest())


def peer_uid(conn: socket.socket) -> int:
    """The uid of the process at the other end of a Unix socket (SO_PEERCRED or LOCAL_PEERCRED)."""
    if hasattr(socket, "SO_PEERCRED"):
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", creds)
        return int(uid)
    # macOS and the BSDs: struct xucred {u_int cr_version; uid_t cr_uid; ...} at level 0, option 1.
    creds = conn.getsockopt(0, 1, 76)
    return int(struct.unpack_from("I", creds, 4)[0])


def send_frame(conn: socket.socket, message: dict[str, object]) -> None:
    data = json.dumps(message).encode("utf-8")
    conn.sendall(_LENGTH.pack(len(data)) + data)


def receive_frame(conn: socket.socket, limit: int | None = None) -> dict[str, object]:
    """One frame; ConnectionError when the other end went away or sent more than `limit` bytes."""
    (length,) = _LENGTH.unpack(_read_exactly(conn, _LENGTH.size))
    if limit is not None and length > limit:
        raise ConnectionError("frame too large")
    message = json.loads(_read_exactly(conn, length).decode("utf-8"))
    if not isinstance(message, dict):
        raise ConnectionError("not a message")
    return message


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    parts = bytearray()
    while len(parts) < size:
        chunk = conn.recv(min(size - len(parts), 1 << 20))
        if not chunk:
            raise ConnectionError("closed early")
        parts += chunk
    return bytes(parts)


def connect(folder: Path) -> socket.socket:
    """A connection to this vault's agent, checked to run as us; AgentUnavailable otherwise."""
    path = socket_path(folder)
    if path is None or not path.exists():
        raise AgentUnavailable
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(_CONNECT_TIMEOUT)
        conn.connect(str(path))
        if peer_uid(conn) != os.getuid():
            raise AgentUnavailable
        conn.settimeout(None)  # a long export may take a while to come back
    except (OSError, AgentUnavailable):
        conn.close()
        raise AgentUnavailable from None
    return conn


def ask(folder: Path, message: dict[str, object]) -> dict[str, object]:
    """Send one message to this vault's agent and return its answer; AgentUnavailable if none."""
    conn = connect(folder)
    with conn:
        try:
            send_frame(conn, message)
            return receive_frame(conn)
        except (OSError, ValueError) as exc:
            raise AgentUnavailable from exc


def notify_lock(folder: Path) -> None:
    """Tell this vault's agent (if any) to drop its keys and end: the app locked the same vault."""
    with contextlib.suppress(AgentUnavailable):
        ask(folder, {"op": "lock"})
