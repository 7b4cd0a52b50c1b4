"""Two real Syncthing daemons on loopback sharing one folder: started, killed, waited on through REST.

Each daemon has its own home (`syncthing generate --home=DIR --no-default-folder`) and a config with
global and local discovery, relays, NAT, usage and crash reporting and upgrades off; listen and GUI
addresses on free 127.0.0.1 ports; a known API key; the other daemon as its only device, dialled at
its loopback address; and one folder "purpose" shared between the two, watched and rescanned often.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

FOLDER_ID = "purpose"
BINARY = shutil.which("syncthing")
# Names a daemon uses for what it is still writing (its temporaries) and its folder marker.
_OWN_NAMES = (".syncthing.", "~syncthing~", ".stfolder", ".stignore", ".stversions")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(what: str, check: Callable[[], bool], timeout: float, every: float = 0.1) -> None:
    """Poll `check` until it is true; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def _set(parent: ET.Element, tag: str, value: str) -> None:
    node = parent.find(tag)
    if node is None:
        node = ET.SubElement(parent, tag)
    node.text = value


@dataclass
class Daemon:
    """One Syncthing instance: its home, the folder it shares, its ports and key."""

    name: str
    home: Path
    folder: Path
    gui_port: int = field(default_factory=free_port)
    listen_port: int = field(default_factory=free_port)
    api_key: str = field(default_factory=lambda: secrets.token_hex(16))
    device_id: str = ""
    process: subprocess.Popen[bytes] | None = None

    def generate(self) -> None:
        assert BINARY is not None
        subprocess.run(
            [BINARY, "generate", f"--home={self.home}", "--no-default-folder"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        root = ET.parse(self.home / "config.xml").getroot()
        own = root.find("device")
        assert own is not None
        self.device_id = own.attrib["id"]

    def configure(self, peer: Daemon, *, max_recv_kib: int = 0) -> None:
        """Loopback only, nothing reported or discovered; `peer` as the one device; the shared folder."""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        own = root.find("device")
        assert own is not None
        own.attrib["name"] = self.name
        gui = root.find("gui")
        assert gui is not None
        _set(gui, "address", f"127.0.0.1:{self.gui_port}")
        _set(gui, "apikey", self.api_key)
        options = root.find("options")
        assert options is not None
        for tag, value in {
            "listenAddress": f"tcp://127.0.0.1:{self.listen_port}",
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "urAccepted": "-1",
            "crashReportingEnabled": "false",
            "autoUpgradeIntervalH": "0",
            "startBrowser": "false",
            "reconnectionIntervalS": "1",
            "limitBandwidthInLan": "true",  # loopback counts as LAN: the limit below must apply
            "maxRecvKbps": str(max_recv_kib),  # KiB/s despite the name; 0: no limit
            "setLowPriority": "false",
            "minHomeDiskFree": "0",
        }.items():
            _set(options, tag, value)
        other = ET.SubElement(
            root, "device", id=peer.device_id, name=peer.name, compression="metadata", introducer="false"
        )
        _set(other, "address", f"tcp://127.0.0.1:{peer.listen_port}")
        _set(other, "paused", "false")
        _set(other, "autoAcceptFolders", "false")
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".stfolder").mkdir(exist_ok=True)  # Syncthing's marker: the folder is meant
        shared = ET.SubElement(
            root, "folder", id=FOLDER_ID, label="Purpose", path=str(self.folder), type="sendreceive",
            rescanIntervalS="2", fsWatcherEnabled="true", fsWatcherDelayS="1", ignorePerms="false",
            autoNormalize="true",
        )  # fmt: skip
        _set(shared, "filesystemType", "basic")
        ET.SubElement(shared, "device", id=self.device_id)
        ET.SubElement(shared, "device", id=peer.device_id)
        ET.SubElement(shared, "minDiskFree", unit="%").text = "0"
        _set(shared, "markerName", ".stfolder")
        _set(shared, "maxConflicts", "10")
        tree.write(path)

    # -- running

    def start(self) -> None:
        assert BINARY is not None
        log = (self.home / "syncthing.log").open("ab")
        env = {**os.environ, "STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1", "STNORESTART": "1"}
        self.process = subprocess.Popen(
            [BINARY, "serve", f"--home={self.home}", "--no-browser", "--no-restart", "--no-upgrade"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        log.close()
        wait_for(f"{self.name}'s REST API", self._answers, timeout=30)

    def kill(self) -> None:
        """kill -9: no chance to finish what it was writing."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join((self.home / "syncthing.log").read_text(errors="replace").splitlines()[-lines:])
        return ""

    # -- REST

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}", method=method, headers={"X-API-Key": self.api_key}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body.strip() else None

    def _answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited:\n{self.log_tail()}")
        try:
            return self.api("/rest/system/ping") == {"ping": "pong"}
        except OSError:
            return False

    def connected_to(self, peer: Daemon) -> bool:
        data = self.api("/rest/system/connections")
        assert isinstance(data, dict)
        return bool(data.get("connections", {}).get(peer.device_id, {}).get("connected"))

    def scan(self) -> None:
        """Rescan now rather than at the watcher's next tick."""
        with contextlib.suppress(OSError):
            self.api(f"/rest/db/scan?folder={FOLDER_ID}", method="POST")

    def idle(self) -> bool:
        """Nothing left to pull and nothing being scanned or pulled."""
        status = self.api(f"/rest/db/status?folder={FOLDER_ID}")
        assert isinstance(status, dict)
        return status.get("state") == "idle" and status.get("needTotalItems") == 0

    def completion_of(self, peer: Daemon) -> float:
        """How much of this folder `peer` has, in percent, as this daemon knows it."""
        data = self.api(f"/rest/db/completion?folder={FOLDER_ID}&device={peer.device_id}")
        assert isinstance(data, dict)
        return float(data.get("completion", 0))


def contents(folder: Path) -> dict[str, str]:
    """Every file a sync tool has finished with, by relative path: its SHA-256."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(_OWN_NAMES) for part in relative.parts):
            continue
        with contextlib.suppress(OSError):  # it may go while we look: the next look sees that
            found[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def in_transfer(folder: Path) -> list[Path]:
    """Syncthing's temporaries: a file it is still pulling."""
    return [p for p in folder.rglob("*") if p.name.startswith((".syncthing.", "~syncthing~"))]


class Pair:
    """Two daemons, "desktop" and "phone", sharing FOLDER_ID; the phone's downloads may be slowed."""

    def __init__(self, root: Path, *, phone_recv_kib: int = 0) -> None:
        self.desktop = Daemon("desktop", root / "desktop-home", root / "desktop-Sync")
        self.phone = Daemon("phone", root / "phone-home", root / "phone-Sync")
        for daemon in (self.desktop, self.phone):
            daemon.generate()
        self.desktop.configure(self.phone)
        self.phone.configure(self.desktop, max_recv_kib=phone_recv_kib)

    def start(self) -> None:
        for daemon in (self.desktop, self.phone):
            daemon.start()
        self.wait_connected()

    def wait_connected(self, timeout: float = 30) -> None:
        wait_for(
            "the two daemons to connect",
            lambda: self.desktop.connected_to(self.phone) and self.phone.connected_to(self.desktop),
            timeout=timeout, every=0.2,
        )  # fmt: skip

    def converged(self) -> bool:
        """Both folders hold the same finished files, and both daemons say they have it all."""
        if contents(self.desktop.folder) != contents(self.phone.folder):
            return False
        return (
            self.desktop.idle()
            and self.phone.idle()
            and self.desktop.completion_of(self.phone) == 100
            and self.phone.completion_of(self.desktop) == 100
        )

    def settle(self, timeout: float = 30) -> None:
        """Rescan both and wait until the folders agree."""
        for daemon in (self.desktop, self.phone):
            daemon.scan()
        try:
            wait_for("the two folders to agree", self.converged, timeout=timeout, every=0.2)
        except AssertionError as exc:
            raise AssertionError(
                f"{exc}\n--- desktop\n{self.desktop.log_tail()}\n--- phone\n{self.phone.log_tail()}"
            ) from None

    def close(self) -> None:
        for daemon in (self.desktop, self.phone):
            daemon.stop()


@contextlib.contextmanager
def running_pair(root: Path, *, phone_recv_kib: int = 0) -> Iterator[Pair]:
    pair = Pair(root, phone_recv_kib=phone_recv_kib)
    try:
        pair.start()
        yield pair
    finally:
        pair.close()
