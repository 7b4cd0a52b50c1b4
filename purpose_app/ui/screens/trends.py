"""Trends: how energy moves, what drains and what fuels, shifts and weekdays, self-checks over time.
Charts are drawn in memory (PNG bytes, never files); each comes with its sentence in words."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from purpose_app.ui import theme, widgets
from purpose_app.ui.shell import Shell
from purpose_app.ui.trends_model import RANGES, RenderedChart, TrendsModel


class TrendsScreen:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.model = TrendsModel(app.session)

    @property
    def days(self) -> int | None:
        return self.model.days

    def _dark(self) -> bool:
        page = self.app.page
        if page.theme_mode == ft.ThemeMode.DARK:
            return True
        return bool(page.theme_mode != ft.ThemeMode.LIGHT and page.platform_brightness == ft.Brightness.DARK)

    def rendered(self) -> list[RenderedChart]:
        """The four charts for the chosen range, drawn once per state of the journal."""
        return self.model.rendered(dark=self._dark(), phone=theme.is_phone(self.app.page))

    def build(self) -> ft.Control:
        page = self.app.page
        phone = theme.is_phone(page)
        ranges = ft.Row(
            [
                (ft.FilledButton if days == self.days else ft.OutlinedButton)(
                    content=label, on_click=self._range_handler(days)
                )
                for label, days in RANGES
            ],
            wrap=True,
            spacing=8,
        )
        parts: list[ft.Control] = [
            widgets.heading("Trends", page),
            self._selfcheck_card(),
            ranges,
        ]
        width = 358 if phone else 900
        for chart in self.rendered():
            parts.append(
                widgets.card(
                    ft.Text(chart.title, weight=ft.FontWeight.W_600, size=theme.size(page, 16)),
                    ft.Image(
                        src=chart.png, semantics_label=chart.summary, width=width, fit=ft.BoxFit.CONTAIN
                    ),
                    widgets.body(chart.summary, page),
                )
            )
        parts.append(
            widgets.body(
                "Days without a check-in stay blank: nothing is filled in or guessed.", page, muted=True
            )
        )
        return ft.Container(ft.ListView(parts, spacing=12, padding=16), expand=True)

    def _selfcheck_card(self) -> ft.Control:
        from purpose_app.ui.screens.selfcheck import open_cbi, open_quick

        page = self.app.page
        line = self.model.selfcheck_line()
        return widgets.card(
            ft.Text("Self-checks", weight=ft.FontWeight.W_600, size=theme.size(page, 16)),
            widgets.body(
                f"{line} A result is a signal worth attention, never a diagnosis.", page, muted=True
            ),
            ft.Row(
                [
                    widgets.secondary("Quick check (ten seconds)", lambda _e: open_quick(self.app)),
                    widgets.secondary("Copenhagen check (a few minutes)", lambda _e: open_cbi(self.app)),
                ],
                wrap=True,
            ),
        )

    def _range_handler(self, days: int | None) -> Callable[[object], None]:
        def handler(_event: object) -> None:
            self.model.choose(days)
            self.app.render()

        return handler
