"""Group mode: one prompt at a time in large type for a projector, with a quiet timer.
Nothing from anyone's journal is ever on this screen: only the chosen pack's prompts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import flet as ft

from purpose_app.packs.model import Pack
from purpose_app.ui import theme
from purpose_app.ui.group_model import TIMER_CHOICES, GroupModel
from purpose_app.ui.screens.full_page import full_page
from purpose_app.ui.shell import Shell


class GroupScreen:
    def __init__(self, app: Shell, pack: Pack, packs: list[Pack]) -> None:
        self.app = app
        self.packs = {p.id: p for p in packs}
        self.model = GroupModel(pack)
        self.prompt = ft.Text("", size=40, text_align=ft.TextAlign.CENTER, weight=ft.FontWeight.W_500)
        self.position = ft.Text("")
        self.timer = ft.Text("", size=28)
        self.running = False

    def show(self) -> None:
        page = self.app.page
        page.controls.clear()
        page.add(full_page(self.app, self.build()))
        self._refresh()
        page.update()

    def build(self) -> ft.Control:
        size = 26 if theme.is_phone(self.app.page) else 44
        self.prompt.size = size
        choose = ft.Dropdown(
            label="Pack",
            value=self.model.pack.id,
            width=260,
            options=[ft.DropdownOption(key=k, text=p.name) for k, p in self.packs.items()],
            on_select=self._choose,
        )
        timers = [
            ft.OutlinedButton(content=f"{m} min", on_click=self._start_handler(m)) for m in TIMER_CHOICES
        ]
        return ft.Container(
            ft.Column(
                [
                    ft.Row(
                        [choose, ft.TextButton(content="Leave group mode", on_click=self._leave)],
                        alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                        wrap=True,
                    ),
                    ft.Container(self.prompt, expand=True, alignment=ft.Alignment.CENTER, padding=24),
                    ft.Row([self.timer, *timers], alignment=ft.MainAxisAlignment.CENTER, wrap=True),
                    ft.Row(
                        [
                            ft.OutlinedButton(content="Previous", on_click=self._previous),
                            self.position,
                            ft.FilledButton(content="Next", on_click=self._next),
                        ],
                        alignment=ft.MainAxisAlignment.CENTER,
                    ),
                ],
                expand=True,
            ),
            padding=24,
            expand=True,
        )

    def _refresh(self) -> None:
        self.prompt.value = self.model.prompt.text
        self.position.value = self.model.position
        self.timer.value = self.model.remaining_text()

    def _update(self) -> None:
        self._refresh()
        self.app.page.update()

    def _choose(self, event: ft.Event[ft.Dropdown]) -> None:
        self.model = GroupModel(self.packs[event.control.value or ""], minutes=self.model.minutes)
        self._update()

    def _next(self, _event: object) -> None:
        self.model.next()
        self._update()

    def _previous(self, _event: object) -> None:
        self.model.previous()
        self._update()

    def _start_handler(self, minutes: int) -> Callable[[object], None]:
        def handler(_event: object) -> None:
            self.model.start(minutes)
            self._update()
            if not self.running:
                self.running = True
                self.app.page.run_task(self._tick)

        return handler

    async def _tick(self) -> None:
        while self.running and self.model.remaining_seconds():
            await asyncio.sleep(1)
            self.app.session.touch()  # a facilitator's screen does not lock mid-circle
            self._update()
        self.running = False

    def _leave(self, _event: object) -> None:
        self.running = False
        self.app.go("Packs")
