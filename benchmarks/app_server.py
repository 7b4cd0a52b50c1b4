"""`purpose app --no-browser` for a benchmark vault, and the resident memory of its process tree."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


class ServerFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextlib.contextmanager
def serving(vault: Path, log_path: Path, kdf_profile: str = "default") -> Iterator[Server]:
    """The app on a port of the system's choosing; yields its address (with this run's token)."""
    env = {**os.environ, "PURPOSE_KDF_PROFILE": kdf_profile, "PURPOSE_VAULT": str(vault)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "purpose_app", "app", "--no-browser", "--port", "0"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        try:
            yield Server(_wait_until_up(process, log_path), process.pid)
        finally:
            process.terminate()  # a Flet server that served many sessions may ignore SIGTERM: then kill
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _wait_until_up(process: subprocess.Popen[bytes], log_path: Path) -> str:
    deadline = time.monotonic() + 60
    url = ""
    while True:
        if time.monotonic() > deadline or process.poll() is not None:
            raise ServerFailed(
                f"the app server did not start: {log_path.read_text(errors='replace')[-2000:]}"
            )
        if not url:
            found = re.search(r"running at (http://\S+)", log_path.read_text(errors="replace"))
            url = found.group(1) if found else ""
        if url:
            try:
                urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 (our own loopback address)
                return url
            except urllib.error.HTTPError:
                return url  # it answered (the redirect without the cookie is refused): it is up
            except OSError:
                pass
        time.sleep(0.2)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(c) for c in (task / "children").read_text().split()]
    return found


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += _children(current)
    return pids


def rss_mb(pid: int) -> float:
    """Resident memory of the process tree now, in MB (pages of shared libraries counted per process)."""
    total = 0
    for member in tree(pid):
        with contextlib.suppress(OSError):
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * _PAGE
    return total / 1e6


def peak_mb(pid: int) -> float:
    """The server process's own high-water mark of resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    return 0.0
