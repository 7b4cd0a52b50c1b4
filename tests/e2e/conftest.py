"""The served app in headless Chromium (Debian's), driven by Playwright through Flutter's
accessibility tree. Each test gets its own server and vault."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package for the e2e tests.")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _serving(vault_dir: Path, log_path: Path) -> Iterator[str]:
    """`purpose app --no-browser` on a free port for this vault folder; yields its URL."""
    port = _free_port()
    env = {**os.environ, "PURPOSE_KDF_PROFILE": "test", "PURPOSE_VAULT": str(vault_dir)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "purpose_app", "app", "--no-browser", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        url = ""
        while not url:
            # The address with this run's token, as `purpose app` prints it for the person to open.
            found = re.search(r"running at (http://\S+)", log_path.read_text(errors="replace"))
            if found:
                url = found.group(1)
            elif time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"the app server did not start: {log_path.read_text()[-2000:]}")
            else:
                time.sleep(0.2)
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # it answered (the redirect to "/" without the cookie is refused): it is up
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    pytest.fail(f"the app server did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.2)
        try:
            yield url
        finally:
            process.terminate()  # a Flet server that served many sessions may ignore SIGTERM: then kill
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app with no vault yet (first run)."""
    with _serving(tmp_path / "vault", tmp_path / "server.log") as url:
        yield url


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[str]:
    """The app with a vault holding three months of seeded check-ins (for honest screenshots)."""
    from e2e.demo import seed

    seed(tmp_path / "vault")
    with _serving(tmp_path / "vault", tmp_path / "server.log") as url:
        yield url


class Screen:
    """A page of the app, with the few moves every test needs."""

    def __init__(self, page: object) -> None:
        self.page = page

    def open(self, url: str) -> Screen:
        page = self.page
        page.goto(url)  # type: ignore[attr-defined]
        page.wait_for_selector("#loading", state="detached", timeout=30_000)  # type: ignore[attr-defined]
        time.sleep(0.4)
        page.locator("flt-semantics-placeholder").dispatch_event("click")  # type: ignore[attr-defined]
        time.sleep(1.2)  # let Flutter build its accessibility tree before the first keystroke
        return self

    def reveal(self, label: str, role: str | None = None) -> object:
        """The control with this accessible name, scrolled (Flutter-side, with the mouse wheel) into
        the middle band of the screen, clear of the app bar and the phone's navigation bar."""
        page = self.page
        by_label = page.get_by_label(label, exact=True)  # type: ignore[attr-defined]
        # An icon button with a tooltip is named by aria-label, not always with role=button.
        found = (
            page.get_by_role(role, name=label, exact=True).or_(by_label)
            if role  # type: ignore[attr-defined]
            else by_label
        ).first
        height = page.viewport_size["height"]  # type: ignore[attr-defined]
        # On a phone a message (SnackBar) floats 96 px above the navigation bar for 4 s, up to ~100 px
        # tall: a control under it cannot be tapped, so the band ends above it.
        bottom = 230 if page.viewport_size["width"] < 700 else 110  # type: ignore[attr-defined]
        for _ in range(20):
            try:  # the node can be redrawn between count() and bounding_box(): then look again
                box = found.bounding_box(timeout=2000) if found.count() else None  # type: ignore[attr-defined]
            except Exception:  # playwright timed out on a node that went away
                box = None
            if box and box["y"] > 70 and box["y"] + min(box["height"], 80) < height - bottom:
                break
            below = box is None or box["y"] > height / 2
            page.mouse.move(195, height / 2)  # type: ignore[attr-defined]
            page.mouse.wheel(0, 250 if below else -250)  # type: ignore[attr-defined]
            time.sleep(0.35)
        return found

    def type(self, label: str, text: str, *, touch: bool = False) -> None:
        """Type into a field and make sure it took: Flutter can drop keys typed while it syncs focus.
        The text lives in Flutter's own editing element (the focused one), not in the semantics node.
        With `touch`, the field is tapped (a context with has_touch), not clicked."""
        field = self.reveal(label)
        page = self.page
        typed = ""
        for _ in range(3):
            # force: Flutter's scrollable semantics node sits over its children in the DOM, so
            # Playwright's hit check says "intercepted" although the click lands where it should.
            if touch:
                field.tap(force=True)  # type: ignore[attr-defined]
            else:
                field.click(force=True)  # type: ignore[attr-defined]
            time.sleep(0.6)
            page.keyboard.press("Control+A")  # type: ignore[attr-defined]
            page.keyboard.press("Backspace")  # type: ignore[attr-defined]
            page.keyboard.type(text, delay=15)  # type: ignore[attr-defined]
            time.sleep(0.3)
            typed = page.evaluate("document.activeElement && document.activeElement.value")  # type: ignore[attr-defined]
            if typed == text:
                time.sleep(0.4)  # let the last change reach the server before the next move
                return
        raise AssertionError(f"could not type into {label!r}: it holds {typed!r}")

    def click(self, name: str, role: str = "button") -> None:
        self.reveal(name, role).click(force=True)  # type: ignore[attr-defined]
        time.sleep(0.6)

    def tap(self, name: str, role: str = "button") -> None:
        """click() for a phone (a context made with has_touch and is_mobile): a touch tap, which
        Flutter takes as a tap on the semantics node. Scrolling into view (reveal) still uses the
        mouse wheel, which Chromium delivers in touch emulation too."""
        self.reveal(name, role).tap(force=True)  # type: ignore[attr-defined]
        time.sleep(0.6)

    def tab(self, name: str) -> None:
        """A navigation destination: a tab on a phone, a rail button on a desktop."""
        page = self.page
        tab = page.get_by_role("tab", name=name)  # type: ignore[attr-defined]
        if tab.count():
            tab.first.click(force=True)
        else:
            page.get_by_role("button", name=name).first.click(force=True)  # type: ignore[attr-defined]
        time.sleep(0.8)

    def sees(self, text: str, timeout: float = 10) -> bool:
        page = self.page
        # Flutter puts static text either in a node's text or, merged with its neighbours, in aria-label.
        locator = page.get_by_text(text).or_(page.get_by_label(text)).first  # type: ignore[attr-defined]
        try:
            locator.wait_for(state="attached", timeout=timeout * 1000)
        except Exception:  # playwright timed out: the text is not there
            self.page.screenshot(path=f"/tmp/e2e-missing-{text[:20].replace(' ', '_')}.png")  # type: ignore[attr-defined]
            return False
        return True

    def shot(self, name: str) -> None:
        self.page.mouse.move(1, 1)  # type: ignore[attr-defined]  # no hover tooltip in the picture
        time.sleep(0.6)  # the canvas can lag the accessibility tree
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))  # type: ignore[attr-defined]


@pytest.fixture
def screen(browser: object) -> Iterator[object]:
    """A factory: screen(viewport) -> Screen in a fresh browser context (its own session)."""
    contexts = []

    def make(viewport: dict[str, int] = PHONE) -> Screen:
        context = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
        contexts.append(context)
        return Screen(context.new_page())

    yield make
    for context in contexts:
        context.close()
