"""Group mode for peer-support facilitators: one prompt at a time, a quiet timer. Nothing from the
vault but the chosen pack's prompts. No flet here."""

from __future__ import annotations

import time
from collections.abc import Callable

from purpose_app.packs.model import Pack, Prompt

TIMER_CHOICES = (5, 10, 15)


class GroupModel:
    def __init__(self, pack: Pack, *, minutes: int = 10, clock: Callable[[], float] = time.monotonic) -> None:
        self.pack = pack
        self.index = 0
        self.minutes = minutes
        self.clock = clock
        self.started_at: float | None = None

    @property
    def prompt(self) -> Prompt:
        return self.pack.prompts[self.index]

    @property
    def position(self) -> str:
        return f"{self.index + 1} of {len(self.pack.prompts)}"

    def next(self) -> None:
        self.index = min(self.index + 1, len(self.pack.prompts) - 1)
        self.started_at = None

    def previous(self) -> None:
        self.index = max(self.index - 1, 0)
        self.started_at = None

    def start(self, minutes: int | None = None) -> None:
        if minutes is not None:
            self.minutes = minutes
        self.started_at = self.clock()

    def remaining_seconds(self) -> int | None:
        if self.started_at is None:
            return None
        return max(0, round(self.minutes * 60 - (self.clock() - self.started_at)))

    def remaining_text(self) -> str:
        left = self.remaining_seconds()
        if left is None:
            return f"{self.minutes}:00"
        return "Time" if left == 0 else f"{left // 60}:{left % 60:02d}"
