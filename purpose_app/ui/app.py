"""The app's frame: one controller per page (browser tab or phone app), the navigation shell,
keyboard shortcuts, auto-lock. Screens live one per file in ui/screens/."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import flet as ft

from purpose_app import messages
from purpose_app.errors import PurposeError
from purpose_app.services.session import Session
from purpose_app.ui import collector, theme, widgets
from purpose_app.ui.shell import Screen, Shell
from purpose_app.ui.sync_model import SyncModel

DESTINATIONS = (
    ("Today", ft.Icons.WB_SUNNY_OUTLINED, ft.Icons.WB_SUNNY),
    ("Journal", ft.Icons.MENU_BOOK_OUTLINED, ft.Icons.MENU_BOOK),
    ("Trends", ft.Icons.SHOW_CHART_OUTLINED, ft.Icons.SHOW_CHART),
    ("Packs", ft.Icons.STYLE_OUTLINED, ft.Icons.STYLE),
    ("Settings", ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS),
)
WATCH_SECONDS = 2  # how often the watch looks at idle time and sync (a save's sync waits seconds)
S = TypeVar("S", bound=Screen)


class App:
    """Everything one page shows. Holds its own Session: nothing is shared between pages."""

    def __init__(self, page: ft.Page, session: Session) -> None:
        self.page = page
        self.session = session
        self.current = "Today"
        self.screens: dict[str, Screen] = {}
        self.body = ft.Container(expand=True)
        self._closed = False  # the session ended for good (not merely disconnected)
        self._phone_layout: bool | None = None
        self._comfort_applied = False  # the saved theme and text size, applied once per unlock
        self.sync = SyncModel(session)  # this page's automatic sync and its status (ui/screens/sync.py)
        self._was_unlocked = False

    # -- start and frame

    def start(self) -> None:
        page = self.page
        page.title = "Purpose"  # never anything from the journal in the tab's name
        page.padding = 0
        theme.apply(page)
        page.on_keyboard_event = self._on_key
        page.on_resize = self._on_resize
        page.on_app_lifecycle_state_change = self._on_lifecycle
        page.on_close = self._on_close
        # A dropped connection (page.on_disconnect) is not the end: Flet keeps the session, and its web
        # client reconnects by itself after a laptop sleeps or Wi-Fi drops. Locking and the idle watch
        # go on meanwhile, and the page is drawn afresh on return, so a lock that happened while away
        # shows as locked.
        page.on_connect = self._on_connect
        self.session.on_lock.append(self._forget_screens)
        self.session.on_lock.append(self.sync.on_lock)
        self.render()
        page.run_task(self._idle_watch)

    def render(self) -> None:
        """Draw the right frame for the state: welcome, unlock, or the unlocked shell."""
        from purpose_app.ui.screens import unlock, welcome

        page = self.page
        self._phone_layout = theme.is_phone(page)
        page.controls.clear()
        self.sync.listeners.clear()  # the Sync page listens only while it is shown
        just_unlocked = self.session.unlocked and not self._was_unlocked
        if just_unlocked:
            with contextlib.suppress(PurposeError):
                self.sync.on_unlock()  # a sync is due at unlock, if this device has a folder
        self._was_unlocked = self.session.unlocked
        if not self.session.unlocked:
            screen = unlock.UnlockScreen(self) if self.session.exists else welcome.WelcomeScreen(self)
            # Support is one tap away while locked too: the hardest nights may start at this screen.
            support = widgets.icon_button(
                ft.Icons.SUPPORT_OUTLINED, "Support", lambda _e: self.open_support()
            )
            top = ft.Row([support], alignment=ft.MainAxisAlignment.END)
            framed = ft.Column([top, ft.Container(screen.build(), expand=True)], spacing=0, expand=True)
            page.add(ft.SafeArea(framed, expand=True))
        else:
            if not self._comfort_applied:
                self._apply_comfort()
            page.add(self._shell())
        page.update()
        if just_unlocked:
            page.run_task(self._read_ahead)

    async def _read_ahead(self) -> None:
        """Once Today is on screen, read the journal's index (every entry's metadata: 0.4 s at 50,000
        entries) off the page's event loop, so Journal and Trends open without waiting for it. Today
        itself never needs it (services/today_facts.py), so unlocking does not wait for it either."""
        with contextlib.suppress(PurposeError):  # locked meanwhile: the next screen reads it if needed
            vault = self.session.require()
            await asyncio.to_thread(vault.count)
            await asyncio.to_thread(collector.settle)  # the index is here for the session: set it aside

    async def _settle(self) -> None:
        await asyncio.to_thread(collector.settle)  # after a lock: the session's garbage goes now

    def _apply_comfort(self) -> None:
        # The person's own text size and theme, from the vault: it is readable only once unlocked.
        saved = self.session.settings()
        scale = saved.get("text_scale", 1.0)
        theme.apply(
            self.page,
            str(saved.get("theme") or "system"),
            float(scale) if isinstance(scale, int | float) else 1.0,
        )
        self._comfort_applied = True

    def _on_resize(self, _event: object) -> None:
        # Resizing fires many events: redraw only when the layout changes between phone and desktop.
        phone = theme.is_phone(self.page)
        if phone != self._phone_layout:
            self.render()

    def _shell(self) -> ft.Control:
        page = self.page
        index = [d[0] for d in DESTINATIONS].index(self.current)
        self.body.content = self._screen(self.current).build()
        actions = ft.Row(
            [
                widgets.icon_button(ft.Icons.SUPPORT_OUTLINED, "Support", lambda _e: self.open_support()),
                widgets.icon_button(ft.Icons.LOCK_OUTLINE, "Lock", lambda _e: self.lock()),
            ],
            spacing=0,
        )
        top: ft.Control = ft.Container(
            ft.Row(
                [ft.Text("Purpose", size=theme.size(page, 20), weight=ft.FontWeight.W_600), actions],
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            ),
            padding=ft.Padding(16, 8, 8, 0),
        )
        if self.session.require().uses_test_kdf:
            # Said every time such a vault is open, never silently: a real journal must not stay cheap.
            warning = ft.Text(messages.TEST_KDF_WARNING_APP, color=ft.Colors.ON_ERROR_CONTAINER)
            banner = ft.Container(
                warning, bgcolor=ft.Colors.ERROR_CONTAINER, padding=ft.Padding(16, 8, 16, 8)
            )
            top = ft.Column([top, banner], spacing=0)
        if theme.is_phone(page):
            # No tooltip (its label is always shown): a tap shows it, and once it fades Flutter leaves
            # the tab pointing at the gone tooltip (aria-owns, axe: aria-valid-attr-value, critical).
            nav = ft.NavigationBar(
                destinations=[
                    ft.NavigationBarDestination(icon=i, selected_icon=s, label=n, tooltip="")
                    for n, i, s in DESTINATIONS
                ],
                selected_index=index,
                on_change=self._on_nav,
            )
            return ft.SafeArea(ft.Column([top, self.body, nav], spacing=0, expand=True), expand=True)
        rail = ft.NavigationRail(
            destinations=[
                ft.NavigationRailDestination(icon=i, selected_icon=s, label=n) for n, i, s in DESTINATIONS
            ],
            selected_index=index,
            label_type=ft.NavigationRailLabelType.ALL,
            on_change=self._on_nav,
        )
        return ft.Row(
            [rail, ft.VerticalDivider(width=1), ft.Column([top, self.body], expand=True, spacing=0)],
            expand=True,
            spacing=0,
        )

    def _screen(self, name: str) -> Screen:
        if name not in self.screens:
            from purpose_app.ui.screens import journal, packs, settings, today, trends

            factory: dict[str, Callable[[Shell], Screen]] = {
                "Today": today.TodayScreen,
                "Journal": journal.JournalScreen,
                "Trends": trends.TrendsScreen,
                "Packs": packs.PacksScreen,
                "Settings": settings.SettingsScreen,
            }
            self.screens[name] = factory[name](self)
        return self.screens[name]

    def _on_nav(self, event: ft.Event[ft.NavigationBar] | ft.Event[ft.NavigationRail]) -> None:
        self.go(DESTINATIONS[int(event.control.selected_index or 0)][0])

    def go(self, name: str) -> None:
        self.session.touch()
        self.current = name
        self.render()

    # -- overlays

    def open_support(self) -> None:
        from purpose_app.ui.screens import support

        self.page.show_dialog(support.support_dialog(self))

    def toast(self, text: str, *, error: bool = False) -> None:
        # Floating above the phone's navigation bar: a message must never cover the way out.
        bottom = 96 if theme.is_phone(self.page) else 16
        self.page.show_dialog(
            ft.SnackBar(
                ft.Text(text, color=ft.Colors.ON_ERROR_CONTAINER if error else None),
                bgcolor=ft.Colors.ERROR_CONTAINER if error else None,
                duration=4000,
                behavior=ft.SnackBarBehavior.FLOATING,
                margin=ft.Margin(12, 0, 12, bottom),
            )
        )

    def guarded(self, action: Callable[[], None]) -> None:
        """Run a user action; a known problem becomes a calm message, never a traceback."""
        self.session.touch()
        try:
            action()
        except PurposeError as exc:
            self.toast(exc.message, error=True)

    # -- locking

    def lock(self) -> None:
        if self.session.unlocked:
            self.session.lock()
        self.current = "Today"
        if not self._closed:
            self.render()
            self.page.run_task(self._settle)

    def _forget_screens(self) -> None:
        self._comfort_applied = False
        for screen in self.screens.values():
            before_lock = getattr(screen, "before_lock", None)
            if before_lock is not None:
                with contextlib.suppress(PurposeError):
                    before_lock()  # e.g. seal the draft so nothing typed is lost
        self.screens.clear()
        self.body.content = None

    async def _idle_watch(self) -> None:
        while not self._closed:
            await asyncio.sleep(WATCH_SECONDS)
            if self.session.idle_expired():
                self.lock()
            reason = self.sync.poll()  # claims the one slot: never two syncs at once
            if reason is not None:
                self.page.run_task(self.sync.run, reason)  # its own task: the watch never waits on it

    def _on_lifecycle(self, event: ft.AppLifecycleStateChangeEvent) -> None:
        # A phone app going to the background locks; a desktop browser tab losing focus does not.
        mobile = self.page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)
        if mobile and event.state in (ft.AppLifecycleState.HIDE, ft.AppLifecycleState.PAUSE):
            self.lock()

    def _on_connect(self, _event: object) -> None:
        if not self._closed:
            self.render()

    def _on_close(self, _event: object) -> None:
        # Flet gave up on this session (its client did not come back in time): nothing will draw again.
        self._closed = True
        if self.session.unlocked:
            self.session.lock()

    # -- keyboard (desktop)

    def _on_key(self, event: ft.KeyboardEvent) -> None:
        if not (event.ctrl or event.meta) or not self.session.unlocked:
            return
        from purpose_app.ui.screens.journal import JournalScreen
        from purpose_app.ui.screens.today import TodayScreen

        self.session.touch()
        key = event.key.upper()
        if key == "L":
            self.lock()
        elif key == "S" and self.current == "Today":
            self._typed("Today", TodayScreen).save_entry(None)
        elif key == "F":
            self.go("Journal")
            self._typed("Journal", JournalScreen).focus_search()
        elif key == "N":
            self.go("Today")
            self._typed("Today", TodayScreen).focus_editor()

    def _typed(self, name: str, kind: type[S]) -> S:
        screen = self._screen(name)
        assert isinstance(screen, kind)
        return screen


def run_page(folder: Path, *, allow_synced: bool = False) -> Callable[[ft.Page], None]:
    """The function Flet calls once per connected page."""

    def main(page: ft.Page) -> None:
        App(page, Session(folder, allow_synced=allow_synced)).start()

    return main
