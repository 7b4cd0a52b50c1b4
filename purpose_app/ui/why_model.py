"""My why in the app: write it, rewrite it, read its earlier versions. Every version is kept. No flet here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from purpose_app.domain import calendar_words
from purpose_app.domain.clock import now
from purpose_app.services.library import Library
from purpose_app.services.reflection import MAX_WHY, Reflection
from purpose_app.services.session import Session

__all__ = ["MAX_WHY", "WhyModel", "WhyVersion"]


@dataclass(frozen=True)
class WhyVersion:
    text: str
    written: str  # "March 3, 2024", as the screen shows it


def _day(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:10]
    return calendar_words.date_words(moment)


class WhyModel:
    def __init__(self, session: Session, *, clock: Callable[[], datetime] = now) -> None:
        self.session = session
        self.clock = clock

    def _reflection(self) -> Reflection:
        return Reflection(Library(self.session.require()))

    def current(self) -> str | None:
        return self._reflection().my_why()

    def versions(self) -> list[WhyVersion]:
        """Every version, newest first."""
        history = self._reflection().why_history()
        return [WhyVersion(v.get("text", ""), _day(v.get("written", ""))) for v in reversed(history)]

    def save(self, text: str) -> bool:
        """Store a new version; False when it is the same as the current one (nothing stored).
        Raises InvalidInput for an empty or overlong text, storing nothing."""
        reflection = self._reflection()
        if text.strip() and text.strip() == (reflection.my_why() or "").strip():
            return False
        reflection.set_why(text, self.clock())
        return True
