"""Settings: the passphrase, a new recovery key, and comfort (auto-lock, theme, text size). No flet here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from purpose_app.services import account
from purpose_app.services.session import Session
from purpose_app.ui.today_model import SHOW_GOOD_DAYS, SHOW_WHY

AUTOLOCK_CHOICES = (1, 2, 5, 10, 15, 30)  # minutes
THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Comfort:
    autolock_minutes: int | float
    theme: str
    text_scale: float


class SettingsModel:
    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def folder(self) -> Path:
        return self.session.folder

    def comfort(self) -> Comfort:
        """The saved settings (the defaults while locked), in the types the screen draws."""
        saved = self.session.settings()
        minutes, scale = saved["autolock_minutes"], saved["text_scale"]
        return Comfort(
            autolock_minutes=minutes if isinstance(minutes, int | float) else int(str(minutes)),
            theme=str(saved["theme"]),
            text_scale=float(scale) if isinstance(scale, int | float) else float(str(scale)),
        )

    def set_autolock(self, minutes: int) -> None:
        self.session.save_setting("autolock_minutes", minutes)

    def set_theme(self, theme: str | None) -> None:
        self.session.save_setting("theme", theme)

    def set_text_scale(self, scale: float) -> None:
        self.session.save_setting("text_scale", scale)

    def today_offers(self) -> tuple[bool, bool]:
        """Whether Today offers "your why" on low days, and good days from before (both on by default)."""
        saved = self.session.settings()
        return saved.get(SHOW_WHY, True) is not False, saved.get(SHOW_GOOD_DAYS, True) is not False

    def set_show_why(self, on: bool) -> None:
        self.session.save_setting(SHOW_WHY, on)

    def set_show_good_days(self, on: bool) -> None:
        self.session.save_setting(SHOW_GOOD_DAYS, on)

    def change_passphrase(self, current: str, new: str, confirm: str) -> None:
        account.change_passphrase(self.session, current, new, confirm)

    def new_recovery_key(self) -> str:
        return account.new_recovery_key(self.session)
