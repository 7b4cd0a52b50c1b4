"""The daily flow in a real browser: what the app shows is what the vault stores (issue 13)."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

from conftest import NEW_PASSPHRASE, PASSPHRASE

from e2e.conftest import PHONE
from e2e.test_app_e2e import _create
from purpose_app.crypto import kdf
from purpose_app.domain.entry import Entry
from purpose_app.services import backup, vault
from purpose_app.services.reflection import PROGRAMME, WHY
from purpose_app.ui.selfcheck_model import quick_options

BACKUP_PASSPHRASE = "a lantern for the backup"


@contextlib.contextmanager
def _opened(folder: Path) -> Iterator[vault.Vault]:
    """A second reader of the served vault (SQLite WAL allows it), locked afterwards."""
    opened = vault.unlock(folder, PASSPHRASE)
    try:
        yield opened
    finally:
        opened.lock()


def _stored(folder: Path) -> list[Entry]:
    with _opened(folder) as opened:
        return opened.entries(with_bodies=True)


def _choose_shift(page, shift: str) -> None:
    """The Shift dropdown, named "Shift" with its choice (issue 14), opened where it is; its options
    are named buttons."""
    page.reveal("Add a fuel")
    page.page.locator("[flt-semantics-identifier=checkin-shift]").first.click(force=True)
    time.sleep(1.0)
    page.page.get_by_role("button", name=shift, exact=True).first.click(force=True)
    time.sleep(0.8)


def _set_energy(page, energy: int) -> None:
    """From the middle (5) with the slider's arrow keys, as a keyboard user would."""
    page.click("Set energy")
    slider = page.page.locator("input[role=slider]").first
    slider.focus()
    key = "ArrowRight" if energy > 5 else "ArrowLeft"
    for _ in range(abs(energy - 5)):
        page.page.keyboard.press(key)
        time.sleep(0.3)
    assert page.sees(f"Energy: {energy} of 10")


def test_check_in_twice_then_write_stores_what_was_shown(server, screen, tmp_path):
    """One check-in with its energy, drain and shift; a second tap stores nothing; the entry written
    next carries none of the check-in."""
    page = _create(screen, server, PHONE)
    _set_energy(page, 7)
    page.click("pager", role="checkbox")
    _choose_shift(page, "night")
    page.click("Save check-in")
    assert page.sees("Check-in saved at")
    assert page.sees("energy 7 of 10, night shift, pager.")  # what was chosen, as it will be stored
    page.click("Change")
    assert page.sees("Energy: not set")
    page.click("Save check-in")
    assert page.sees("Your check-in is already saved")
    page.type("Title (optional)", "After the night")
    page.type("Write your reflection", "Slept four hours. The team was kind.")
    page.click("Save entry")
    assert page.sees("Saved", timeout=10)
    time.sleep(1)
    stored = _stored(tmp_path / "vault")
    checkins = [e for e in stored if not e.title and not e.body]
    written = [e for e in stored if e.body]
    assert len(stored) == 2, stored
    assert [(e.energy, e.drains, e.shift) for e in checkins] == [(7, ("pager",), "night")]
    assert [(e.title, e.energy, e.drains, e.shift) for e in written] == [("After the night", None, (), None)]


def _type_into(page, field, text: str) -> None:
    """Screen.type for a field found by locator, not by its exact name."""
    for _ in range(3):
        field.click(force=True)
        time.sleep(0.6)
        page.page.keyboard.press("Control+A")
        page.page.keyboard.press("Backspace")
        page.page.keyboard.type(text, delay=15)
        time.sleep(0.3)
        if page.page.evaluate("document.activeElement && document.activeElement.value") == text:
            time.sleep(0.4)
            return
    raise AssertionError(f"could not type {text!r}")


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"]
        and inner["y"] >= outer["y"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    )


def test_quick_check_answers_lie_inside_the_dialog_on_a_phone(server, screen):
    """Each of the five answers, words and all, is drawn inside the quick check's dialog at 390x844."""
    page = _create(screen, server, PHONE)
    page.tab("Trends")
    page.click("Quick check (ten seconds)")
    assert page.sees("Using your own definition of burnout")
    # Flutter names the dialog's own node "Alert"; the full-screen node around it is the barrier.
    dialog = page.page.locator("[role=alertdialog] [aria-label=Alert]").first.bounding_box()
    assert dialog is not None and dialog["width"] <= PHONE["width"]
    for _key, label in quick_options():
        answer = page.page.get_by_label(label, exact=True).first.bounding_box()
        assert answer is not None, label
        assert answer["width"] > 200, (label, answer)  # the row with its words, not the radio alone
        assert _inside(answer, dialog), (label, answer, dialog)


def test_support_opens_from_the_copenhagen_form(server, screen):
    """The Copenhagen form, a full page, has its own Support button, and it opens the support dialog."""
    page = _create(screen, server, PHONE)
    page.tab("Trends")
    page.click("Copenhagen check (a few minutes)")
    assert page.sees("Copenhagen Burnout Inventory")
    assert page.page.get_by_role("tab", name="Today").count() == 0  # the shell (and its button) is gone
    page.click("Support")
    assert page.sees("In an emergency, call your local emergency number.")
    assert page.page.locator("[role=alertdialog]").count() >= 1


def test_journal_preview_and_the_entry_window_edit_tags_and_energy(server, screen, tmp_path):
    """An untitled entry's row shows its first line; opened from Journal, its tags and energy are
    changed and saved, and the vault holds them."""
    page = _create(screen, server, PHONE)
    page.type("Write your reflection", "Coffee with the night nurse\nShe noticed before I did.")
    page.click("Save entry")
    assert page.sees("Saved", timeout=10)
    page.tab("Journal")
    row = page.page.locator("flt-semantics[role=button]", has_text="Coffee with the night nurse").first
    row.wait_for(state="attached", timeout=10_000)
    assert not page.sees("Untitled entry", timeout=1)
    row.click(force=True)
    time.sleep(1)
    page.type("Tags (separate with commas)", "nurses, thanks")
    _set_energy(page, 3)
    page.click("Save changes")
    time.sleep(1.5)
    [entry] = _stored(tmp_path / "vault")
    assert (entry.title, entry.tags, entry.energy) == ("", ("nurses", "thanks"), 3)
    assert entry.body.startswith("Coffee with the night nurse")


def test_start_a_programme_and_write_my_why(server, screen, tmp_path):
    """From Settings: a programme started and a why written are both in the vault."""
    page = _create(screen, server, PHONE)
    page.tab("Settings")
    page.click("Programs")
    page.click("Start")
    time.sleep(1)
    page.click("Back to Settings")
    page.click("My why")
    # The field's accessible name carries the explanation above it too (reported), so it is found by
    # how its name ends.
    field = page.page.locator('textarea[aria-label$="My why"]').first
    _type_into(page, field, "To sit with people on their worst day and make it a little less lonely.")
    page.click("Save my why")
    time.sleep(1)
    with _opened(tmp_path / "vault") as opened:
        programmes = opened.documents(PROGRAMME)
        why = opened.document(WHY, "statement", [])
    assert len(programmes) == 1, programmes
    assert [state["status"] for state in programmes.values()] == ["running"]  # type: ignore[index]
    assert [v["text"] for v in why] == [  # type: ignore[index,union-attr]
        "To sit with people on their worst day and make it a little less lonely."
    ]


def test_import_jrnl_then_download_a_backup_that_restores_and_a_report(server, screen, tmp_path):
    """From Settings: a jrnl JSON file is imported into the vault; the downloaded backup restores into
    a new vault holding that entry; the downloaded report is a PDF."""
    exported = tmp_path / "jrnl.json"
    entry = {"title": "Called in sick.", "body": "Used the time to rest.", "date": "2024-06-28",
             "time": "18:22", "tags": ["@home"], "starred": False}  # fmt: skip
    exported.write_text(json.dumps({"tags": {}, "entries": [entry]}))
    page = _create(screen, server, PHONE)
    page.tab("Settings")
    with page.page.expect_file_chooser(timeout=15_000) as chooser:
        page.click("Choose a file to import")
    chooser.value.set_files(str(exported))
    time.sleep(2)
    assert [e.title for e in _stored(tmp_path / "vault")] == ["Called in sick."]

    page.click("Make an encrypted backup…")
    page.type("Backup passphrase", BACKUP_PASSPHRASE)
    page.type("Confirm backup passphrase", BACKUP_PASSPHRASE)
    with page.page.expect_download(timeout=30_000) as download:
        page.click("Make backup")
    saved = tmp_path / "journal.backup"
    download.value.save_as(saved)
    contents = backup.read_backup(saved, BACKUP_PASSPHRASE)
    restored, _key, _summary = backup.restore_new(tmp_path / "restored", contents, NEW_PASSPHRASE, kdf.TEST)
    try:
        assert [e.title for e in restored.entries()] == ["Called in sick."]
    finally:
        restored.lock()

    with page.page.expect_download(timeout=30_000) as download:
        page.click("Download the report (PDF)")
    report = tmp_path / "report.pdf"
    download.value.save_as(report)
    assert report.read_bytes().startswith(b"%PDF")
