"""Programmes in the app: see each one and where you are in it, start, pause, resume, stop. No flet here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from purpose_app.domain.clock import now
from purpose_app.packs.programme import Progress
from purpose_app.services import programmes
from purpose_app.services.library import Library
from purpose_app.services.reflection import Reflection
from purpose_app.services.session import Session

__all__ = ["ProgrammeRow", "ProgrammesModel", "Progress"]


@dataclass(frozen=True)
class ProgrammeRow:
    """One programme as the screen draws it: words already chosen, and which buttons apply."""

    pack_id: str
    name: str
    description: str
    status: str  # "not started", "running", "paused", "finished"
    where: str  # "Day 6 of 15 · 5 of 15 days done." or "Not started."
    today: str | None  # the prompt it offers now, if any
    actions: tuple[str, ...]  # of "start", "resume", "pause", "stop", "start again"


def _where(progress: Progress) -> str:
    if progress.status == "not started":
        return "Not started."
    if progress.status == "finished":
        return f"Finished. {progress.summary}"
    if progress.status == "paused":
        return f"Paused. {progress.summary} It waits for you, as it is."
    if progress.today is None and progress.done_today:
        return f"{progress.summary} Today's is written; the next one comes tomorrow."
    return f"{progress.label[0].upper()}{progress.label[1:]}. {progress.summary}"


def _actions(status: str) -> tuple[str, ...]:
    return {
        "not started": ("start",),
        "running": ("pause", "stop"),
        "paused": ("resume", "stop"),
        "finished": ("start again",),
    }.get(status, ())


def row(progress: Progress) -> ProgrammeRow:
    return ProgrammeRow(
        pack_id=progress.pack.id,
        name=progress.pack.name,
        description=progress.pack.description,
        status=progress.status,
        where=_where(progress),
        today=progress.today.text if progress.today is not None else None,
        actions=_actions(progress.status),
    )


class ProgrammesModel:
    def __init__(self, session: Session, *, clock: Callable[[], datetime] = now) -> None:
        self.session = session
        self.clock = clock

    def _reflection(self) -> Reflection:
        return Reflection(Library(self.session.require()))

    def rows(self) -> list[ProgrammeRow]:
        """Every programme, running ones first."""
        return [row(p) for p in programmes.all_programmes(self._reflection(), self.clock())]

    def act(self, pack_id: str, action: str) -> ProgrammeRow:
        """Do one of a row's actions; returns the row afterwards. Raises InvalidInput, changing nothing."""
        reflection, moment = self._reflection(), self.clock()
        if action in ("start", "resume", "start again"):
            progress = reflection.start_programme(pack_id, moment)
        elif action == "pause":
            progress = reflection.pause_programme(pack_id, moment)
        elif action == "stop":
            progress = programmes.stop_programme(reflection, pack_id, moment)
        else:
            raise ValueError(action)
        return row(progress)

    @staticmethod
    def done_words(action: str, name: str) -> str:
        """What the toast says after an action."""
        return {
            "start": f"Started {name}. Its prompt is on Today.",
            "start again": f"Started {name} again, from the beginning.",
            "resume": f"{name} goes on where you left it.",
            "pause": f"Paused {name}. Your progress is kept.",
            "stop": f"Stopped {name}. What you wrote for it stays in your journal.",
        }[action]
