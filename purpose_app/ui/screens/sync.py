"""Sync between your devices: this device's sync folder, "Sync now", the status line, turning it off."""

from __future__ import annotations

import contextlib

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.ui import widgets
from purpose_app.ui.screens import subpage
from purpose_app.ui.shell import Shell
from purpose_app.ui.sync_model import SyncModel

EXPLAINER = (
    "Keep this journal on your phone and your computer. Choose a folder that a sync app (Syncthing, "
    "Dropbox, iCloud Drive, Nextcloud) keeps in step between them. Only encrypted changes go there, "
    "never the journal itself; each device keeps its own choice of folder."
)
HELPER_DESKTOP = "The full path of the folder, e.g. /home/you/Sync, or tap Choose folder."
HELPER_BROWSER = (
    "The full path of the folder on the computer running Purpose. A browser cannot show that "
    "computer's folders, so type or paste it."
)
HELPER_PHONE = "The full path of the folder your sync app keeps, as that app shows it."


def model_of(app: Shell) -> SyncModel:
    """The app's own SyncModel (it keeps the status between visits), or a new one for a bare shell."""
    found = getattr(app, "sync", None)
    return found if isinstance(found, SyncModel) else SyncModel(app.session)


def open_sync(app: Shell, back_to: str = "Settings") -> None:
    SyncScreen(app, back_to).show()


def sync_card(app: Shell) -> ft.Control:
    """Settings' row: whether this device syncs, and the way to the Sync page."""
    chosen = model_of(app).folder()
    state = f"On: this device syncs with {chosen}." if chosen else "Off on this device."
    return widgets.card(
        widgets.heading("Sync between your devices", app.page, 17),
        widgets.body(state, app.page, muted=True),
        ft.Row([widgets.secondary("Sync settings", lambda _e: open_sync(app), icon=ft.Icons.SYNC)]),
    )


def can_pick_folder(page: ft.Page) -> bool:
    """A folder picker gives a path only in a desktop window (not in a browser, not on a phone)."""
    return not page.web and not _phone(page)


def helper_text(page: ft.Page) -> str:
    """What the folder field asks for, where this page runs."""
    if can_pick_folder(page):
        return HELPER_DESKTOP
    return HELPER_PHONE if _phone(page) else HELPER_BROWSER


def _phone(page: ft.Page) -> bool:
    return page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS) and not page.web


class SyncScreen:
    def __init__(self, app: Shell, back_to: str = "Settings") -> None:
        self.app = app
        self.back_to = back_to
        self.model = model_of(app)
        chosen = self.model.folder()
        self.path = ft.TextField(
            label="Sync folder",
            value=str(chosen) if chosen else "",
            helper=helper_text(app.page),
            helper_max_lines=3,
        )
        self.message = widgets.notice()
        self.problem = widgets.notice(error=True)
        self.lines = ft.Column(spacing=4)
        self.progress = ft.ProgressRing(visible=False, width=24, height=24)
        self.column = ft.Column(spacing=12)
        self._picker = can_pick_folder(app.page)

    def show(self) -> None:
        self._fill()
        self.model.listeners.append(self._changed)
        subpage.show(self.app, "Sync between your devices", self.back_to, self.column)

    def _fill(self) -> None:
        page = self.app.page
        on = self.model.folder() is not None
        folder_row: list[ft.Control] = [widgets.primary("Use this folder", self.use_folder)]
        if self._picker:
            folder_row.append(
                widgets.secondary("Choose folder", self._pick, icon=ft.Icons.FOLDER_OPEN_OUTLINED)
            )
        status: list[ft.Control] = []
        if on:
            status = [
                widgets.heading("Status", page, 17),
                ft.Row([self.progress, self.lines], wrap=True),
                self.problem,
                ft.Row(
                    [
                        widgets.primary("Sync now", self.sync_now, icon=ft.Icons.SYNC),
                        widgets.secondary("Turn sync off", self.turn_off, icon=ft.Icons.SYNC_DISABLED),
                    ],
                    wrap=True,
                ),
            ]
        self.column.controls = [
            widgets.body(EXPLAINER, page, muted=True),
            # A node of its own: otherwise Flutter merges the explainer above into the field's name.
            ft.Semantics(container=True, content=self.path),
            ft.Row(folder_row, wrap=True),
            self.message,
            *status,
        ]
        self._draw_status()

    def _draw_status(self) -> None:
        page = self.app.page
        self.lines.controls = [widgets.body(line, page) for line in self.model.status_lines()]
        self.progress.visible = self.model.status.running
        error = self.model.status.error
        widgets.show(self.problem, error or "", error=True)

    def _changed(self) -> None:
        """The model's status moved (a sync began or ended): redraw. The app drops this listener
        whenever it draws another screen, so it runs only while this page is shown."""
        self._draw_status()
        with contextlib.suppress(RuntimeError):  # not on a page (yet): nothing to redraw
            self.column.update()

    # -- actions

    def use_folder(self, _event: object) -> None:
        """Check the typed folder and keep it as this device's; say why not otherwise (nothing kept)."""
        self.app.session.touch()
        try:
            chosen = self.model.choose(self.path.value or "")
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self.app.page.update()
            return
        self.path.value = str(chosen)
        widgets.show(self.message, "This device now syncs with that folder. It syncs by itself from now on.")
        self._fill()
        self.app.page.update()

    async def _pick(self, _event: object) -> None:
        chosen = await ft.FilePicker().get_directory_path(dialog_title="Choose the sync folder")
        if chosen:
            self.path.value = chosen
            self.use_folder(None)

    async def sync_now(self, _event: object) -> None:
        self.app.session.touch()
        widgets.show(self.message, "")
        if not await self.model.sync_now():
            widgets.show(self.message, "A sync is already running; it will finish by itself.")
        self.app.page.update()

    def turn_off(self, _event: object) -> None:
        self.app.session.touch()
        try:
            self.model.turn_off()
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self.app.page.update()
            return
        widgets.show(
            self.message,
            "Sync is off on this device. The folder and your other devices are left as they are.",
        )
        self.path.value = ""
        self._fill()
        self.app.page.update()
