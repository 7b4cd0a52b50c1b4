"""Trends: how energy moves, what drains and what fuels, shifts and weekdays, self-checks over time.
Charts are drawn in memory (PNG bytes, never files); each comes with its sentence in words."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import flet as ft

from purpose_app.insight import charts
from purpose_app.insight import theme as chart_theme
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.services.trends import Trends
from purpose_app.ui import theme, widgets

RANGES = (("30 days", 30), ("90 days", 90), ("A year", 365), ("All", None))
KINDS = ("energy", "ledger", "shifts", "selfcheck")


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


class TrendsScreen:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.days: int | None = 30
        self._cache: dict[tuple[object, ...], list[charts.RenderedChart]] = {}

    def _dark(self) -> bool:
        page = self.app.page
        if page.theme_mode == ft.ThemeMode.DARK:
            return True
        return bool(page.theme_mode != ft.ThemeMode.LIGHT and page.platform_brightness == ft.Brightness.DARK)

    def rendered(self) -> list[charts.RenderedChart]:
        """The four charts for the chosen range, drawn once per state of the journal."""
        vault = self.app.session.require()
        phone = theme.is_phone(self.app.page)
        checks = len(SelfChecks(vault).history())
        key = (self.days, self._dark(), phone, vault.count(), checks, _now().date())
        if key not in self._cache:
            trends = Trends(vault)
            today = _now().date()
            size = chart_theme.PHONE.scaled(2) if phone else chart_theme.DESKTOP
            palette = chart_theme.DARK if self._dark() else chart_theme.LIGHT
            self._cache = {
                key: [charts.render(trends.chart(k, self.days, today), palette, size) for k in KINDS]
            }
        return self._cache[key]

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
        due = SelfChecks(self.app.session.require()).due(_now())
        offers = []
        if due.quick:
            offers.append("a quick check is open this week")
        if due.cbi:
            offers.append("the Copenhagen check is open this month")
        line = ("Whenever you like: " + " and ".join(offers) + ".") if offers else "You are up to date."
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

    def _range_handler(self, days: int | None) -> Any:
        def handler(_event: object) -> None:
            self.days = days
            self.app.render()

        return handler
