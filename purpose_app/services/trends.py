"""Insight as a service: entries and self-checks turned into chart data, ledgers and the report.

Plain values in and out; the command line and the app's Trends screen both call this. Charts read
entry metadata only (energy, drains, fuels, shift, date); entry text is decrypted for the report
alone, and only when excerpts are asked for.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from purpose_app.domain.entry import Entry
from purpose_app.errors import InvalidInput
from purpose_app.insight import chart_data, ledger, patterns, report, series
from purpose_app.insight.scoring import CheckResult
from purpose_app.services.selfcheck import SelfChecks

if TYPE_CHECKING:
    from purpose_app.insight.charts import Chart
    from purpose_app.services.vault import Vault

DEFAULT_DAYS = {"energy": 30, "ledger": 30, "shifts": 90, "selfcheck": 365}


class Trends:
    """Charts, ledgers and the PDF report of one unlocked vault."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.checks = SelfChecks(vault)

    def _entries(self) -> list[Entry]:
        return self.vault.entries(with_titles=False)

    def _period(self, days: int | None, today: date, entries: list[Entry]) -> tuple[date, date]:
        first = min((series.local_day(e) for e in entries), default=None)
        return series.period(days, today, first)

    def _checks_between(self, start: date, end: date) -> list[CheckResult]:
        return [c for c in self.checks.history() if start <= c.taken.date() <= end]

    def energy(self, days: int | None, today: date, *, detail: bool = False) -> chart_data.EnergyChart:
        """Beyond six months in weeks, beyond two years in months (series.grain_for); detail: by day."""
        found = series.series_for(self._entries(), days, today)
        grain = series.DAY if detail else series.grain_for(len(found.days))
        if not found.days:
            return chart_data.energy_chart(found, days, grain=grain)
        checks = self._checks_between(found.days[0], found.days[-1])
        return chart_data.energy_chart(found, days, checks, grain=grain)

    def ledger(self, days: int | None, today: date) -> ledger.Ledger:
        entries = self._entries()
        return ledger.build_ledger(entries, *self._period(days, today, entries))

    def patterns(self, days: int | None, today: date) -> chart_data.PatternChart:
        entries = self._entries()
        return chart_data.pattern_chart(patterns.build_patterns(entries, *self._period(days, today, entries)))

    def selfchecks(self, days: int | None, today: date) -> chart_data.SelfCheckChart:
        history = self.checks.history()
        first = min((c.taken.date() for c in history), default=None)
        start, end = series.period(days, today, first)
        return chart_data.selfcheck_chart([c for c in history if start <= c.taken.date() <= end])

    def chart(self, kind: str, days: int | None, today: date, *, detail: bool = False) -> Chart:
        if kind == "energy":
            return self.energy(days, today, detail=detail)
        if kind == "ledger":
            return chart_data.ledger_chart(self.ledger(days, today))
        if kind == "shifts":
            return self.patterns(days, today)
        if kind == "selfcheck":
            return self.selfchecks(days, today)
        raise InvalidInput(f'There is no "{kind}" chart; choose energy, ledger, shifts or selfcheck.')

    def report(self, start: date, end: date, *, with_excerpts: bool = False) -> tuple[bytes, int]:
        """The PDF for start..end (inclusive), and its page count."""
        from purpose_app.services.library import Library
        from purpose_app.services.reflection import Reflection

        if start > end:
            raise InvalidInput(
                f"The report would start ({start}) after it ends ({end}). Choose an earlier --since."
            )
        entries = self._entries()
        daily = {d: v for d, v in series.daily_energy(entries).items() if d <= end}
        energy = chart_data.energy_chart(
            series.energy_series(daily, start, end), None, self._checks_between(start, end)
        )
        excerpts = None
        if with_excerpts:
            chosen = [
                e for e in self.vault.entries(with_bodies=True)
                if start <= series.local_day(e) <= end and (e.title.strip() or e.body.strip())
            ]  # fmt: skip
            excerpts = [
                report.Excerpt(series.local_day(e), e.title, e.body.strip()) for e in reversed(chosen)
            ]
        data = report.ReportInput(
            start=start,
            end=end,
            energy=energy,
            selfchecks=chart_data.selfcheck_chart(self._checks_between(start, end)),
            ledger=ledger.build_ledger(entries, start, end),
            patterns=chart_data.pattern_chart(patterns.build_patterns(entries, start, end)),
            my_why=Reflection(Library(self.vault)).my_why(),
            excerpts=excerpts,
        )
        return report.build_pdf(data)
