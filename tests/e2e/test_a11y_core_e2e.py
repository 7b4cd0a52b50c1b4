"""Accessibility of the core screens in a real browser (issue 14): axe-core finds no serious or critical
violation on welcome, the recovery key, unlock, Today, Journal, the entry window and a sub-page at phone
and desktop size; the daily flow works by keyboard alone; Today and Journal stay usable at 200% text.
Phone contexts emulate touch (has_touch, is_mobile) and tap instead of clicking."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from e2e.axe import audit
from e2e.conftest import DESKTOP, PHONE, Screen, _serving
from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.services import vault
from purpose_app.services.session import SETTINGS

SIZES = {"phone": PHONE, "desktop": DESKTOP}
FOCUSED_NAME = "() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || (e.textContent || '').trim()) : '' }"  # fmt: skip


@pytest.fixture
def device(browser: object) -> Iterator[Callable[[str], Screen]]:
    """device("phone") -> a Screen in a touch context at 390x844; device("desktop") -> mouse, 1280x800."""
    contexts = []

    def make(size: str) -> Screen:
        phone = size == "phone"
        context = browser.new_context(viewport=SIZES[size], has_touch=phone, is_mobile=phone)  # type: ignore[attr-defined]
        contexts.append(context)
        return Screen(context.new_page())

    yield make
    for context in contexts:
        context.close()


def _press(screen: Screen, name: str, role: str = "button", *, touch: bool) -> None:
    if touch:
        screen.tap(name, role)
    else:
        screen.click(name, role)


def _destination(screen: Screen, name: str, *, touch: bool) -> None:
    """A navigation destination, tapped on a phone's bar, clicked on a desktop's rail."""
    if not touch:
        screen.tab(name)
        return
    screen.page.get_by_role("tab", name=name).first.tap(force=True)  # type: ignore[attr-defined]
    time.sleep(0.8)


def _audited(screen: Screen, name: str, found: dict[str, list[str]]) -> None:
    time.sleep(1.0)  # let Flutter settle its accessibility tree
    found[name] = [str(finding) for finding in audit(screen.page)]


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {finding}" for name, findings in found.items() for finding in findings)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_first_run_screens_have_no_serious_findings(server, device, size):
    """Welcome, the recovery key and the first Today: no serious or critical axe finding."""
    touch = size == "phone"
    page = device(size).open(server)
    found: dict[str, list[str]] = {}
    assert page.sees("Welcome to Purpose")
    _audited(page, "welcome", found)
    for _attempt in range(3):  # the strength hint moves only once the server has the passphrase
        page.type("Passphrase", PASSPHRASE, touch=touch)
        if page.sees("Strong.", timeout=5):
            break
    page.type("Confirm passphrase", PASSPHRASE, touch=touch)
    _press(page, "Create journal", touch=touch)
    assert page.sees("Your recovery key", timeout=20)
    _audited(page, "recovery key", found)
    _press(page, "I have saved it", "checkbox", touch=touch)
    _press(page, "Continue", touch=touch)
    assert page.sees("Quick check-in", timeout=20)
    _audited(page, "first Today", found)
    assert not any(found.values()), _report(found)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the module: a vault with three months of check-ins (and written entries)."""
    from e2e.demo import seed

    base = tmp_path_factory.mktemp("a11y-demo")
    seed(base / "vault")
    with _serving(base / "vault", base / "server.log") as url:
        yield url


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_unlock_today_journal_entry_window_and_a_sub_page_have_no_serious_findings(demo, device, size):
    """Unlock, Today (energy unset and set), Journal (list, search, filters), the entry window and the
    sub-page frame (Programs): no serious or critical axe finding; the sub-page has Support and Lock."""
    touch = size == "phone"
    page = device(size).open(demo)
    found: dict[str, list[str]] = {}
    assert page.sees("Welcome back")
    _audited(page, "unlock", found)
    page.type("Passphrase", PASSPHRASE, touch=touch)
    _press(page, "Unlock", touch=touch)
    assert page.sees("Quick check-in", timeout=30)
    _audited(page, "Today", found)
    _press(page, "Set energy", touch=touch)
    assert page.sees("Energy: 5 of 10")
    # The slider's own node is named (its value in words is checked by keyboard, below: after a tap or
    # a click Flutter's web engine leaves the value off the input until a key moves it).
    page.page.wait_for_selector("[aria-label=Energy] > input[role=slider]", state="attached")  # type: ignore[attr-defined]
    shift = page.page.locator("[flt-semantics-identifier=checkin-shift]").first  # type: ignore[attr-defined]
    assert (shift.text_content() or "").startswith("Shift")  # named by its own label, not the card's words
    _audited(page, "Today, energy set", found)
    _destination(page, "Journal", touch=touch)
    assert page.sees("Check-in:", timeout=15)
    _audited(page, "Journal", found)
    page.type("Search", "good moment", touch=touch)
    assert page.sees("entries match", timeout=10)
    _audited(page, "Journal search", found)
    _press(page, "Filters", touch=touch)
    _audited(page, "Journal filters", found)
    row = page.page.locator("flt-semantics[role=button]", has_text="good moment").first  # type: ignore[attr-defined]
    row.tap(force=True) if touch else row.click(force=True)
    assert page.sees("Save changes", timeout=10)
    _audited(page, "entry window", found)
    # Its fields use the phone's whole width (less the margins), and a roomy width on a desktop.
    title = page.page.get_by_label("Title (optional)", exact=True).last.bounding_box()  # type: ignore[attr-defined]
    assert title is not None and title["width"] >= (PHONE["width"] - 40 if touch else 600), title
    _press(page, "Close", touch=touch)
    _destination(page, "Settings", touch=touch)
    _press(page, "Programs", touch=touch)
    assert page.sees("Back to Settings")
    for name in ("Support", "Lock"):
        assert page.page.get_by_role("button", name=name, exact=True).count() == 1, name  # type: ignore[attr-defined]
    _audited(page, "sub-page (Programs)", found)
    assert not any(found.values()), _report(found)


def _made(folder: Path, text_scale: float = 1.0) -> None:
    opened, _key = vault.create(folder, PASSPHRASE, kdf.TEST)
    try:
        opened.add(EntryChanges(title="Teaching rounds", body="A long day, and one good moment in it."))
        if text_scale != 1.0:
            opened.put_document(SETTINGS, "ui", {"text_scale": text_scale})
    finally:
        opened.lock()


def _focused(screen: Screen) -> str:
    return str(screen.page.evaluate(FOCUSED_NAME))  # type: ignore[attr-defined]


def _tab_to(screen: Screen, name: str, key: str = "Tab", limit: int = 40) -> list[str]:
    """Press Tab (or Shift+Tab) until the control named `name` has the keyboard; the names passed."""
    passed = []
    for _ in range(limit):
        screen.page.keyboard.press(key)  # type: ignore[attr-defined]
        time.sleep(0.4)
        passed.append(_focused(screen))
        if passed[-1] == name:
            return passed
    raise AssertionError(f"{key} never reached {name!r}: {passed}")


def _tab_to_element(screen: Screen, tag: str, limit: int = 40) -> None:
    """Tab until a field of this kind (TEXTAREA: the reflection) has the keyboard. A focused field's
    name is not on Flutter's editing element, so it is found by its kind."""
    for _ in range(limit):
        screen.page.keyboard.press("Tab")  # type: ignore[attr-defined]
        time.sleep(0.5)
        if screen.page.evaluate("document.activeElement && document.activeElement.tagName") == tag:  # type: ignore[attr-defined]
            return
    raise AssertionError(f"Tab never reached a {tag}")


def test_the_daily_flow_by_keyboard_alone(browser, tmp_path):
    """Unlock, check in (energy 7 by arrows, a drain by Space, the night shift from the dropdown), write,
    save and lock with the keyboard only, in order; the vault holds exactly what was chosen."""
    folder = tmp_path / "vault"
    _made(folder)
    with _serving(folder, tmp_path / "server.log") as url:
        context = browser.new_context(viewport=DESKTOP)
        page = Screen(context.new_page()).open(url)
        keys = page.page.keyboard  # type: ignore[attr-defined]
        assert page.sees("Welcome back")
        keys.type(PASSPHRASE, delay=15)  # the passphrase field has the keyboard when the page opens
        time.sleep(0.3)
        keys.press("Enter")
        assert page.sees("Quick check-in", timeout=20)
        time.sleep(1.0)
        # The app bar first, then the check-in: no long walk before the day's first control.
        assert len(_tab_to(page, "Set energy")) <= 8
        keys.press("Enter")
        time.sleep(1.0)
        keys.press("Tab")  # the button is gone; the slider that replaced it is next
        time.sleep(0.4)
        for _ in range(2):
            keys.press("ArrowRight")
            time.sleep(0.4)
        assert page.sees("Energy: 7 of 10")
        # What a screen reader hears: the value in words, not Flutter's percentage.
        page.page.wait_for_selector('input[role=slider][aria-valuetext="Energy, 7 of 10"]', state="attached")  # type: ignore[attr-defined]
        _tab_to(page, "pager")
        keys.press("Space")
        time.sleep(0.6)
        # A chip says whether it is chosen: a checkbox, checked once chosen.
        chip = page.page.locator('[role=checkbox][aria-label="pager"]').first  # type: ignore[attr-defined]
        assert chip.get_attribute("aria-checked") == "true"
        other = page.page.locator('[role=checkbox][aria-label="charting"]').first  # type: ignore[attr-defined]
        assert other.get_attribute("aria-checked") == "false"
        _tab_to(page, "a diagnosis made")  # the last fuel, then "Add a fuel", then the Shift menu
        for _ in range(2):
            keys.press("Tab")
            time.sleep(0.5)
        keys.press("Enter")  # opens the menu
        time.sleep(1.0)
        for _ in range(4):  # off, day, evening, night
            keys.press("ArrowDown")
            time.sleep(0.4)
        keys.press("Enter")
        time.sleep(1.0)
        shift = page.page.locator("[flt-semantics-identifier=checkin-shift]").first  # type: ignore[attr-defined]
        assert shift.text_content() == "Shift night"
        _tab_to(page, "Save check-in")
        keys.press("Enter")
        assert page.sees("Check-in saved")
        _tab_to_element(page, "TEXTAREA")
        keys.type("Slept four hours. The team was kind.", delay=15)
        time.sleep(0.5)
        assert _tab_to(page, "Save entry", limit=3)  # straight after the words, not pages later
        keys.press("Enter")
        assert page.sees("Saved. It is in your journal")
        _tab_to(page, "Lock", key="Shift+Tab")
        keys.press("Enter")
        assert page.sees("Welcome back")
        context.close()
    opened = vault.unlock(folder, PASSPHRASE)
    try:
        stored = opened.entries(with_bodies=True)
    finally:
        opened.lock()
    checkins = [(e.energy, e.drains, e.shift) for e in stored if not e.title and not e.body]
    written = [(e.body, e.energy, e.shift) for e in stored if e.body and not e.title]
    assert checkins == [(7, ("pager",), "night")]
    assert written == [("Slept four hours. The team was kind.", None, None)]


def _fits(name: str, box: dict[str, float] | None) -> None:
    assert box is not None, f"{name!r} is not on the page"
    width, height = PHONE["width"], PHONE["height"]
    inside = box["x"] >= 0 and box["x"] + box["width"] <= width + 1 and 0 <= box["y"] <= height - 20
    assert inside, f"{name!r} is pushed off the screen at 200% text: {box}"


def _on_screen(screen: Screen, name: str, role: str | None = None) -> None:
    _fits(name, screen.reveal(name, role).bounding_box())  # type: ignore[attr-defined]


def test_text_at_200_percent_keeps_today_and_journal_usable_on_a_phone(device, tmp_path):
    """With the app's text size at 200%, Today's and Journal's key controls fit the phone's width and
    come into view when scrolled to; the app bar and the navigation bar stay on the screen."""
    folder = tmp_path / "vault"
    _made(folder, text_scale=2.0)
    with _serving(folder, tmp_path / "server.log") as url:
        page = device("phone").open(url)
        page.type("Passphrase", PASSPHRASE, touch=True)
        page.tap("Unlock")
        assert page.sees("Quick check-in", timeout=20)
        for name in ("Support", "Lock"):
            _on_screen(page, name, "button")
        for name in (
            "Set energy",
            "Save check-in",
            "Title (optional)",
            "Write your reflection",
            "Save entry",
        ):
            _on_screen(page, name, "button" if name.startswith(("Set", "Save")) else None)
        for name in ("Today", "Journal", "Settings"):
            _on_screen(page, name, "tab")
        title = page.page.get_by_text("Purpose", exact=True).first.bounding_box()  # type: ignore[attr-defined]
        assert title is not None and title["height"] >= 36, title  # the app bar's 20 px title, doubled
        page.page.get_by_role("tab", name="Journal").first.tap(force=True)  # type: ignore[attr-defined]
        time.sleep(1.0)
        _on_screen(page, "Search")
        _on_screen(page, "Filters", "button")
        assert page.sees("Teaching rounds")
        page.tap("Filters")
        for name in ("From", "To"):
            _on_screen(page, name)
        for name in ("Tag", "Shift"):  # a dropdown's name holds its value too: "Tag not set"
            named = page.page.locator("flt-semantics[role=button]", has_text=f"{name} not set").first  # type: ignore[attr-defined]
            _fits(name, named.bounding_box())
