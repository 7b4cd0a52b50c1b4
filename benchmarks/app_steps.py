"""What a person does in the served app, each step timed from the action (the click, the typed word)
to its result in Flutter's accessibility tree, the tree a screen reader reads too."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import Locator, Page

MATCHES = re.compile(r"^(\d[\d,]* entr(y matches|ies match)|Nothing matches)\.$")
SAVED = "Saved. It is in your journal, encrypted."
TODAY_READY = "Quick check-in"
LOCKED = "Welcome back"
DRAWING = "Drawing your charts…"
STEP_TIMEOUT_S = 120  # a step slower than this is a failure, not a measurement
POLL_S = 0.005  # how often a timed step looks for its result (each look is a round trip of a few ms)


class StepFailed(AssertionError):
    pass


class App:
    """One browser page of the served app, with the person's moves."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.seen: dict[str, str] = {}  # step -> what showed it was done, found in the accessibility tree

    def open(self, url: str) -> None:
        page = self.page
        page.goto(url)
        page.wait_for_selector("#loading", state="detached", timeout=60_000)
        time.sleep(0.4)
        page.locator("flt-semantics-placeholder").dispatch_event("click")  # the accessibility tree on
        time.sleep(1.2)
        self.wait_text(LOCKED, "the unlock screen")

    # -- finding and waiting

    def text(self, text: str | re.Pattern[str]) -> Locator:
        """Static text: Flutter puts it in a node's text or, merged with its neighbours, in aria-label."""
        return self.page.get_by_text(text).or_(self.page.get_by_label(text)).first

    def wait_text(self, text: str | re.Pattern[str], what: str) -> None:
        self.wait_for(self.text(text), f"{what}: {text!r} never appeared")

    @staticmethod
    def wait_for(found: Locator, failure: str) -> None:
        """Until `found` is in the page, looking every few milliseconds. Not Playwright's wait_for: it
        looks again after 0, 20, 50, 100, 100, then every 500 ms, so a result that appears at 300 ms
        is seen at about 770 ms (every step over a quarter of a second was measured up to 0.5 s long)."""
        deadline = time.perf_counter() + STEP_TIMEOUT_S
        while not found.count():
            if time.perf_counter() > deadline:
                raise StepFailed(failure)
            time.sleep(POLL_S)

    def shown(self, text: re.Pattern[str], within: str = "") -> str:
        """The words of the first node matching `text` (or of the first `within` node), as read aloud."""
        found = self.page.locator(within).first if within else self.text(text)
        return found.get_attribute("aria-label") or found.text_content() or ""

    def control(self, label: str, role: str | None = None) -> Locator:
        """A control by its accessible name, scrolled (the Flutter way, by mouse wheel) into view."""
        page = self.page
        by_label = page.get_by_label(label, exact=True)
        found = (page.get_by_role(role, name=label, exact=True).or_(by_label) if role else by_label).first  # type: ignore[arg-type]
        height = (page.viewport_size or {"height": 844})["height"]
        for _ in range(20):
            box = found.bounding_box() if found.count() else None
            if box and box["y"] > 70 and box["y"] + min(box["height"], 80) < height - 110:
                break
            page.mouse.move(195, height / 2)
            page.mouse.wheel(0, 250 if box is None or box["y"] > height / 2 else -250)
            time.sleep(0.35)
        return found

    def tab_control(self, name: str) -> Locator:
        """A navigation destination: a tab on a phone, a rail button on a desktop."""
        tab = self.page.get_by_role("tab", name=name)
        return tab.first if tab.count() else self.page.get_by_role("button", name=name).first

    def type(self, label: str, text: str) -> None:
        """Type into a field and make sure it took (Flutter can drop keys typed while it syncs focus)."""
        field = self.control(label)
        typed = ""
        for _ in range(3):
            field.click(force=True)
            time.sleep(0.6)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Backspace")
            self.page.keyboard.type(text, delay=5)
            time.sleep(0.3)
            typed = self.page.evaluate("document.activeElement && document.activeElement.value")
            if typed == text:
                time.sleep(0.4)  # let the last change reach the server before the next move
                return
        raise StepFailed(f"could not type into {label!r}: it holds {typed!r}")

    # -- the timed steps: each returns seconds from the action to the result on screen

    def _typed_then_pressed(self, step: str, field: str, text: str, button: str, result: str) -> float:
        """Type into `field`, then time pressing `button` until `result` shows (noted as `step` seen)."""
        self.type(field, text)
        control = self.control(button, "button")
        started = time.perf_counter()
        control.click(force=True)
        self.wait_text(result, step)
        seconds = time.perf_counter() - started
        self.seen[step] = result
        return seconds

    def unlock(self, passphrase: str) -> float:
        return self._typed_then_pressed("unlock", "Passphrase", passphrase, "Unlock", TODAY_READY)

    def save_entry(self, text: str) -> float:
        return self._typed_then_pressed("save", "Write your reflection", text, "Save entry", SAVED)

    def journal(self, newest: str) -> float:
        """The Journal tab until the newest entry's row (the one just saved) is listed."""
        tab = self.tab_control("Journal")
        started = time.perf_counter()
        tab.click(force=True)
        row = self.page.locator("flt-semantics[role=button]", has_text=newest).first
        self.wait_for(row, f"Journal: the row {newest!r} never appeared")
        seconds = time.perf_counter() - started
        self.seen["journal"] = f"the row {newest!r}"
        return seconds

    def search(self, word: str) -> float:
        """The whole word arrives at once (as a paste or a fast typist's last key) until the count of
        matches is shown."""
        field = self.control("Search")
        field.click(force=True)
        time.sleep(0.6)
        started = time.perf_counter()
        self.page.keyboard.insert_text(word)
        self.wait_text(MATCHES, "search")
        seconds = time.perf_counter() - started
        self.seen["search"] = self.shown(MATCHES)
        return seconds

    def trends(self) -> float:
        """The Trends tab until its charts are drawn (the "drawing" notice gone, a chart's picture in)."""
        tab = self.tab_control("Trends")
        started = time.perf_counter()
        tab.click(force=True)
        self.wait_text("Self-checks", "Trends")
        drawing = self.page.get_by_label(DRAWING)
        deadline = started + STEP_TIMEOUT_S
        while drawing.count() or not self.page.locator("flt-semantics[role=img]").count():
            if time.perf_counter() > deadline:
                raise StepFailed("Trends: the charts were never drawn")
            time.sleep(POLL_S)
        seconds = time.perf_counter() - started
        self.seen["trends"] = self.shown(re.compile("."), "flt-semantics[role=img]")
        return seconds

    def lock(self) -> None:
        self.control("Lock", "button").click(force=True)
        self.wait_text(LOCKED, "Lock")
        time.sleep(0.5)

    def export(self, where: Path) -> tuple[float, int]:
        """Settings, Export (Markdown, the default), then the confirmation's "Export readable file" until
        the browser has the whole file. Returns the seconds and the file's size in bytes."""
        self.tab_control("Settings").click(force=True)
        time.sleep(0.8)
        self.control("Export…", "button").click(force=True)
        confirm = self.page.get_by_role("button", name="Export readable file", exact=True).first
        confirm.wait_for(state="attached", timeout=30_000)
        time.sleep(0.5)
        with self.page.expect_download(timeout=STEP_TIMEOUT_S * 1000) as download:
            started = time.perf_counter()
            confirm.click(force=True)
        done = download.value
        done.path()  # waits until the download is complete
        seconds = time.perf_counter() - started
        done.save_as(where)
        self.seen["export"] = f"a download of {where.stat().st_size:,} bytes"
        time.sleep(1.0)  # the "Exported" notice is drawn below, off screen: let the page settle
        return seconds, where.stat().st_size
