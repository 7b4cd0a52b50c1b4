"""Trends: the chosen range, the four charts drawn once per state of the journal, and which self-checks
are open. Charts are PNG bytes made in memory, never files. No flet here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from purpose_app.domain.clock import now
from purpose_app.insight import charts, series
from purpose_app.insight import theme as chart_theme
from purpose_app.insight.chart_data import EnergyChart
from purpose_app.insight.charts import RenderedChart
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.services.session import Session
from purpose_app.services.trends import Trends
from purpose_app.ui.chart_tables import Table, table

RANGES = (("30 days", 30), ("90 days", 90), ("A year", 365), ("All", None))
KINDS = ("energy", "ledger", "shifts", "selfcheck")

__all__ = ["KINDS", "RANGES", "RenderedChart", "TrendsModel"]


class TrendsModel:
    def __init__(self, session: Session, *, clock: Callable[[], datetime] = now) -> None:
        self.session = session
        self.clock = clock
        self.days: int | None = 30
        self.detail = False  # "Daily detail": a long range drawn day by day instead of in weeks or months
        self.coarse = False  # whether the chosen range is long enough to be drawn in weeks or months
        self.tables: list[Table] = []  # the numbers of the charts last drawn, one table per chart
        self._cache: dict[tuple[object, ...], tuple[list[RenderedChart], bool, list[Table]]] = {}

    def choose(self, days: int | None) -> None:
        self.days = days

    def show_detail(self, detail: bool) -> None:
        self.detail = detail

    @staticmethod
    def size(*, phone: bool, width: float | None = None, pixel_ratio: float = 0.0) -> chart_theme.Size:
        """For the width the chart is shown at (logical pixels) and the device's pixel ratio; without a
        width, the standard phone (at ratio 2) or desktop size."""
        base = chart_theme.PHONE if phone else chart_theme.DESKTOP
        if width is None:
            return chart_theme.PHONE.scaled(2) if phone else chart_theme.DESKTOP
        return chart_theme.for_display(width, pixel_ratio, base)

    def _key(self, dark: bool, size: chart_theme.Size) -> tuple[object, ...]:
        vault = self.session.require()
        checks = len(SelfChecks(vault).history())
        return (self.days, self.detail, dark, size, vault.count(), checks, self.clock().date())

    def ready(self, *, dark: bool, size: chart_theme.Size) -> list[RenderedChart] | None:
        """The charts when already drawn for this state, without drawing (None: drawing takes a while)."""
        found = self._cache.get(self._key(dark, size))
        if found is None:
            return None
        drawn, self.coarse, self.tables = found
        return drawn

    def rendered(
        self,
        *,
        dark: bool,
        phone: bool,
        width: float | None = None,
        pixel_ratio: float = 0.0,
    ) -> list[RenderedChart]:
        """The four charts for the chosen range, drawn once per state of the journal."""
        size = self.size(phone=phone, width=width, pixel_ratio=pixel_ratio)
        key = self._key(dark, size)
        if key not in self._cache:
            trends = Trends(self.session.require())
            palette = chart_theme.DARK if dark else chart_theme.LIGHT
            today = key[-1]
            assert isinstance(today, date)
            data = [trends.chart(k, self.days, today, detail=self.detail) for k in KINDS]
            energy = data[0]
            assert isinstance(energy, EnergyChart)
            coarse = series.grain_for(len(energy.days)) != series.DAY
            drawings = [charts.render(d, palette, size) for d in data]
            self._cache = {key: (drawings, coarse, [table(d) for d in data])}
        drawn, self.coarse, self.tables = self._cache[key]
        return drawn

    def selfcheck_line(self) -> str:
        """Which self-checks are open, said as an offer; nothing about what was missed."""
        due = SelfChecks(self.session.require()).due(self.clock())
        offers = []
        if due.quick:
            offers.append("a quick check is open this week")
        if due.cbi:
            offers.append("the Copenhagen check is open this month")
        return ("Whenever you like: " + " and ".join(offers) + ".") if offers else "You are up to date."
