"""Group mode: a session plan for a projector (ground rules, readings, each prompt with writing and
sharing time, a closing word, support), with timers that pause, resume and extend. Nothing from
anyone's journal is ever on this screen; facilitator notes appear only in the facilitator's view."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import flet as ft

from purpose_app.packs.model import Pack
from purpose_app.ui import theme, widgets
from purpose_app.ui.group_model import (
    CLOSING,
    EXTEND_CHOICES,
    OPENING,
    READING,
    RESOURCES,
    TIMER_CHOICES,
    WRITE,
    GroupModel,
    room_resources,
)  # fmt: skip
from purpose_app.ui.screens.full_page import full_page
from purpose_app.ui.shell import Shell

PHASE_LINE = {
    WRITE: "Writing time: for yourself. Nothing written needs to be shared.",
    "share": "Sharing time: share what you wish, or pass. Listen without fixing.",
}


class GroupScreen:
    def __init__(self, app: Shell, pack: Pack, packs: list[Pack]) -> None:
        self.app = app
        self.packs = {p.id: p for p in packs}
        self.model = GroupModel(pack, resources=room_resources())
        # On a phone the whole page scrolls, buttons and all: a scrolling slide holding nothing to focus
        # could not be scrolled by keyboard (axe: scrollable-region-focusable). On a larger screen the
        # slide is centred in the space left, and scrolls only if a long prompt needs it.
        self.phone = theme.is_phone(app.page)
        self.slide = ft.Column(
            spacing=14,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            scroll=None if self.phone else ft.ScrollMode.AUTO,
        )
        self.position = ft.Text("")
        self.timer = ft.Text("", size=28)
        self.timer_row = ft.Row(alignment=ft.MainAxisAlignment.CENTER, wrap=True)
        self.running = False

    def show(self) -> None:
        page = self.app.page
        page.controls.clear()
        page.add(full_page(self.app, self.build()))
        self._refresh()
        page.update()

    def build(self) -> ft.Control:
        choose = ft.Dropdown(
            label="Pack",
            value=self.model.pack.id,
            width=260,
            options=[ft.DropdownOption(key=k, text=p.name) for k, p in self.packs.items()],
            on_select=self._choose,
        )
        view = ft.Switch(
            label="Facilitator view (your notes; not for a projector)",
            value=self.model.facilitator_view,
            on_change=self._toggle_view,
        )
        return ft.Container(
            ft.Column(
                [
                    ft.Row(
                        [
                            widgets.named_dropdown(choose),
                            view,
                            ft.TextButton(content="Leave group mode", on_click=self._leave),
                        ],
                        alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                        wrap=True,
                    ),
                    ft.Container(
                        self.slide, expand=not self.phone, alignment=ft.Alignment.CENTER, padding=24
                    ),
                    self.timer_row,
                    ft.Row(
                        [
                            ft.OutlinedButton(content="Previous", on_click=self._previous),
                            self.position,
                            ft.FilledButton(content="Next", on_click=self._next),
                        ],
                        alignment=ft.MainAxisAlignment.CENTER,
                        wrap=True,
                    ),
                ],
                expand=True,
                scroll=ft.ScrollMode.AUTO if self.phone else None,
            ),
            padding=24,
            expand=True,
        )

    # -- drawing

    def _big(self, text: str, base: float = 44) -> ft.Text:
        size = base * 0.6 if theme.is_phone(self.app.page) else base
        return ft.Text(text, size=size, text_align=ft.TextAlign.CENTER, weight=ft.FontWeight.W_500)

    def _line(self, text: str, base: float = 20, *, muted: bool = False) -> ft.Text:
        size = base * 0.8 if theme.is_phone(self.app.page) else base
        color = ft.Colors.ON_SURFACE_VARIANT if muted else None
        return ft.Text(text, size=size, text_align=ft.TextAlign.CENTER, color=color)

    def _slide_controls(self) -> list[ft.Control]:
        kind = self.model.step.kind
        if kind == OPENING:
            return self._opening()
        if kind == READING:
            return self._reading()
        if kind == CLOSING:
            return [self._big("Closing", 32), self._line(self.model.closing_word, 26)]
        if kind == RESOURCES:
            found = [self._line(f"{name}: {contact}" + (f"\n{note}" if note else ""), 20)
                     for name, contact, note in self.model.resources]  # fmt: skip
            return [self._big("If today stirred something up", 32), *found]
        return self._prompt()

    def _opening(self) -> list[ft.Control]:
        model = self.model
        when = [self._line(model.session_day, muted=True)] if model.session_day else []
        rules = [self._line(f"• {rule}", 22) for rule in model.ground_rules]
        return [self._big(model.pack.name), *when, self._line(model.pack.description, muted=True),
                self._big("Our ground rules", 28), *rules]  # fmt: skip

    def _reading(self) -> list[ft.Control]:
        reading = self.model.step.reading
        if reading is None:  # a reading step always has one; kept for the type checker
            return []
        text = [self._line(reading.text, 22)] if reading.text else []
        credit = f"{reading.attribution} · {reading.licence}"
        return [self._big(reading.title, 32), *text, self._line(credit, 16, muted=True)]

    def _prompt(self) -> list[ft.Control]:
        model = self.model
        prompt = model.prompt
        if prompt is None:  # a prompt step always has one; kept for the type checker
            return []
        phase = PHASE_LINE[model.step.phase or WRITE]
        controls: list[ft.Control] = [self._big(prompt.text), self._line(phase, muted=True)]
        follow_up = model.follow_up()
        if follow_up:
            controls.append(self._line(follow_up, 26))
        if prompt.follow_up:
            label = "Hide the follow-up" if model.follow_up_shown else "Show the follow-up"
            controls.append(ft.TextButton(content=label, on_click=self._follow_up))
        return controls

    def _refresh(self) -> None:
        controls = self._slide_controls()
        notes = self.model.notes()
        if notes:
            controls.append(
                ft.Container(
                    ft.Column(
                        [
                            ft.Text("Facilitator notes (only on your screen)", weight=ft.FontWeight.W_600),
                            ft.Text(notes),
                        ]
                    ),
                    padding=12,
                    border=ft.Border.all(1, ft.Colors.OUTLINE),
                    border_radius=8,
                )
            )
        self.slide.controls = controls
        self.position.value = self.model.position
        self.timer.value = self.model.remaining_text()
        self.timer_row.visible = self.model.timed
        self.timer_row.controls = self._timer_controls() if self.model.timed else []

    def _timer_controls(self) -> list[ft.Control]:
        timer = self.model.timer
        starts = [
            ft.OutlinedButton(content=f"{m} min", on_click=self._start_handler(m)) for m in TIMER_CHOICES
        ]
        controls: list[ft.Control] = [self.timer, *starts]
        if timer.running:
            controls.append(ft.OutlinedButton(content="Pause", on_click=self._pause))
        elif timer.paused:
            controls.append(ft.FilledButton(content="Resume", on_click=self._resume))
        controls += [
            ft.TextButton(content=f"+{m} min", on_click=self._extend_handler(m)) for m in EXTEND_CHOICES
        ]
        return controls

    def _update(self) -> None:
        self._refresh()
        self.app.page.update()

    # -- handlers

    def _choose(self, event: ft.Event[ft.Dropdown]) -> None:
        chosen = self.packs[event.control.value or ""]
        self.model = GroupModel(chosen, resources=self.model.resources)
        self._update()

    def _toggle_view(self, _event: object) -> None:
        self.model.toggle_facilitator_view()
        self._update()

    def _follow_up(self, _event: object) -> None:
        self.model.toggle_follow_up()
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
            self._ticking()

        return handler

    def _extend_handler(self, minutes: int) -> Callable[[object], None]:
        def handler(_event: object) -> None:
            self.model.extend(minutes)
            self._ticking()

        return handler

    def _pause(self, _event: object) -> None:
        self.model.pause()
        self._update()

    def _resume(self, _event: object) -> None:
        self.model.resume()
        self._ticking()

    def _ticking(self) -> None:
        self._update()
        if self.model.timer.running and not self.running:
            self.running = True
            self.app.page.run_task(self._tick)

    async def _tick(self) -> None:
        while self.running and self.model.timer.running:
            await asyncio.sleep(1)
            self.app.session.touch()  # a facilitator's screen does not lock mid-circle
            self._update()
        self.running = False

    def _leave(self, _event: object) -> None:
        self.running = False
        self.app.go("Packs")
