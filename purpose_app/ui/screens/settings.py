"""Settings: passphrase, recovery key, auto-lock, theme, text size, and what is kept private."""

from __future__ import annotations

from typing import Any

import flet as ft

from purpose_app.errors import InvalidInput, PurposeError
from purpose_app.ui import theme, widgets
from purpose_app.ui.screens.data import DataCard

SECURITY_SUMMARY = (
    "Everything you write or rate is encrypted on this device before it is saved, with a key that only "
    "your passphrase or your recovery key unlocks. Nothing is sent anywhere. If both are lost, nobody, "
    "including us, can open the journal. When the journal locks, the key is dropped from memory."
)


class SettingsScreen:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.current = ft.TextField(label="Current passphrase", password=True, can_reveal_password=True)
        self.new = ft.TextField(label="New passphrase", password=True, can_reveal_password=True)
        self.confirm = ft.TextField(label="Confirm passphrase", password=True, can_reveal_password=True)
        self.message = widgets.notice()
        self.data = DataCard(app)

    def build(self) -> ft.Control:
        page = self.app.page
        settings = self.app.session.settings()
        autolock = ft.Dropdown(
            label="Lock after idle",
            value=str(settings["autolock_minutes"]),
            width=220,
            options=[ft.DropdownOption(key=str(m), text=f"{m} minutes") for m in (1, 2, 5, 10, 15, 30)],
            on_select=self._on_autolock,
        )
        mode = ft.Dropdown(
            label="Theme",
            value=str(settings["theme"]),
            width=220,
            options=[ft.DropdownOption(key=k, text=k) for k in ("system", "light", "dark")],
            on_select=self._on_theme,
        )
        scale = ft.Slider(
            min=0.9,
            max=1.4,
            divisions=5,
            value=float(settings["text_scale"]),  # type: ignore[arg-type]
            label="{value}",
            on_change_end=self._on_scale,
        )
        return ft.Container(
            ft.ListView(
                [
                    widgets.heading("Settings", page),
                    widgets.card(
                        widgets.heading("Passphrase", page, 17),
                        self.current,
                        self.new,
                        self.confirm,
                        self.message,
                        widgets.primary("Change passphrase", self._change),
                    ),
                    widgets.card(
                        widgets.heading("Recovery key", page, 17),
                        widgets.body(
                            "Make a new recovery key if the old one may have been seen. "
                            "The old one stops working at once.",
                            page,
                            muted=True,
                        ),
                        widgets.secondary("Make a new recovery key", self._regenerate),
                    ),
                    widgets.card(
                        widgets.heading("Comfort", page, 17),
                        autolock,
                        mode,
                        widgets.body("Text size", page, muted=True),
                        scale,
                    ),
                    self.data.build(),
                    widgets.card(
                        widgets.heading("About and privacy", page, 17),
                        widgets.body(SECURITY_SUMMARY, page),
                        widgets.body(
                            "Purpose 0.1 · your journal lives in " + str(self.app.session.folder),
                            page,
                            muted=True,
                            selectable=True,
                        ),
                    ),
                ],
                spacing=12,
                padding=16,
            ),
            expand=True,
        )

    def _change(self, _event: object) -> None:
        session = self.app.session
        try:
            if (self.new.value or "") != (self.confirm.value or ""):
                raise InvalidInput("The two new passphrases did not match. Nothing was changed.")
            from purpose_app.services import vault

            vault.unlock(session.folder, self.current.value or "", allow_synced=session.allow_synced).lock()
            session.require().change_passphrase(self.new.value or "", session.kdf_params)
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self.app.page.update()
            return
        self.current.value = self.new.value = self.confirm.value = ""
        widgets.show(self.message, "Your passphrase is changed. Your recovery key still works.")
        self.app.page.update()

    def _regenerate(self, _event: object) -> None:
        from purpose_app.ui.screens.welcome import RecoveryKeyScreen

        def action() -> None:
            key = self.app.session.require().regenerate_recovery_key()
            RecoveryKeyScreen(self.app, key, then=lambda: self.app.go("Settings")).show()

        self.app.guarded(action)

    def _on_autolock(self, event: ft.Event[Any]) -> None:
        self.app.guarded(lambda: self.app.session.save_setting("autolock_minutes", int(event.control.value)))

    def _on_theme(self, event: ft.Event[Any]) -> None:
        self.app.guarded(lambda: self.app.session.save_setting("theme", event.control.value))
        self._apply()

    def _on_scale(self, event: ft.Event[Any]) -> None:
        self.app.guarded(lambda: self.app.session.save_setting("text_scale", float(event.control.value)))
        self._apply()

    def _apply(self) -> None:
        settings = self.app.session.settings()
        theme.apply(self.app.page, str(settings["theme"]), float(settings["text_scale"]))  # type: ignore[arg-type]
        self.app.render()
