"""The browser's own zoom (issue 14): a 1280x800 window at 200% (640x400 CSS px) and at 400% (320x256,
WCAG 1.4.10's reflow width) keeps the daily flow usable: every key control fits the width, scrolls
into the band between the app bar and the navigation bar, and works; the vault holds what was done."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from e2e.axe import audit
from e2e.conftest import Screen, _serving
from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.services import vault
from purpose_app.ui.theme import TOUCH

# Browser zoom is emulated as it happens: the CSS viewport shrinks by the zoom and devicePixelRatio grows.
ZOOMS = {
    "200%": ({"width": 640, "height": 400}, 2),
    "400%": ({"width": 320, "height": 256}, 4),
}


@pytest.fixture
def zoomed(browser: object, tmp_path: Path) -> Iterator[object]:
    """zoomed(zoom) -> a Screen on a fresh served vault (one entry, "Teaching rounds"), and its folder.
    The vault uses the default key cost: a test-cost vault adds a warning banner a real journal never
    shows, which at 400% would hide most of the screen."""
    folder = tmp_path / "vault"
    opened, _key = vault.create(folder, PASSPHRASE, kdf.DEFAULT)
    try:
        opened.add(EntryChanges(title="Teaching rounds", body="A long day, and one good moment in it."))
    finally:
        opened.lock()
    contexts = []
    with _serving(folder, tmp_path / "server.log") as url:

        def make(zoom: str) -> tuple[Screen, Path]:
            viewport, scale = ZOOMS[zoom]
            context = browser.new_context(viewport=viewport, device_scale_factor=scale)  # type: ignore[attr-defined]
            contexts.append(context)
            return Screen(context.new_page()).open(url), folder

        yield make
        for context in contexts:
            context.close()


FOCUSED = "() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.textContent || '') : '' }"  # fmt: skip
SEEN = 24  # CSS px of a control that must be in sight: WCAG 2.5.8's smallest target

VALUE = "document.activeElement && document.activeElement.value"


def _box(locator: object) -> dict[str, float] | None:
    try:  # the node can be redrawn between count() and bounding_box(): then it is looked for again
        return locator.bounding_box(timeout=2000) if locator.count() else None  # type: ignore[attr-defined]
    except Exception:  # playwright timed out on a node that went away
        return None


def _shown(box: dict[str, float], top: float, bottom: float) -> bool:
    """In the band, with enough of it in sight to read and tap: Flutter clips a node's box to the
    part its scrolling parent shows, so a row squeezed to a 4 px sliver has a 4 px box."""
    return box["y"] >= top and box["y"] + min(box["height"], TOUCH) <= bottom and box["height"] >= SEEN


class Zoomed:
    """Moves for a zoomed page: the band a control must reach lies between the app bar and the
    navigation bar, measured on the page (at 400% it is about 120 px tall)."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.page = screen.page
        self.width = self.page.viewport_size["width"]  # type: ignore[attr-defined]
        self.scale = self.page.evaluate("devicePixelRatio")  # type: ignore[attr-defined]

    def band(self) -> tuple[float, float]:
        lock = _box(self.page.get_by_role("button", name="Lock", exact=True).first)  # type: ignore[attr-defined]
        tab = _box(self.page.get_by_role("tab", name="Today").first)  # type: ignore[attr-defined]
        height = self.page.viewport_size["height"]  # type: ignore[attr-defined]
        top = lock["y"] + lock["height"] if lock else 0
        return top, tab["y"] if tab else height

    def settled(self, found: object) -> dict[str, float] | None:
        """The control's box once two looks 0.1 s apart agree: Flutter redraws its semantics a frame or
        more after a scroll, later still on a busy machine, and a stale box sends the next scroll wrong."""
        box = _box(found)
        for _ in range(15):
            time.sleep(0.1)
            again = _box(found)
            if again == box:
                return box
            box = again
        return box

    def reveal(self, label: str, role: str | None = None, found: object = None) -> object:
        """The control, scrolled (with the mouse wheel, over the content) until its top (a touch
        target's height of it) lies in the band, inside the width; fails with where it was if not."""
        page = self.page
        by_label = page.get_by_label(label, exact=True)  # type: ignore[attr-defined]
        if found is None:
            found = (page.get_by_role(role, name=label, exact=True).or_(by_label) if role else by_label).first  # type: ignore[attr-defined]
        top, bottom = self.band()
        box = None
        limit = (bottom - top) / 2  # the longest step: half the band, so nothing is stepped over
        heading = 0
        for _ in range(30):
            box = self.settled(found)
            if box and _shown(box, top, bottom):
                break
            below = box is None or box["y"] + box["height"] / 2 > (top + bottom) / 2
            if heading and heading != (1 if below else -1):
                limit = max(limit / 2, 8)  # it was stepped past: smaller steps back, never a see-saw
            heading = 1 if below else -1
            # Below, its top is known: bring it just inside the band's top. Above, it is clipped by
            # the band's top, so where it starts is unknown: a step.
            distance = box["y"] - top - 4 if below and box else limit
            distance = min(max(distance, 8), limit)
            # The wheel turns over the band's upper part: a toast floats over its middle on a phone
            # (app.toast, above the navigation bar) and takes the wheel while it shows.
            page.mouse.move(self.width / 2, top + (bottom - top) / 4)  # type: ignore[attr-defined]
            # Flutter scrolls 1/scale^2 of a wheel's CSS delta at this pixel ratio (measured).
            page.mouse.wheel(0, heading * distance * self.scale**2)  # type: ignore[attr-defined]
        self.fits(label, box, top, bottom)
        return found

    def fits(self, label: str, box: dict[str, float] | None, top: float = 0, bottom: float = 0) -> None:
        assert box is not None, f"{label!r} is not on the page"
        bottom = bottom or self.page.viewport_size["height"]  # type: ignore[attr-defined]
        inside = box["x"] >= 0 and box["x"] + box["width"] <= self.width + 1
        assert inside, f"{label!r} is cut off at the side: {box} in a {self.width} px wide page"
        assert _shown(box, top, bottom), f"{label!r} never comes into view between {top} and {bottom}: {box}"

    def press(self, found: object) -> None:
        """A tap near the control's top edge, the part reveal() brought into sight: a toast can float
        over the middle of a 400% page for its 4 seconds, and a person taps what they see."""
        box = _box(found)
        assert box is not None, "the control went away before it was pressed"
        spot = {"x": box["width"] / 2, "y": min(box["height"] / 2, SEEN / 2)}
        found.click(force=True, position=spot)  # type: ignore[attr-defined]

    def click(self, label: str, role: str = "button") -> None:
        self.press(self.reveal(label, role))
        time.sleep(0.6)

    def type(self, label: str, text: str) -> None:
        field = self.reveal(label)
        typed = ""
        for _ in range(3):  # Flutter can drop keys typed while it syncs focus: then again
            self.press(field)
            time.sleep(0.6)
            if self.page.evaluate(VALUE) is None:  # type: ignore[attr-defined]
                # A click during a redraw can miss Flutter's editing element: focus the field's node.
                field.focus()  # type: ignore[attr-defined]
                time.sleep(0.6)
            self.page.keyboard.press("Control+A")  # type: ignore[attr-defined]
            self.page.keyboard.press("Backspace")  # type: ignore[attr-defined]
            self.page.keyboard.type(text, delay=15)  # type: ignore[attr-defined]
            time.sleep(0.3)
            typed = self.page.evaluate(VALUE)  # type: ignore[attr-defined]
            if typed == text:
                time.sleep(0.4)
                return
        self.page.screenshot(path=f"/tmp/e2e-zoom-{label[:12]}.png")  # type: ignore[attr-defined]
        raise AssertionError(f"could not type into {label!r}: it holds {typed!r}")

    def chrome_fits(self) -> None:
        for name in ("Support", "Lock"):
            self.fits(name, _box(self.page.get_by_role("button", name=name, exact=True).first))  # type: ignore[attr-defined]
        for name in ("Today", "Journal", "Trends", "Packs", "Settings"):
            self.fits(name, _box(self.page.get_by_role("tab", name=name).first))  # type: ignore[attr-defined]


def _shot(screen: Screen, zoom: str, name: str) -> None:
    """A picture of the screen into the folder ZOOM_SHOTS names, when it is set (to look at by eye)."""
    if os.environ.get("ZOOM_SHOTS"):
        screen.page.screenshot(path=f"{os.environ['ZOOM_SHOTS']}/{zoom[:-1]}-{name}.png")  # type: ignore[attr-defined]


def _filters_fit(page: Zoomed) -> None:
    """Journal's Filters opened: each filter comes into view, and so does the first entry."""
    page.click("Filters")
    for name in ("From", "To"):
        page.reveal(name)
    for name in ("Tag", "Shift"):  # a dropdown's name holds its value too: "Tag not set"
        menu = page.page.locator("flt-semantics[role=button]", has_text=f"{name} not set").first  # type: ignore[attr-defined]
        page.reveal(name, found=menu)
    row = page.page.locator("flt-semantics[role=button]", has_text="Teaching rounds").first  # type: ignore[attr-defined]
    page.reveal("Teaching rounds", found=row)


@pytest.mark.parametrize("zoom", list(ZOOMS))
def test_browser_zoom_keeps_the_daily_flow_usable(zoomed, zoom):
    """At 200% and 400% browser zoom: unlock, check in, write and save, search Journal and open the
    first entry, reach Settings' controls; each fits and is reached; the vault holds what was done."""
    screen, folder = zoomed(zoom)
    assert screen.sees("Welcome back")
    page = Zoomed(screen)
    page.fits("Passphrase", _box(screen.page.get_by_label("Passphrase", exact=True).first))  # type: ignore[attr-defined]
    screen.page.keyboard.type(PASSPHRASE, delay=15)  # type: ignore[attr-defined]  # it has the keyboard
    screen.page.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert screen.sees("Quick check-in", timeout=30)
    time.sleep(0.5)
    page.chrome_fits()
    page.click("Set energy")
    assert screen.sees("Energy: 5 of 10")
    page.click("Save check-in")
    assert screen.sees("Check-in saved")
    page.type("Title (optional)", "Zoomed in")
    page.type("Write your reflection", "Read at twice the size, still all there.")
    page.click("Save entry")
    assert screen.sees("Saved. It is in your journal", timeout=10)
    _shot(screen, zoom, "today")

    screen.tab("Journal")
    page.type("Search", "good moment")
    assert screen.sees("1 entry matches")  # the seeded entry; the new one holds no such words
    row = screen.page.locator("flt-semantics[role=button]", has_text="Teaching rounds").first  # type: ignore[attr-defined]
    page.press(page.reveal("Teaching rounds", found=row))
    assert screen.sees("Save changes", timeout=10)
    _shot(screen, zoom, "entry")
    for name in ("Save changes", "Close"):  # the entry window's own way out and its Save
        page.fits(name, _box(screen.page.get_by_role("button", name=name, exact=True).first))  # type: ignore[attr-defined]
    title = screen.page.get_by_label("Title (optional)", exact=True).last  # the window's, over Today's
    page.fits("the entry's title", _box(title))
    screen.page.get_by_role("button", name="Close", exact=True).first.click(force=True)  # type: ignore[attr-defined]
    time.sleep(0.8)
    _filters_fit(page)  # at 400% the search and filters scroll with the list (journal.SHORT_HEIGHT)
    findings = [str(finding) for finding in audit(screen.page)]  # that layout, filters open
    assert findings == [], findings
    _shot(screen, zoom, "journal")
    screen.tab("Settings")
    page.reveal("Current passphrase")
    page.reveal("Change passphrase", "button")
    page.reveal("Make a new recovery key", "button")
    for name in ("Theme", "Lock after idle"):  # a dropdown's name holds its value too: "Theme System"
        menu = screen.page.locator("flt-semantics[role=button]", has_text=name).first  # type: ignore[attr-defined]
        page.reveal(name, found=menu)
    page.chrome_fits()
    _shot(screen, zoom, "settings")
    screen.page.get_by_role("button", name="Lock", exact=True).first.click(force=True)  # type: ignore[attr-defined]
    assert screen.sees("Welcome back")

    opened = vault.unlock(folder, PASSPHRASE)
    try:
        stored = opened.entries(with_bodies=True)
    finally:
        opened.lock()
    checkins = [e.energy for e in stored if not e.title and not e.body]
    written = [(e.title, e.body, e.energy) for e in stored if e.title == "Zoomed in"]
    assert checkins == [5]
    assert written == [("Zoomed in", "Read at twice the size, still all there.", None)]
    assert len(stored) == 3, stored  # the seeded entry, the check-in and the new one: nothing else
