"""The pages reached from other screens, on a real Flet page without a browser: programmes, my why,
self-check history, packs for facilitators, and restoring a backup. Each asserts what reached the vault."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import flet as ft
import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE, MadeVault
from test_screens import Tab

from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.services import vault
from purpose_app.services.library import Library
from purpose_app.services.reflection import PROGRAMME, Reflection
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.services.session import Session
from purpose_app.ui.data_model import DataModel
from purpose_app.ui.screens import today
from purpose_app.ui.screens.facilitator import FacilitatorScreen
from purpose_app.ui.screens.programmes import ProgrammesScreen
from purpose_app.ui.screens.restore import RestoreNewScreen, ask_merge
from purpose_app.ui.screens.selfcheck_history import SelfCheckHistoryScreen


@pytest.fixture
def unlocked_tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    """One unlocked tab; the typing timer that keeps drafts does not fire mid-test."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    tab = Tab(made_vault.folder)
    tab.unlock()
    yield tab
    tab.close()


def stored(made_vault: MadeVault, kind: str) -> dict[str, object]:
    """One kind of document as a fresh unlock reads it."""
    opened = made_vault.open()
    try:
        return dict(opened.documents(kind))
    finally:
        opened.lock()


def test_settings_reaches_programmes_and_start_is_stored(unlocked_tab: Tab, made_vault: MadeVault) -> None:
    """Settings > Programs lists the programmes; Start stores a running one and the page says Day 1."""
    tab = unlocked_tab
    tab.app.go("Settings")
    tab.click("Programs")
    assert tab.shown("Three Good Things") and tab.has_button("Back to Settings")
    starts = [c for c in tab.controls() if isinstance(c, ft.FilledButton) and c.content == "Start"]
    assert len(starts) == 3
    screen = ProgrammesScreen(tab.app, "Settings")
    screen.show()
    good = next(r for r in screen.model.rows() if r.pack_id == "three-good-things")
    screen.act(good, "start")
    assert tab.shown("Day 1 of 15. 0 of 15 days done.")
    assert stored(made_vault, PROGRAMME)["three-good-things"]["status"] == "running"  # type: ignore[index]
    tab.click("Back to Settings")
    assert tab.app.current == "Settings"


def test_stop_asks_first_then_forgets_the_programme(unlocked_tab: Tab, made_vault: MadeVault) -> None:
    """Stop opens a clear question; "Stop program" removes the stored programme."""
    tab = unlocked_tab
    screen = ProgrammesScreen(tab.app)
    screen.model.act("three-questions", "start")
    screen.show()
    tab.click("Stop")
    assert any("Stop Three" in str(d.title.value) for d in tab.dialogs())
    tab.click("Stop program")
    assert "three-questions" not in stored(made_vault, PROGRAMME)


def test_a_wrong_merge_passphrase_is_said_in_the_dialog(unlocked_tab: Tab, made_vault: MadeVault) -> None:
    """Settings > Restore: a wrong backup passphrase is shown in the dialog; the journal is unchanged."""
    tab = unlocked_tab
    tab.session.require().add(EntryChanges(body="kept"))
    data, _count = DataModel(tab.session).backup_bytes("backup words here", "backup words here")
    tab.app.go("Settings")
    card = tab.app.screens["Settings"].data  # type: ignore[attr-defined]
    ask_merge(tab.app, card.model, data, "b.backup", card.message, card.progress)
    tab.type_into("Backup passphrase", "not the one")
    tab.click("Merge")
    assert tab.shown("That passphrase does not open this backup. Nothing was changed.")
    tab.type_into("Backup passphrase", "backup words here")
    tab.click("Merge")
    assert tab.shown("Merged the backup: 0 new entries, 0 updated.")
    fresh = made_vault.open()
    try:
        assert fresh.count() == 1
    finally:
        fresh.lock()


def test_the_report_button_makes_the_pdf_of_the_chosen_period(unlocked_tab: Tab) -> None:
    """The report section hands over a PDF named after its period and says it is being saved."""
    tab = unlocked_tab
    tab.app.go("Settings")
    card = tab.app.screens["Settings"].data  # type: ignore[attr-defined]
    card.period.value = "30"
    made = card.report()
    assert made is not None and made[0].startswith(b"%PDF") and made[1].endswith(".pdf")
    assert tab.shown("Saving the report…")


def test_my_why_from_settings_is_saved_and_versions_shown(unlocked_tab: Tab, made_vault: MadeVault) -> None:
    """Write, then rewrite: both versions stored; the earlier one is listed under the editor."""
    tab = unlocked_tab
    tab.app.go("Settings")
    tab.click("My why")
    tab.type_into("My why", "To be there on the worst day.")
    tab.click("Save my why")
    assert tab.shown("Saved. Earlier versions are always kept.")
    tab.type_into("My why", "To be there, and come home whole.")
    tab.click("Save my why")
    assert tab.shown("To be there on the worst day.") and tab.shown("Earlier versions")
    opened = made_vault.open()
    try:
        assert [v["text"] for v in Reflection(Library(opened)).why_history()] == [
            "To be there on the worst day.",
            "To be there, and come home whole.",
        ]
    finally:
        opened.lock()


def test_an_empty_why_shows_the_message_and_keeps_the_old(unlocked_tab: Tab, made_vault: MadeVault) -> None:
    """Saving an empty why says so kindly; what was stored stays."""
    tab = unlocked_tab
    tab.app.go("Settings")
    tab.click("My why")
    tab.type_into("My why", "Curiosity.")
    tab.click("Save my why")
    tab.type_into("My why", "  ")
    tab.click("Save my why")
    assert tab.shown("Your why is empty. A sentence or two is plenty.")
    opened = made_vault.open()
    try:
        assert Reflection(Library(opened)).my_why() == "Curiosity."
    finally:
        opened.lock()


def test_trends_reaches_the_history_and_one_result(unlocked_tab: Tab) -> None:
    """Trends > Self-check history lists a stored quick check; tapping it shows its answer in full."""
    tab = unlocked_tab
    result = SelfChecks(tab.session.require()).record_quick(2, datetime(2024, 3, 3, 21, 40, tzinfo=UTC))
    tab.app.go("Trends")
    tab.click("Self-check history")
    assert tab.shown("Quick check · Mar 3, 2024, 21:40") and tab.shown("2 of 5")
    screen = SelfCheckHistoryScreen(tab.app)
    screen.show()
    screen.open_result(result.id)
    assert tab.shown("You chose 2 of 5. Thank you for checking in with yourself.")
    tab.click("All results")
    assert tab.shown("2 of 5")


def test_packs_reaches_facilitator_identity_and_trust(unlocked_tab: Tab, made_vault: MadeVault) -> None:
    """Packs > Packs for facilitators: create an identity (stored and trusted), then stop trusting it
    through a clear dialog (the trust is gone from the vault)."""
    tab = unlocked_tab
    tab.app.go("Packs")
    tab.click("Packs for facilitators")
    tab.type_into("Signing name", "Dr Ada, Tuesday group")
    tab.click("Create signing identity")
    signer = Library(tab.session.require()).identity()
    assert signer is not None and tab.shown(f"Fingerprint: {signer.signer.fingerprint}")
    assert signer.signer.fingerprint in stored(made_vault, "trusted-signer")
    tab.click("Stop trusting Dr Ada, Tuesday group")
    assert any("Stop trusting" in str(d.title.value) for d in tab.dialogs())
    tab.click("Stop trusting")
    assert tab.shown("You no longer trust Dr Ada, Tuesday group.")
    assert stored(made_vault, "trusted-signer") == {}


def test_a_pack_without_prompts_says_what_is_missing(unlocked_tab: Tab) -> None:
    """Making a pack with nothing chosen shows the message and gives no file."""
    screen = FacilitatorScreen(unlocked_tab.app)
    screen.show()
    screen.name.value = "Tuesday group"
    assert screen.make_pack() is None
    assert unlocked_tab.shown("Choose at least one prompt for the pack.")


def test_welcome_restores_a_backup_into_a_new_journal(
    made_vault: MadeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the welcome screen, "Restore from a backup" makes a new journal from the file, then shows
    its recovery key; the entries are in the new vault, opened with the new passphrase."""
    source = Session(made_vault.folder, kdf_params=kdf.TEST)
    source.unlock(PASSPHRASE)
    source.require().add(EntryChanges(body="canary-welcome-restore"))
    data, _count = DataModel(source).backup_bytes("backup words here", "backup words here")
    source.lock()
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    tab = Tab(tmp_path / "new-phone", width=390)
    try:
        assert tab.has_button("Restore from a backup")
        shown: list[str] = []
        screen = RestoreNewScreen(tab.app, shown.append)
        screen.show()
        screen.restore()  # no file yet
        assert tab.shown("Choose the backup file first.")
        screen.choose(data, "purpose-backup-2024-03-03.backup")
        screen.backup_pass.value = "backup words here"
        screen.new.value = screen.confirm.value = NEW_PASSPHRASE
        tab.click("Restore")
        assert len(shown) == 1 and tab.session.unlocked
    finally:
        tab.close()
    reopened = vault.unlock(tmp_path / "new-phone", NEW_PASSPHRASE)
    try:
        assert [e.body for e in reopened.entries(with_bodies=True)] == ["canary-welcome-restore"]
    finally:
        reopened.lock()


def test_a_wrong_backup_passphrase_on_welcome_makes_no_vault(made_vault: MadeVault, tmp_path: Path) -> None:
    """A wrong backup passphrase is said on the restore page; no vault is made and the page stays."""
    source = Session(made_vault.folder, kdf_params=kdf.TEST)
    source.unlock(PASSPHRASE)
    data, _count = DataModel(source).backup_bytes("backup words here", "backup words here")
    source.lock()
    tab = Tab(tmp_path / "new-phone", width=390)
    try:
        shown: list[str] = []
        screen = RestoreNewScreen(tab.app, shown.append)
        screen.show()
        screen.choose(data, "b.backup")
        screen.backup_pass.value = "not it"
        screen.new.value = screen.confirm.value = NEW_PASSPHRASE
        tab.click("Restore")
        assert tab.shown("That passphrase does not open this backup. Nothing was changed.")
        assert shown == [] and not tab.session.exists and not tab.session.unlocked
    finally:
        tab.close()
