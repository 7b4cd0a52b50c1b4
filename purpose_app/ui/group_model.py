"""Group mode's session plan: the ground rules, each prompt with writing time then sharing time, a
closing word and support resources; timers that pause, resume and extend. No flet here, and nothing
from anyone's vault: only the chosen pack and the shipped support list."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from purpose_app.domain import calendar_words
from purpose_app.messages import CLOSING_WORD, GROUND_RULES
from purpose_app.packs.model import Pack, Prompt, Reading
from purpose_app.ui.support_model import FALLBACK

__all__ = ["CLOSING_WORD", "GROUND_RULES", "GroupModel", "Step", "Timer", "room_resources"]

OPENING, READING, PROMPT, CLOSING, RESOURCES = "opening", "reading", "prompt", "closing", "resources"
WRITE, SHARE = "write", "share"
TIMER_CHOICES = (2, 5, 10, 15)
EXTEND_CHOICES = (1, 5)
Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Step:
    """One slide of the plan; a prompt has two, its writing time and its sharing time."""

    kind: str
    prompt: Prompt | None = None
    reading: Reading | None = None
    phase: str | None = None  # WRITE or SHARE on a prompt's steps


class Timer:
    """A countdown that can pause, resume and be extended, read from an injected clock."""

    def __init__(self, minutes: int, clock: Clock) -> None:
        self.clock = clock
        self.seconds = minutes * 60
        self.started_at: float | None = None  # set while running
        self.banked = 0.0  # seconds run before the last pause
        self.paused = False

    @property
    def started(self) -> bool:
        return self.started_at is not None or self.paused

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.remaining() > 0

    def start(self, minutes: int) -> None:
        self.seconds, self.started_at, self.banked, self.paused = minutes * 60, self.clock(), 0.0, False

    def pause(self) -> None:
        if self.started_at is not None:
            self.banked += self.clock() - self.started_at
            self.started_at, self.paused = None, True

    def resume(self) -> None:
        if self.paused:
            self.started_at, self.paused = self.clock(), False

    def extend(self, minutes: int) -> None:
        """More time: added to what is left, or, once time is up, counted from now."""
        if self.started and self.remaining() == 0:
            self.seconds = round(self._elapsed())
        self.seconds += minutes * 60

    def _elapsed(self) -> float:
        running = self.clock() - self.started_at if self.started_at is not None else 0.0
        return self.banked + running

    def remaining(self) -> int:
        return max(0, round(self.seconds - self._elapsed()))

    def text(self) -> str:
        left = self.remaining()
        if self.started and left == 0:
            return "Time"
        return f"{left // 60}:{left % 60:02d}"


def plan(pack: Pack) -> tuple[Step, ...]:
    """Opening, the readings, then each prompt's writing and sharing, then the closing word and support."""
    readings = [Step(READING, reading=r) for r in pack.readings]
    prompts = [Step(PROMPT, p, phase=phase) for p in pack.prompts for phase in (WRITE, SHARE)]
    return (Step(OPENING), *readings, *prompts, Step(CLOSING), Step(RESOURCES))


def room_resources() -> list[tuple[str, str, str]]:
    """(name, contact, note) of the shipped support list: never the facilitator's own contacts, which
    are theirs, and never an error on a projector (the built-in fallback instead)."""
    try:
        from purpose_app.insight import support

        return [(r.name, r.contact, r.note) for r in support.shipped().resources] or list(FALLBACK)
    except Exception:  # the room still sees where to turn
        return list(FALLBACK)


class GroupModel:
    def __init__(
        self,
        pack: Pack,
        *,
        writing_minutes: int = 5,
        sharing_minutes: int = 10,
        clock: Clock = time.monotonic,
        resources: Sequence[tuple[str, str, str]] = (),
    ) -> None:
        self.pack = pack
        self.steps = plan(pack)
        self.index = 0
        self.clock = clock
        self.minutes = {WRITE: writing_minutes, SHARE: sharing_minutes}
        self.resources = list(resources)
        self.timer = Timer(self._default_minutes(), clock)
        self.follow_up_shown = False
        self.facilitator_view = False  # the leader's own screen: notes shown; never on a projector

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    @property
    def prompt(self) -> Prompt | None:
        return self.step.prompt

    @property
    def ground_rules(self) -> tuple[str, ...]:
        return GROUND_RULES

    @property
    def closing_word(self) -> str:
        return CLOSING_WORD

    @property
    def session_day(self) -> str | None:
        """The session's date as words ("Thursday, November 12, 2026"), if the pack gives one."""
        day = self.pack.session_date
        return calendar_words.weekday_date_words(day) if day else None

    @property
    def position(self) -> str:
        step = self.step
        if step.kind == READING:
            return f"Reading {self.pack.readings.index(step.reading) + 1} of {len(self.pack.readings)}"
        if step.kind != PROMPT or step.prompt is None:
            return {OPENING: "Opening", CLOSING: "Closing", RESOURCES: "Support"}[step.kind]
        number = self.pack.prompts.index(step.prompt) + 1
        phase = "writing time" if step.phase == WRITE else "sharing time"
        return f"Prompt {number} of {len(self.pack.prompts)} · {phase}"

    @property
    def timed(self) -> bool:
        """Whether this step has a timer (the prompts' writing and sharing)."""
        return self.step.kind == PROMPT

    def _default_minutes(self) -> int:
        return self.minutes.get(self.step.phase or WRITE, self.minutes[WRITE])

    def _go(self, index: int) -> None:
        before = self.prompt
        self.index = max(0, min(index, len(self.steps) - 1))
        if self.prompt != before:
            self.follow_up_shown = False
        self.timer = Timer(self._default_minutes(), self.clock)

    def next(self) -> None:
        self._go(self.index + 1)

    def previous(self) -> None:
        self._go(self.index - 1)

    # -- the timer

    def start(self, minutes: int | None = None) -> None:
        """Start this step's timer; the minutes chosen become the default for this kind of time."""
        if minutes is not None and self.step.phase is not None:
            self.minutes[self.step.phase] = minutes
        self.timer.start(minutes if minutes is not None else self._default_minutes())

    def pause(self) -> None:
        self.timer.pause()

    def resume(self) -> None:
        self.timer.resume()

    def extend(self, minutes: int) -> None:
        self.timer.extend(minutes)

    def remaining_seconds(self) -> int | None:
        return self.timer.remaining() if self.timer.started else None

    def remaining_text(self) -> str:
        return self.timer.text()

    # -- what is on screen besides the prompt

    def toggle_follow_up(self) -> None:
        self.follow_up_shown = not self.follow_up_shown

    def follow_up(self) -> str | None:
        """The prompt's follow-up question, once the facilitator reveals it."""
        prompt = self.prompt
        return prompt.follow_up if prompt is not None and self.follow_up_shown else None

    def toggle_facilitator_view(self) -> None:
        self.facilitator_view = not self.facilitator_view

    def notes(self) -> str | None:
        """Facilitator notes for this step: only in the facilitator's view, never for the room."""
        if not self.facilitator_view:
            return None
        if self.step.kind == OPENING:
            return self.pack.facilitator_notes
        return self.prompt.facilitator_notes if self.prompt is not None else None
