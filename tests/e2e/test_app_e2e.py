"""The real app in a real browser: the promises a person relies on, end to end."""

from __future__ import annotations

import time

from conftest import PASSPHRASE

from e2e.conftest import DESKTOP, PHONE

WRONG = "not my passphrase at all"


def _create(screen, url, viewport=PHONE):
    page = screen(viewport).open(url)
    assert page.sees("Welcome to Purpose")
    for _attempt in range(3):  # the strength hint moves only once the server has the passphrase
        page.type("Passphrase", PASSPHRASE)
        if page.sees("Strong.", timeout=5):
            break
    else:
        raise AssertionError("the passphrase never reached the app (its strength hint did not change)")
    page.type("Confirm passphrase", PASSPHRASE)
    page.click("Create journal")
    assert page.sees("Your recovery key", timeout=20)
    page.click("I have saved it", role="checkbox")
    page.click("Continue")
    assert page.sees("Quick check-in", timeout=20)
    return page


def _unlock(page, passphrase=PASSPHRASE):
    assert page.sees("Welcome back")
    page.type("Passphrase", passphrase)
    page.click("Unlock")


def test_write_from_the_daily_prompt_find_it_lock_unlock_still_there(server, screen):
    """Create a journal, answer the daily prompt, find the entry by search, lock, unlock: it is there."""
    page = _create(screen, server)
    page.type("Title (optional)", "Stairwell thoughts")
    page.type("Write your reflection", "A quiet minute in the stairwell before the family meeting.")
    page.click("Save entry")
    assert page.sees("Saved", timeout=10)
    page.tab("Journal")
    page.type("Search", "stairwell")
    assert page.sees("Stairwell thoughts")
    page.click("Lock")
    _unlock(page)
    page.tab("Journal")
    assert page.sees("Stairwell thoughts")


def test_a_second_browser_stays_locked_while_the_first_is_unlocked(server, screen):
    """Each browser session is separate: unlocking one never unlocks another."""
    first = _create(screen, server)
    second = screen(PHONE).open(server)
    assert second.sees("Welcome back")
    assert not second.sees("Quick check-in", timeout=2)
    assert first.sees("Quick check-in")


def test_wrong_passphrase_is_shown_calmly_and_the_right_one_works(server, screen):
    """A wrong passphrase says so and what to do; nothing unlocks; the right one then opens."""
    first = _create(screen, server)
    first.click("Lock")
    _unlock(first, WRONG)
    assert first.sees("That passphrase does not open this journal", timeout=15)
    assert not first.sees("Quick check-in", timeout=1)
    _unlock(first)
    assert first.sees("Quick check-in", timeout=15)


def test_an_invalid_pack_file_shows_its_validation_error(server, screen, tmp_path):
    """Importing a broken pack shows what is wrong, and the pack list is unchanged."""
    broken = tmp_path / "broken.toml"
    broken.write_text(
        'format = 1\nid = "lantern-circle"\nname = "Lantern circle"\n[[prompts]]\ntext = "unterminated\n'
    )
    page = _create(screen, server)
    page.tab("Packs")
    with page.page.expect_file_chooser(timeout=15_000) as chooser:
        page.click("Import a pack")
    chooser.value.set_files(str(broken))
    assert page.sees("This pack cannot be used", timeout=15)
    assert not page.sees("Lantern circle", timeout=1)


def _unlock_demo(screen, url, viewport):
    page = screen(viewport).open(url)
    _unlock(page)
    assert page.sees("Quick check-in", timeout=20)
    return page


def test_screens_with_three_months_of_check_ins(demo_server, screen):
    """Today, Journal and Trends at phone and desktop sizes on a lived-in journal (README screenshots):
    the phone has a navigation bar, the desktop a rail; Trends draws its charts with their sentences."""
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = _unlock_demo(screen, demo_server, viewport)
        page.shot(f"{name}-today")
        assert page.page.get_by_role("tab", name="Journal").count() == (1 if name == "phone" else 0)
        page.tab("Journal")
        assert page.sees("Teaching rounds") or page.sees("After the family meeting")
        page.shot(f"{name}-journal")
        page.tab("Trends")
        assert page.sees("Energy, day by day")
        assert page.sees("days with a check-in")
        time.sleep(2.5)  # chart images arrive after the text
        page.shot(f"{name}-trends")


def test_the_served_app_opens_only_from_the_printed_address(server, browser):
    """Without this run's token (another site's page, another local user), the app is not served."""
    from urllib.parse import urlsplit

    parts = urlsplit(server)
    bare = f"{parts.scheme}://{parts.netloc}/"
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(bare)
        assert response is not None and response.status == 403
        assert "Open it from the address that `purpose app` printed" in page.content()
        assert page.locator("flt-glass-pane, flutter-view").count() == 0  # no Flutter app was started
        response = page.goto(server)  # the printed address: in, and the token leaves the address bar
        assert response is not None and response.status == 200
        assert "token=" not in page.url
    finally:
        context.close()
