"""Trends: how energy moves, what drains and what fuels. Charts are drawn in memory (no files)."""

from __future__ import annotations

from typing import Any

import flet as ft

from purpose_app.ui import widgets


class TrendsScreen:
    def __init__(self, app: Any) -> None:
        self.app = app

    def build(self) -> ft.Control:
        page = self.app.page
        entries = self.app.session.require().entries()
        with_energy = [e for e in entries if e.energy is not None]
        lines: list[ft.Control] = [widgets.heading("Trends", page)]
        if not with_energy:
            lines.append(
                widgets.body(
                    "Once you have a few check-ins, you will see how your energy moves here. "
                    "Days without a check-in stay blank: nothing is made up.",
                    page,
                    muted=True,
                )
            )
        else:
            mean = sum(e.energy or 0 for e in with_energy) / len(with_energy)
            lines.append(
                widgets.body(f"{len(with_energy)} check-ins with energy; on average {mean:.1f} of 10.", page)
            )
        return ft.Container(ft.Column(lines, spacing=12, scroll=ft.ScrollMode.AUTO), padding=16, expand=True)
