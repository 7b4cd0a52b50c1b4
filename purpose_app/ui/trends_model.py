"""Trends: the chosen range, the four charts drawn once per state of the journal, and which self-checks
are open. Charts are PNG bytes made in memory, never files. No flet here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from purpose_app.domain.clock import now
from purpose_app.insight import charts
from purpose_app.insight import theme as chart_theme
from purpose_app.insight.charts import RenderedChart
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.services.session import Session
from purpose_app.services.trends import Trends

RANGES = (("30 days", 30), ("90 days", 90), ("A year", 365), ("All", None))
KINDS = ("energy", "ledger", "shifts", "selfcheck")

__all__ = ["KINDS", "RANGES", "RenderedChart", "TrendsModel"]


class TrendsModel:
    def __init__(self, session: Session, *, clock: Callable[[], datetime] = now) -> None:
        self.session = session
        self.clock = clock
        self.days: int | None = 30
        self._cache: dict[tuple[object, ...], list[RenderedChart]] = {}

    def choose(self, days: int | None) -> None:
        self.days = days

    def rendered(self, *, dark: bool, phone: bool) -> list[RenderedChart]:
        """The four charts for the chosen range, drawn once per state of the journal."""
        vault = self.session.require()
        checks = len(SelfChecks(vault).history())
        today = self.clock().date()
        key = (self.days, dark, phone, vault.count(), checks, today)
        if key not in self._cache:
            trends = Trends(vault)
            size = chart_theme.PHONE.scaled(2) if phone else chart_theme.DESKTOP
            palette = chart_theme.DARK if dark else chart_theme.LIGHT
            self._cache = {
                key: [charts.render(trends.chart(k, self.days, today), palette, size) for k in KINDS]
            }
        return self._cache[key]

    def selfcheck_line(self) -> str:
        """Which self-checks are open, said as an offer; nothing about what was missed."""
        due = SelfChecks(self.session.require()).due(self.clock())
        offers = []
        if due.quick:
            offers.append("a quick check is open this week")
        if due.cbi:
            offers.append("the Copenhagen check is open this month")
        return ("Whenever you like: " + " and ".join(offers) + ".") if offers else "You are up to date."
