"""Settings: passphrase, recovery key, auto-lock, theme, text size, and what is kept private."""

from __future__ import annotations

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.ui import a11y, theme, widgets
from purpose_app.ui.screens import links
from purpose_app.ui.screens.data import DataCard
from purpose_app.ui.screens.sync import sync_card
from purpose_app.ui.settings_model import AUTOLOCK_CHOICES, THEMES, SettingsModel
from purpose_app.ui.shell import Shell

SECURITY_SUMMARY = (
    "Everything you write or rate is encrypted on this device before it is saved, with a key that only "
    "your passphrase or your recovery key unlocks. Nothing leaves this device unless you export, back up "
    "or sync it. If both are lost, nobody, including us, can open the journal. When the journal locks, "
    "the key is dropped from memory."
)


class SettingsScreen:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.model = SettingsModel(app.session)
        self.current = widgets.passphrase_field("Current passphrase")
        self.new = widgets.passphrase_field("New passphrase")
        self.confirm = widgets.passphrase_field("Confirm passphrase")
        self.message = widgets.notice()
        self.data = DataCard(app)

    def build(self) -> ft.Control:
        page = self.app.page
        comfort = self.model.comfort()
        autolock = ft.Dropdown(
            label="Lock after idle",
            value=str(comfort.autolock_minutes),
            width=220,
            options=[
                ft.DropdownOption(key=str(m), text=widgets.plural(m, "minute")) for m in AUTOLOCK_CHOICES
            ],
            on_select=self._on_autolock,
        )
        mode = ft.Dropdown(
            label="Theme",
            value=comfort.theme,
            width=220,
            options=[ft.DropdownOption(key=k, text=k) for k in THEMES],
            on_select=self._on_theme,
        )
        scale = ft.Slider(  # in percent, so a screen reader and the value bubble say "110%", not "1.1"
            min=90,
            max=200,  # WCAG 1.4.4: text can be read at twice its size
            divisions=11,
            value=round(comfort.text_scale * 100),
            label="{value}%",
            on_change_end=self._on_scale,
        )
        text_size = widgets.named_slider(
            # The name is in the value too: the hidden input a screen reader focuses hears only the value.
            scale,
            "Text size",
            lambda v: f"Text size, {v}%",
            identifier="slider-text-size",
        )
        show_why, show_good_days = self.model.today_offers()
        why_switch = ft.Switch(
            label='Offer "your why" after a few tired days',
            value=show_why,
            on_change=lambda e: self.app.guarded(lambda: self.model.set_show_why(bool(e.control.value))),
        )
        good_days_switch = ft.Switch(
            label="Now and then, a good day from before",
            value=show_good_days,
            on_change=lambda e: self.app.guarded(
                lambda: self.model.set_show_good_days(bool(e.control.value))
            ),
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
                        widgets.named_dropdown(autolock),
                        widgets.named_dropdown(mode),
                        widgets.body("Text size", page, muted=True),
                        text_size,
                    ),
                    widgets.card(widgets.heading("On Today", page, 17), why_switch, good_days_switch),
                    links.settings_card(self.app),
                    sync_card(self.app),
                    self.data.build(),
                    widgets.card(
                        widgets.heading("About and privacy", page, 17),
                        widgets.body(SECURITY_SUMMARY, page),
                        a11y.selectable(
                            widgets.body(
                                "Purpose 0.1 · your journal lives in " + str(self.model.folder),
                                page,
                                muted=True,
                                selectable=True,
                            )
                        ),
                    ),
                ],
                spacing=12,
                padding=16,
            ),
            expand=True,
        )

    def _change(self, _event: object) -> None:
        try:
            self.model.change_passphrase(
                self.current.value or "", self.new.value or "", self.confirm.value or ""
            )
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
            key = self.model.new_recovery_key()
            RecoveryKeyScreen(self.app, key, then=lambda: self.app.go("Settings")).show()

        self.app.guarded(action)

    def _on_autolock(self, event: ft.Event[ft.Dropdown]) -> None:
        self.app.guarded(lambda: self.model.set_autolock(int(str(event.control.value))))

    def _on_theme(self, event: ft.Event[ft.Dropdown]) -> None:
        self.app.guarded(lambda: self.model.set_theme(event.control.value))
        self._apply()

    def _on_scale(self, event: ft.Event[ft.Slider]) -> None:
        value = event.control.value
        assert value is not None  # a slider always rests on a value
        self.app.guarded(lambda: self.model.set_text_scale(round(float(value)) / 100))
        self._apply()

    def _apply(self) -> None:
        comfort = self.model.comfort()
        theme.apply(self.app.page, comfort.theme, comfort.text_scale)
        self.app.render()
