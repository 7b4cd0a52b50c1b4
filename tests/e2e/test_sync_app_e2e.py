"""Issue 15's second run: one side of a real Syncthing pair driven from the app in Chromium, the other
from the command line. What each vault holds at the end is read back, not only what was drawn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from e2e.axe import audit
from e2e.conftest import DESKTOP, PHONE, Screen, _serving
from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.services import vault

sys.path.insert(0, str(Path(__file__).parents[1] / "integration"))
from syncthing_harness import BINARY, Pair, running_pair


@pytest.fixture
def pair(tmp_path: Path):
    if BINARY is None:
        if os.environ.get("CI"):
            pytest.fail("syncthing is missing: `make test` installs Debian's syncthing package.")
        pytest.skip("syncthing is not installed (apt-get install syncthing)")
    with running_pair(tmp_path / "syncthing") as started:
        yield started


def _cli(phone_vault: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ, "PURPOSE_KDF_PROFILE": "test", "PURPOSE_VAULT": str(phone_vault),
        "PURPOSE_PASSPHRASE": PASSPHRASE,
    }  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "purpose_app", *args], capture_output=True, text=True, env=env,
        stdin=subprocess.DEVNULL, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


def _sync_now(page: Screen) -> None:
    """The app's "Sync now", then wait for the status line to say it finished."""
    page.click("Sync now")
    deadline = time.monotonic() + 30
    while page.page.get_by_text("Syncing…").count() and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.3)
    assert page.sees("Last sync just now", timeout=15)


def test_the_app_on_one_side_and_the_command_line_on_the_other(pair: Pair, screen, tmp_path):
    """The desktop journal chooses its sync folder in the app; the phone joins with `purpose join`;
    an entry written on each side reaches the other; both vaults end with the same entries."""
    desk_vault, phone_vault = tmp_path / "desk", tmp_path / "phone"
    with vault.create(desk_vault, PASSPHRASE, kdf.TEST)[0] as desk:
        desk.add(EntryChanges(title="Handover at seven", body="Written on the desktop before the app."))
    with _serving(desk_vault, tmp_path / "server.log") as url:
        page = screen(DESKTOP).open(url)
        assert page.sees("Welcome back")
        page.type("Passphrase", PASSPHRASE)
        page.click("Unlock")
        assert page.sees("Quick check-in", timeout=30)
        page.tab("Settings")
        page.click("Sync settings")
        page.type("Sync folder", str(pair.desktop.folder))
        page.click("Use this folder")
        _sync_now(page)
        assert audit(page.page) == []  # the Sync page with its status shown
        pair.settle()

        joined = json.loads(_cli(phone_vault, "join", str(pair.phone.folder), "--json").stdout)
        assert joined["entries"] == 1
        _cli(phone_vault, "add", "--title", "Clinic corridor", "--body", "Written on the phone.")
        _cli(phone_vault, "sync", "--folder", str(pair.phone.folder))
        pair.settle()

        _sync_now(page)
        page.click("Back to Settings")
        page.tab("Journal")
        assert page.sees("Clinic corridor", timeout=15)
        page.tab("Today")
        page.type("Write your reflection", "Written in the app after the phone's entry arrived.")
        page.click("Save entry")
        assert page.sees("Saved", timeout=10)
        page.tab("Settings")
        page.click("Sync settings")
        _sync_now(page)
        pair.settle()
        page.click("Lock")

    _cli(phone_vault, "sync", "--folder", str(pair.phone.folder))
    listed = json.loads(_cli(phone_vault, "list", "--json").stdout)
    phone_bodies = sorted(str(e["body"]) for e in listed)
    with vault.unlock(desk_vault, PASSPHRASE) as desk:
        desk_bodies = sorted(e.body for e in desk.entries(with_bodies=True))
    assert (
        phone_bodies
        == desk_bodies
        == sorted(
            [
                "Written on the desktop before the app.",
                "Written on the phone.",
                "Written in the app after the phone's entry arrived.",
            ]
        )
    )


def test_the_join_dialog_has_no_serious_accessibility_finding(server, screen):
    """axe-core on "Join a journal from your sync folder" at phone and desktop size: both fields and
    the passphrase's Show button have names of their own."""
    for viewport in (PHONE, DESKTOP):
        page = screen(viewport).open(server)
        page.click("Join a journal from your sync folder")
        assert page.sees("Passphrase on your other device")
        assert audit(page.page) == []
        assert page.page.get_by_role("button", name="Show passphrase on your other device").count() == 1  # type: ignore[attr-defined]
