"""The real screens and App shell on a real Flet Page, without a browser.

Each "tab" is a genuine flet Session and Page driven in-process over a recording Connection (every
message is packed the way Flet's socket server packs it, so control.update() and the page diffs work as
served). Controls are found by walking the control tree generically and handlers are fired by calling
them. Two things are out of scope here and left to the view-model and e2e tests: services that await
the client (Clipboard, FilePicker: "Copy to clipboard", "Import a pack") and the background tasks
started with page.run_task (the idle watch and the group timer), which are recorded, not run.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import flet as ft
import msgpack
import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE, MadeVault
from flet.controls.base_control import BaseControl
from flet.messaging.connection import Connection
from flet.messaging.protocol import (
    Message,
    MessageAction,
    RegisterClientResponseBody,
    configure_encode_object_for_msgpack,
)
from flet.messaging.session import Session as FletSession
from flet.pubsub.pubsub_hub import PubSubHub

from purpose_app import messages
from purpose_app.domain.entry import EntryChanges
from purpose_app.services.library import Library
from purpose_app.services.session import Session
from purpose_app.storage.location import DATABASE_NAME
from purpose_app.ui import app as app_module
from purpose_app.ui.screens import group, today

DESTINATIONS = ["Today", "Journal", "Trends", "Packs", "Settings"]
PHONE, DESKTOP = 390, 1280
ENCODE = configure_encode_object_for_msgpack(BaseControl)


class RecordingConnection(Connection):
    """Stands in for the browser: keeps every message, packed exactly as the socket server packs it."""

    def __init__(self) -> None:
        super().__init__()
        self.pubsubhub = PubSubHub()
        self.sent: list[bytes] = []

    def send_message(self, message: Message) -> None:
        self.sent.append(msgpack.packb([message.action, message.body], default=ENCODE))


class Tab:
    """One browser tab: its own Flet session and page, its own Purpose Session, the real App."""

    def __init__(self, folder: Path, width: int = DESKTOP) -> None:
        self.conn = RecordingConnection()
        self.flet = FletSession(self.conn)
        self.flet.apply_page_patch({"width": width, "height": 844 if width < 700 else 800})
        # What the server sends when a client registers: it also records the state later diffs start from.
        self.conn.send_message(
            Message(
                MessageAction.REGISTER_CLIENT,
                RegisterClientResponseBody(self.flet.id, self.flet.get_page_patch(), ""),
            )
        )
        self.page = self.flet.page
        self.tasks: list[Callable[..., Any]] = []
        self.page.run_task = self._record_task  # type: ignore[method-assign]
        self.session = Session(folder)
        self.app = app_module.App(self.page, self.session)
        self.app.start()

    def _record_task(self, handler: Callable[..., Any], *_args: object, **_kwargs: object) -> None:
        self.tasks.append(handler)

    def close(self) -> None:
        self.app._on_close(None)

    # -- finding controls

    def controls(self) -> Iterator[BaseControl]:
        return walk(self.page)

    def field(self, label: str) -> ft.TextField:
        found = [c for c in self.controls() if isinstance(c, ft.TextField) and c.label == label]
        assert len(found) == 1, f"expected one text field labelled {label!r}, found {len(found)}"
        return found[0]

    def has_field(self, label: str) -> bool:
        return any(isinstance(c, ft.TextField) and c.label == label for c in self.controls())

    def button(self, name: str) -> Any:
        found = [c for c in self.controls() if is_button(c) and name in names(c)]
        assert len(found) == 1, f"expected one button named {name!r}, found {len(found)}"
        return found[0]

    def has_button(self, name: str) -> bool:
        return any(is_button(c) and name in names(c) for c in self.controls())

    def texts(self) -> list[str]:
        return [c.value for c in self.controls() if isinstance(c, ft.Text) and c.visible and c.value]

    def shown(self, text: str) -> bool:
        return any(text in t for t in self.texts())

    def dialogs(self) -> list[Any]:
        return [d for d in self.page._dialogs.controls if d.open]

    def click(self, name: str) -> None:
        handler = self.button(name).on_click
        result = handler(None)
        assert not inspect.iscoroutine(result), f"{name!r} awaits the client: not testable here"

    def type_into(self, label: str, text: str) -> None:
        field = self.field(label)
        field.value = text
        if field.on_change is not None:
            field.on_change(SimpleNamespace(control=field))

    def submit(self, label: str) -> None:
        field = self.field(label)
        assert field.on_submit is not None
        field.on_submit(SimpleNamespace(control=field))

    def unlock(self, passphrase: str = PASSPHRASE) -> None:
        self.type_into("Passphrase", passphrase)
        self.click("Unlock")


def is_button(control: BaseControl) -> bool:
    return isinstance(control, ft.FilledButton | ft.TextButton | ft.OutlinedButton | ft.IconButton)


def names(button: BaseControl) -> tuple[object, ...]:
    """What a screen reader calls a button: its label, or its tooltip for an icon button."""
    return (getattr(button, "content", None), getattr(button, "tooltip", None))


def walk(root: BaseControl) -> Iterator[BaseControl]:
    """Every control on screen under root: anything reachable through a field holding controls
    (content, controls, actions, title, destinations, the page's views and open dialogs...), once."""
    seen: set[int] = set()
    stack: list[Any] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(reversed(item))
            continue
        if not isinstance(item, BaseControl) or id(item) in seen:
            continue
        if isinstance(item, ft.DialogControl) and not item.open:
            continue  # closed: the client would drop it on dismiss; it is not on screen
        seen.add(id(item))
        yield item
        for field in dataclasses.fields(item):
            if field.name in ("_parent", "_services", "window"):
                continue
            value = getattr(item, field.name, None)
            if isinstance(value, BaseControl | list | tuple):
                stack.append(value)


@pytest.fixture(autouse=True)
def _no_background_draft_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drafts are kept when the screen locks; the typing timer itself must not fire mid-test."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)


@pytest.fixture
def open_tab() -> Iterator[Callable[..., Tab]]:
    opened: list[Tab] = []

    def make(folder: Path, width: int = DESKTOP) -> Tab:
        tab = Tab(folder, width)
        opened.append(tab)
        return tab

    yield make
    for tab in opened:
        tab.close()


@pytest.fixture
def unlocked_tab(made_vault: MadeVault, open_tab: Callable[..., Tab]) -> Tab:
    tab = open_tab(made_vault.folder)
    tab.unlock()
    assert tab.session.unlocked
    return tab


# -- welcome


def test_welcome_names_its_fields_and_button(vault_dir: Path, open_tab: Callable[..., Tab]) -> None:
    """A new folder shows the welcome screen: "Passphrase", "Confirm passphrase", "Create journal"."""
    tab = open_tab(vault_dir)
    assert tab.field("Passphrase").password
    assert tab.field("Confirm passphrase").password
    assert tab.has_button("Create journal")
    assert not tab.has_button("Unlock")
    assert tab.page.title == "Purpose"
    assert tab.tasks == [tab.app._idle_watch]


def test_welcome_mismatch_shows_the_message_and_creates_nothing(
    vault_dir: Path, open_tab: Callable[..., Tab]
) -> None:
    """Different passphrases: the mismatch message is shown, the button works again, no vault file."""
    tab = open_tab(vault_dir)
    tab.type_into("Passphrase", PASSPHRASE)
    tab.type_into("Confirm passphrase", PASSPHRASE + " typo")
    tab.click("Create journal")
    assert tab.shown(messages.PASSPHRASES_DIFFER)
    assert not tab.button("Create journal").disabled
    assert not (vault_dir / DATABASE_NAME).exists()
    assert not tab.session.unlocked


def test_welcome_strength_hint_follows_typing(vault_dir: Path, open_tab: Callable[..., Tab]) -> None:
    """Typing a short passphrase shows the too-short hint; a long one shows "Strong."."""
    tab = open_tab(vault_dir)
    tab.type_into("Passphrase", "short")
    assert tab.shown("Too short")
    tab.type_into("Passphrase", "four calm words here")
    assert tab.shown("Strong.")


def test_create_shows_the_recovery_key_once_then_today(vault_dir: Path, open_tab: Callable[..., Tab]) -> None:
    """Create: the recovery key screen (14 groups), Continue only after "I have saved it", then Today."""
    tab = open_tab(vault_dir)
    tab.type_into("Passphrase", PASSPHRASE)
    tab.type_into("Confirm passphrase", PASSPHRASE)
    tab.click("Create journal")
    assert tab.session.unlocked

    key_text = next(t for t in tab.texts() if t.count("-") >= 10)
    groups = key_text.replace("\n", "-").split("-")
    assert len(groups) == 14
    continue_button = tab.button("Continue")
    assert continue_button.disabled

    saved = next(c for c in tab.controls() if isinstance(c, ft.Checkbox) and c.label == "I have saved it")
    saved.value = True
    saved.on_change(SimpleNamespace(control=saved))
    assert not continue_button.disabled
    tab.click("Continue")

    assert not any(key_text in t for t in tab.texts())
    assert tab.field("Write your reflection").multiline
    assert tab.has_button("Save entry")


# -- unlock


def test_unlock_names_its_field_and_buttons(made_vault: MadeVault, open_tab: Callable[..., Tab]) -> None:
    """An existing vault shows "Passphrase", "Unlock" and "Use recovery key"; nothing else is visible."""
    tab = open_tab(made_vault.folder)
    assert tab.field("Passphrase").password
    assert tab.has_button("Unlock")
    assert tab.has_button("Use recovery key")
    assert not tab.has_button("Create journal")
    assert not tab.has_field("Write your reflection")


def test_wrong_passphrase_is_shown_calmly_and_stays_locked(
    made_vault: MadeVault, open_tab: Callable[..., Tab]
) -> None:
    """A wrong passphrase: a calm message in view, the field emptied, the session still locked."""
    tab = open_tab(made_vault.folder)
    tab.unlock("definitely not it")
    assert not tab.session.unlocked
    message = next(t for t in tab.texts() if "Nothing was changed" in t)
    assert "Traceback" not in message
    assert tab.field("Passphrase").value == ""
    assert tab.has_button("Unlock")
    assert not tab.has_field("Write your reflection")


def test_empty_passphrase_asks_for_it(made_vault: MadeVault, open_tab: Callable[..., Tab]) -> None:
    """Unlock with nothing typed asks gently for the passphrase."""
    tab = open_tab(made_vault.folder)
    tab.click("Unlock")
    assert tab.shown("Type your passphrase")
    assert not tab.session.unlocked


def test_recovery_mode_names_and_sets_a_new_passphrase(
    made_vault: MadeVault, open_tab: Callable[..., Tab]
) -> None:
    """ "Use recovery key" shows "Recovery key", "New passphrase", "Confirm passphrase"; it then unlocks."""
    tab = open_tab(made_vault.folder)
    tab.click("Use recovery key")
    assert not tab.has_field("Passphrase")
    tab.type_into("Recovery key", made_vault.recovery_key)
    tab.type_into("New passphrase", NEW_PASSPHRASE)
    tab.type_into("Confirm passphrase", NEW_PASSPHRASE)
    tab.click("Set new passphrase")
    assert tab.session.unlocked
    assert tab.has_field("Write your reflection")
    assert any(isinstance(d, ft.SnackBar) for d in tab.dialogs())

    tab.app.lock()
    tab.unlock(NEW_PASSPHRASE)
    assert tab.session.unlocked


def test_recovery_mode_back_to_passphrase(made_vault: MadeVault, open_tab: Callable[..., Tab]) -> None:
    """ "Back to passphrase" returns to the passphrase form with no leftover message."""
    tab = open_tab(made_vault.folder)
    tab.click("Use recovery key")
    tab.type_into("Recovery key", "AAAA-BBBB")
    tab.click("Set new passphrase")
    assert not tab.session.unlocked
    tab.click("Back to passphrase")
    assert tab.has_field("Passphrase") and not tab.has_field("Recovery key")
    assert tab.has_button("Unlock")


# -- the shell


@pytest.mark.parametrize(("width", "kind"), [(PHONE, ft.NavigationBar), (DESKTOP, ft.NavigationRail)])
def test_shell_navigation_and_actions(
    made_vault: MadeVault, open_tab: Callable[..., Tab], width: int, kind: type
) -> None:
    """Phone width gets a bottom NavigationBar, desktop a NavigationRail; both name the five destinations;
    "Lock" and "Support" are reachable."""
    tab = open_tab(made_vault.folder, width)
    tab.unlock()
    navs = [c for c in tab.controls() if isinstance(c, ft.NavigationBar | ft.NavigationRail)]
    assert [type(n) for n in navs] == [kind]
    assert [d.label for d in navs[0].destinations] == DESTINATIONS
    assert navs[0].selected_index == 0
    assert tab.has_button("Lock")
    assert tab.has_button("Support")
    assert tab.has_field("Write your reflection")
    assert tab.has_button("Another prompt")


def test_navigation_reaches_every_destination(unlocked_tab: Tab) -> None:
    """Choosing each destination renders its screen (Journal has "Search"), and the selection follows."""
    tab = unlocked_tab
    markers = {
        "Journal": lambda: tab.has_field("Search"),
        "Trends": lambda: tab.shown("Trends"),
        "Packs": lambda: tab.shown("Prompt packs"),
        "Settings": lambda: tab.has_field("New passphrase"),
        "Today": lambda: tab.has_field("Write your reflection"),
    }
    for name, present in markers.items():
        nav = next(c for c in tab.controls() if isinstance(c, ft.NavigationRail))
        nav.selected_index = DESTINATIONS.index(name)
        nav.on_change(SimpleNamespace(control=nav))
        assert tab.app.current == name
        assert present(), name
        nav = next(c for c in tab.controls() if isinstance(c, ft.NavigationRail))
        assert nav.selected_index == DESTINATIONS.index(name)


def test_support_opens_and_closes(unlocked_tab: Tab) -> None:
    """ "Support" opens a dialog of resources; "Close" closes it."""
    tab = unlocked_tab
    tab.click("Support")
    (dialog,) = tab.dialogs()
    assert isinstance(dialog, ft.AlertDialog)
    assert dialog.title.value == "Support"
    assert len([c for c in walk(dialog) if isinstance(c, ft.ListTile)]) >= 2
    tab.click("Close")
    assert tab.dialogs() == []


@pytest.mark.parametrize("existing", [False, True])
def test_support_is_one_tap_away_while_locked(
    made_vault: MadeVault, vault_dir: Path, open_tab: Callable[..., Tab], existing: bool
) -> None:
    """The welcome and unlock screens carry "Support" too, and it opens without unlocking anything."""
    tab = open_tab(made_vault.folder if existing else vault_dir.parent / "new")
    assert tab.has_button("Unlock" if existing else "Create journal")
    tab.click("Support")
    (dialog,) = tab.dialogs()
    assert dialog.title.value == "Support"
    assert len([c for c in walk(dialog) if isinstance(c, ft.ListTile)]) >= 2
    assert not tab.session.unlocked


# -- Today


def test_save_entry_from_the_prompt_then_find_it(unlocked_tab: Tab) -> None:
    """Write, "Save entry": stored answering today's prompt, the editor empties; Journal search finds it."""
    tab = unlocked_tab
    tab.type_into("Title (optional)", "Mr. P walked again")
    tab.type_into("Write your reflection", "Six weeks after the fall he walked the corridor.")
    tab.click("Save entry")

    (entry,) = tab.session.require().entries(with_bodies=True)
    assert entry.body == "Six weeks after the fall he walked the corridor."
    assert entry.prompt is not None
    assert tab.field("Write your reflection").value == ""
    assert any(isinstance(d, ft.SnackBar) for d in tab.dialogs())

    tab.app.go("Journal")
    tab.type_into("Search", "corridor")
    assert tab.shown("Mr. P walked again")
    tab.type_into("Search", "no such words")
    assert tab.shown("Nothing matches.")
    assert not tab.shown("Mr. P walked again")


def test_an_empty_save_is_a_calm_message(unlocked_tab: Tab) -> None:
    """ "Save entry" with nothing in it says what an entry needs, and saves nothing."""
    tab = unlocked_tab
    tab.click("Save entry")
    assert tab.shown("An entry needs something in it")
    assert tab.session.require().count() == 0


def test_another_prompt_changes_the_card(unlocked_tab: Tab) -> None:
    """ "Another prompt" replaces the prompt text on the card."""
    tab = unlocked_tab
    screen = tab.app.screens["Today"]
    before = screen.model.offer.prompt.text
    assert tab.shown(before)
    tab.click("Another prompt")
    after = screen.model.offer.prompt.text
    assert after != before
    assert tab.shown(after) and not tab.shown(before)


def test_quick_checkin_from_the_card(unlocked_tab: Tab) -> None:
    """ "Set energy", the slider, a drain chip, "Save check-in": saved with no text, the typed words stay."""
    tab = unlocked_tab
    tab.type_into("Write your reflection", "Still thinking about it.")
    tab.click("Set energy")
    slider = next(c for c in tab.controls() if isinstance(c, ft.Slider))
    slider.value = 3
    slider.on_change(SimpleNamespace(control=slider))
    assert tab.shown("Energy: 3 of 10")
    chip = next(c for c in tab.controls() if isinstance(c, ft.Chip) and c.label.value == "pager")
    chip.on_select(SimpleNamespace(control=chip))
    tab.click("Save check-in")

    (entry,) = tab.session.require().entries(with_bodies=True)
    assert (entry.energy, entry.drains, entry.body) == (3, ("pager",), "")
    assert tab.field("Write your reflection").value == "Still thinking about it."


# -- Journal


def test_journal_bad_date_is_shown_calmly(unlocked_tab: Tab) -> None:
    """A date filter that does not parse shows how to write one, not a traceback."""
    tab = unlocked_tab
    tab.session.require().add(EntryChanges(energy=4))
    tab.app.go("Journal")
    tab.field("From").value = "next week"
    tab.submit("From")
    assert tab.shown("is not a date I can read")


def test_journal_delete_asks_first(unlocked_tab: Tab) -> None:
    """Open an entry, "Delete", "Keep it" keeps it; "Delete for good" removes it from list and vault."""
    tab = unlocked_tab
    tab.session.require().add(EntryChanges(title="Keep or not", body="A short note."))
    tab.app.go("Journal")
    tile = next(c for c in tab.controls() if isinstance(c, ft.ListTile))
    tile.on_click(None)
    assert tab.field("Write your reflection").value == "A short note."  # the open entry's editor
    tab.click("Delete")
    tab.click("Keep it")
    assert tab.session.require().count() == 1

    tile.on_click(None)
    tab.click("Delete")
    tab.click("Delete for good")
    assert tab.session.require().count() == 0
    assert tab.shown("No entries yet")


# -- lock


def test_lock_clears_every_screen_and_keeps_the_draft(unlocked_tab: Tab) -> None:
    """ "Lock": the session locks, nothing typed stays on screen, and the words come back as a draft."""
    tab = unlocked_tab
    words = "Words I had not saved about bed nine."
    tab.type_into("Write your reflection", words)
    tab.app.go("Journal")
    tab.click("Lock")

    assert not tab.session.unlocked
    assert tab.app.screens == {}
    assert tab.has_button("Unlock")
    assert not tab.has_field("Write your reflection")
    assert not tab.has_field("Search")
    assert not any(words in str(getattr(c, "value", "")) for c in tab.controls())

    tab.unlock()
    assert tab.shown("You have words you had not saved yet")
    assert tab.field("Write your reflection").value == ""
    tab.click("Restore draft")
    assert tab.field("Write your reflection").value == words


def test_ctrl_l_locks(unlocked_tab: Tab) -> None:
    """The Ctrl+L shortcut locks the journal."""
    tab = unlocked_tab
    tab.app._on_key(SimpleNamespace(ctrl=True, meta=False, key="l"))  # type: ignore[arg-type]
    assert not tab.session.unlocked
    assert tab.has_button("Unlock")


def test_closing_the_tab_locks(unlocked_tab: Tab) -> None:
    """A closed or disconnected tab drops its keys."""
    unlocked_tab.app._on_close(None)
    assert not unlocked_tab.session.unlocked


def test_two_tabs_are_independent(made_vault: MadeVault, open_tab: Callable[..., Tab]) -> None:
    """Unlocking one tab leaves a second tab on the same journal locked, showing the unlock screen."""
    first = open_tab(made_vault.folder)
    second = open_tab(made_vault.folder, PHONE)
    first.unlock()
    assert first.session.unlocked and first.has_field("Write your reflection")
    assert not second.session.unlocked
    assert second.has_button("Unlock") and not second.has_field("Write your reflection")
    second.unlock()
    first.click("Lock")
    assert second.session.unlocked and not first.session.unlocked


# -- group mode


def test_group_mode_shows_only_the_pack(unlocked_tab: Tab) -> None:
    """Group mode opens with the ground rules, shows one pack prompt at a time, steps with Next/Previous
    (each prompt's writing then sharing time), and shows nothing from the vault."""
    tab = unlocked_tab
    secret = "Entry text nobody in the room should see"
    tab.session.require().add(EntryChanges(title=secret, body=secret, tags=("private-tag",)))
    packs = [i.pack for i in Library(tab.session.require()).packs() if not i.pack.programme]
    pack = packs[0]
    screen = group.GroupScreen(tab.app, pack, packs)
    screen.show()

    assert tab.shown("Opening") and tab.shown("Our ground rules")
    tab.click("Next")
    assert tab.shown(pack.prompts[0].text)
    assert tab.shown(f"1 of {len(pack.prompts)}")
    assert tab.shown("5:00")  # the writing time's default; sharing time follows it
    tab.click("Next")
    tab.click("Next")
    assert tab.shown(pack.prompts[1].text)
    tab.click("Previous")
    tab.click("Previous")
    assert tab.shown(pack.prompts[0].text)

    on_screen = " ".join(tab.texts())
    assert secret not in on_screen and "private-tag" not in on_screen
    assert not tab.has_field("Write your reflection")
