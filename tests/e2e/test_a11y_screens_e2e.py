"""axe-core on Trends, the self-checks, Packs, group mode, the facilitator page, Settings, Support,
Programs, My why and the data card's dialogs, at 390x844 (touch) and 1280x800, light and dark: no
serious or critical finding (issue 14). One server for the module; each size walks every screen in
one browser context."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from e2e.axe import audit
from e2e.conftest import DESKTOP, PHONE, Screen, _serving
from e2e.demo import seed


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app serving three months of seeded check-ins, shared by this module's tests."""
    folder = tmp_path_factory.mktemp("a11y")
    seed(folder / "vault")
    with _serving(folder / "vault", folder / "server.log") as url:
        yield url


class Walk:
    """One browser context on the unlocked app: moves by touch on a phone, by mouse on a desktop, and
    gathers each screen's findings."""

    def __init__(self, browser: object, url: str, size: dict[str, int]) -> None:
        phone = size == PHONE
        self.context = browser.new_context(viewport=size, has_touch=phone, is_mobile=phone)  # type: ignore[attr-defined]
        self.screen = Screen(self.context.new_page()).open(url)
        self.press: Callable[[str], None] = self.screen.tap if phone else self.screen.click
        self.found: dict[str, list[str]] = {}
        self.screen.type("Passphrase", PASSPHRASE, touch=phone)
        self.press("Unlock")
        assert self.screen.sees("Quick check-in", 30)

    def audit(self, name: str) -> None:
        time.sleep(1.0)  # let the accessibility tree settle after the last move
        self.found[name] = [str(finding) for finding in audit(self.screen.page)]

    def report(self) -> str:
        return "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in self.found.items() if lines)

    def theme(self, choice: str) -> None:
        page = self.screen.page
        self.screen.tab("Settings")
        page.get_by_role("button", name=re.compile("^Theme")).first.click(force=True)  # type: ignore[attr-defined]
        time.sleep(1.0)
        page.get_by_text(choice, exact=True).last.click(force=True)  # type: ignore[attr-defined]
        time.sleep(1.5)

    def trends(self) -> None:
        screen = self.screen
        screen.tab("Trends")
        assert screen.sees("Energy, day by day", 60)  # drawn (the button below may be out of view)
        self.audit("Trends")
        self.press("Show the numbers")
        assert screen.sees("Hide the numbers")
        self.audit("Trends, the energy chart's numbers")
        self.press("Hide the numbers")

    def selfchecks(self) -> None:
        screen = self.screen
        screen.tab("Trends")
        self.press("Quick check (ten seconds)")
        assert screen.sees("Using your own definition of burnout")
        self.audit("quick check dialog")
        self.press("Not now")
        self.press("Copenhagen check (a few minutes)")
        assert screen.sees("Copenhagen Burnout Inventory")
        self.audit("Copenhagen form")
        self.press("Cancel")
        screen.tab("Trends")
        self.press("Self-check history")
        self.audit("self-check history")
        self.press("Back to Trends")

    def packs(self) -> None:
        screen = self.screen
        screen.tab("Packs")
        self.audit("Packs")
        screen.page.get_by_role("button", name=re.compile("prompts")).first.click(force=True)  # type: ignore[attr-defined]
        assert screen.sees("Export this pack")
        self.audit("Packs, a pack opened")
        self.press("Packs for facilitators")
        self.audit("packs for facilitators")
        self.press("Back to Packs")
        screen.tab("Packs")
        self.press("Group mode")
        assert screen.sees("Leave group mode")
        self.audit("group mode")
        self.press("Leave group mode")

    def settings(self, folder: Path) -> None:
        screen = self.screen
        screen.tab("Settings")
        self.audit("Settings")
        self.press("Support")
        assert screen.sees("In an emergency, call your local emergency number.")
        self.audit("Support dialog")
        self.press("Close")
        self.press("My why")
        self.audit("My why")
        self.press("Back to Settings")
        self.press("Programs")
        self.audit("Programs")
        self.press("Back to Settings")
        self.press("Export…")
        self.audit("export dialog")
        self.press("Cancel")
        self.press("Make an encrypted backup…")
        self.audit("backup dialog")
        self.press("Cancel")
        not_a_backup = folder / "not-a-backup.bin"
        not_a_backup.write_bytes(b"not a backup")
        with screen.page.expect_file_chooser(timeout=15_000) as chooser:  # type: ignore[attr-defined]
            self.press("Restore from a backup…")
        chooser.value.set_files(str(not_a_backup))
        assert screen.sees("Merge a backup into this journal")
        self.audit("restore (merge) dialog")
        self.press("Cancel")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_screen_and_dialog_has_no_serious_finding(browser, demo_url, size, tmp_path):
    """Trends (and its numbers), the quick check, the Copenhagen form, the history, Packs (and a pack),
    the facilitator page, group mode, Settings, Support, My why, Programs, export, backup and merge:
    axe finds nothing serious or critical."""
    walk = Walk(browser, demo_url, size)
    try:
        walk.trends()
        walk.selfchecks()
        walk.packs()
        walk.settings(tmp_path)
    finally:
        walk.context.close()
    assert walk.report() == "", walk.report()
    assert len(walk.found) == 16, sorted(walk.found)  # every screen and dialog was reached and audited


def test_dark_theme_has_no_contrast_finding(browser, demo_url):
    """In the dark theme (chosen in Settings), Trends, Packs and Settings: no serious finding, colour
    contrast included (the charts' own colours are checked by tests/unit/test_chart_contrast.py)."""
    walk = Walk(browser, demo_url, PHONE)
    try:
        walk.theme("dark")
        walk.audit("Settings, dark")
        walk.trends()
        walk.screen.tab("Packs")
        walk.audit("Packs, dark")
        walk.theme("system")  # as the module's other test expects it
    finally:
        walk.context.close()
    assert walk.report() == "", walk.report()


def test_restoring_into_a_new_journal_has_no_serious_finding(browser, server):
    """The welcome screen's "Restore from a backup" page, on a phone: nothing serious or critical."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        screen = Screen(context.new_page()).open(server)
        screen.tap("Restore from a backup")
        assert screen.sees("Choose the backup file")
        time.sleep(1.0)
        found = [str(finding) for finding in audit(screen.page)]
    finally:
        context.close()
    assert found == [], "\n".join(found)
