"""Trends: how energy moves, what drains and what fuels, shifts and weekdays, self-checks over time.
Charts are drawn in memory (PNG bytes, never files); each comes with its sentence in words."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.insight import theme as chart_theme
from purpose_app.ui import theme, widgets
from purpose_app.ui.chart_tables import Table
from purpose_app.ui.screens import links
from purpose_app.ui.shell import Shell
from purpose_app.ui.trends_model import RANGES, RenderedChart, TrendsModel

DRAWING = "Drawing your charts…"
RAIL = 81  # the navigation rail and its divider, beside the screen on a desktop
MAX_DESKTOP_CHART = 960


class TrendsScreen:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.model = TrendsModel(app.session)
        self.charts = ft.Column(spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.detail_switch = ft.Switch(label="Daily detail", value=False, on_change=self._on_detail)
        # Shown only when the range is drawn in weeks or months; hidden as a whole (see widgets.tagged).
        self.detail_row = ft.Row([self.detail_switch], visible=False)
        self._drawing_for = 0  # which build the drawing under way belongs to
        self.numbers_shown: set[int] = set()  # the charts whose numbers are shown under them
        self._drawn: list[RenderedChart] = []

    @property
    def days(self) -> int | None:
        return self.model.days

    def _dark(self) -> bool:
        page = self.app.page
        if page.theme_mode == ft.ThemeMode.DARK:
            return True
        return bool(page.theme_mode != ft.ThemeMode.LIGHT and page.platform_brightness == ft.Brightness.DARK)

    def _chart_width(self) -> float:
        # The width a chart is shown at: the page less the rail, the list's and the card's padding and
        # the card's margin, so the picture is drawn at the size it is seen (its lettering stays >= 11 px).
        page = self.app.page
        phone = theme.is_phone(page)
        inner = (page.width or 1280) - (0 if phone else RAIL) - 2 * (16 + 16 + 4) - 4
        return inner if phone else min(inner, MAX_DESKTOP_CHART)

    def _pixel_ratio(self) -> float:
        media = self.app.page.media  # Flet reports 0 until the device has said
        return float(media.device_pixel_ratio or 0) if media is not None else 0.0

    def _size(self) -> chart_theme.Size:
        phone = theme.is_phone(self.app.page)
        return self.model.size(phone=phone, width=self._chart_width(), pixel_ratio=self._pixel_ratio())

    def rendered(self) -> list[RenderedChart]:
        """The four charts for the chosen range, drawn once per state of the journal."""
        return self.model.rendered(
            dark=self._dark(),
            phone=theme.is_phone(self.app.page),
            width=self._chart_width(),
            pixel_ratio=self._pixel_ratio(),
        )

    def build(self) -> ft.Control:
        page = self.app.page
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
        ready = self.model.ready(dark=self._dark(), size=self._size())
        self.charts.controls = self._chart_cards(ready) if ready is not None else [self._drawing()]
        parts: list[ft.Control] = [
            widgets.heading("Trends", page),
            self._selfcheck_card(),
            ranges,
            self.detail_row,
            self.charts,
            widgets.body(
                "Days without a check-in stay blank: nothing is filled in or guessed.", page, muted=True
            ),
        ]
        self._show_detail_switch()
        self._drawing_for += 1
        if ready is None:  # the first drawing takes seconds: the page is shown now, the charts follow
            page.run_task(self._draw, self._drawing_for)
        return ft.Container(ft.ListView(parts, spacing=12, padding=16), expand=True)

    def _drawing(self) -> ft.Control:
        return widgets.tagged(
            "trends-drawing",
            ft.Row(
                [ft.ProgressRing(width=24, height=24), widgets.body(DRAWING, self.app.page, muted=True)],
                spacing=12,
            ),
            label=DRAWING,
        )

    def _chart_cards(self, drawn: list[RenderedChart]) -> list[ft.Control]:
        page = self.app.page
        width = self._chart_width()
        self._drawn = drawn
        cards: list[ft.Control] = []
        for i, chart in enumerate(drawn):
            shown = i in self.numbers_shown and i < len(self.model.tables)
            parts: list[ft.Control] = [
                ft.Text(chart.title, weight=ft.FontWeight.W_600, size=theme.size(page, 16)),
                # Aligned in a container, so the picture keeps its own width (never stretched or shrunk).
                ft.Container(
                    ft.Image(
                        src=chart.png, semantics_label=chart.summary, width=width, fit=ft.BoxFit.CONTAIN
                    ),
                    alignment=ft.Alignment.CENTER_LEFT,
                ),
                widgets.body(chart.summary, page),
                ft.Row(
                    [
                        widgets.secondary(
                            "Hide the numbers" if shown else "Show the numbers",
                            self._numbers_handler(i),
                            icon=ft.Icons.TABLE_CHART_OUTLINED,
                        )
                    ]
                ),
            ]
            if shown:
                parts.append(numbers(self.model.tables[i], page))
            cards.append(widgets.card(*parts))
        return cards

    def _numbers_handler(self, index: int) -> Callable[[object], None]:
        def handler(_event: object) -> None:
            self.numbers_shown ^= {index}
            self.charts.controls = self._chart_cards(self._drawn)
            self.charts.update()

        return handler

    async def _draw(self, drawing: int) -> None:
        try:
            drawn = await asyncio.to_thread(self.rendered)  # matplotlib off the page's event loop
        except PurposeError as exc:  # locked meanwhile, or the journal could not be read
            drawn, failed = [], exc.message
        else:
            failed = ""
        if drawing != self._drawing_for:
            return  # another range was chosen meanwhile: its own drawing fills the page
        if failed:
            self.charts.controls = [widgets.notice(failed, error=True)]
        else:
            self.charts.controls = self._chart_cards(drawn)
        self._show_detail_switch()
        with contextlib.suppress(RuntimeError):  # the person moved on to another screen meanwhile
            self.charts.update()
            self.detail_row.update()

    def _show_detail_switch(self) -> None:
        self.detail_switch.value = self.model.detail
        self.detail_row.visible = self.model.coarse

    def _on_detail(self, event: ft.Event[ft.Switch]) -> None:
        self.model.show_detail(bool(event.control.value))
        self.app.render()

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
                    links.history_button(self.app),
                ],
                wrap=True,
            ),
        )

    def _range_handler(self, days: int | None) -> Callable[[object], None]:
        def handler(_event: object) -> None:
            self.model.choose(days)
            self.app.render()

        return handler


def numbers(table: Table, page: ft.Page) -> ft.Control:
    """A chart's numbers under its picture, for a screen reader or a closer look: a header line, then
    one line per row, each read as one sentence with its headers ("Day 2024-03-01, Energy 7, 7-day
    mean 6.1"). In the page, not in a dialog: a scrolling box holding nothing to focus cannot be
    scrolled by keyboard (axe: scrollable-region-focusable). Not Flutter's DataTable: it leaves the rows
    scrolled out of view as empty table rows (axe: aria-required-children, critical)."""
    if not table.rows:
        return widgets.body("Nothing to show in this period yet.", page, muted=True)
    size = theme.size(page, 14)
    weights = [2] + [1] * (len(table.headers) - 1)  # the first column (a day, a name) is the widest

    def line(values: tuple[str, ...], *, bold: bool = False) -> ft.Row:
        weight = ft.FontWeight.W_600 if bold else None
        cells: list[ft.Control] = [
            ft.Text(v, expand=w, size=size, weight=weight) for v, w in zip(values, weights, strict=True)
        ]
        return ft.Row(cells, spacing=8, vertical_alignment=ft.CrossAxisAlignment.START)

    def spoken(row: tuple[str, ...]) -> str:
        return ", ".join(f"{head} {value}" for head, value in zip(table.headers, row, strict=True))

    rows: list[ft.Control] = [line(table.headers, bold=True), ft.Divider(height=1)]
    rows += [ft.Semantics(label=spoken(row), exclude_semantics=True, content=line(row)) for row in table.rows]
    return ft.Column(rows, spacing=6)
