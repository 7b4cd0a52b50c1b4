"""Self-check history in the app: every result over time, newest first, and each one in full.
A result is a signal worth attention, never a diagnosis. No flet here."""

from __future__ import annotations

from dataclasses import dataclass

from purpose_app.domain import calendar_words
from purpose_app.insight import scoring
from purpose_app.insight.scoring import QUICK, CheckResult
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.services.session import Session
from purpose_app.ui.selfcheck_model import THRESHOLD_NOTE, cbi_lines, quick_result_text

__all__ = ["HistoryRow", "SelfCheckHistoryModel"]


@dataclass(frozen=True)
class HistoryRow:
    id: str
    when: str  # "Mar 3, 2024, 21:40"
    title: str  # "Quick check" or "Copenhagen check"
    summary: str  # "3 of 5" or "Personal 45 · Work 50 · Patient 20"


def _when(result: CheckResult) -> str:
    return f"{calendar_words.short_date(result.taken)}, {result.taken:%H:%M}"


def _summary(result: CheckResult) -> str:
    if result.kind == QUICK:
        return f"{result.quick} of 5"
    assert result.cbi is not None
    parts = []
    for scale in scoring.SCALES:
        score = result.cbi.score(scale)
        short = scoring.SCALE_NAMES[scale].split()[0]
        parts.append(f"{short} {score:.0f}" if score is not None else f"{short} not scored")
    return " · ".join(parts)


class SelfCheckHistoryModel:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _results(self) -> list[CheckResult]:
        return SelfChecks(self.session.require()).history()

    def rows(self) -> list[HistoryRow]:
        """Every readable result, newest first."""
        return [
            HistoryRow(
                r.id,
                _when(r),
                "Quick check" if r.kind == QUICK else "Copenhagen check",
                _summary(r),
            )
            for r in self._results()
        ]

    def detail(self, result_id: str) -> tuple[str, list[str]]:
        """One result in full: a heading and its lines, in the words the check used when it was taken."""
        result = next((r for r in self._results() if r.id == result_id), None)
        if result is None:
            return "Not found", ["This result is no longer in your journal."]
        if result.kind == QUICK:
            assert result.quick is not None
            chosen = scoring.QUICK_OPTIONS[result.quick - 1]
            lines = [quick_result_text(result.quick), f"Your answer: {chosen}"]
            return f"Quick check, {_when(result)}", lines
        lines = [*cbi_lines(result), THRESHOLD_NOTE]
        if result.cbi is not None:
            answered = sum(result.cbi.answered.values())
            lines.append(f"{answered} of {len(scoring.ITEMS)} questions answered.")
        return f"Copenhagen check, {_when(result)}", lines

    def wants_support(self, result_id: str) -> bool:
        return any(r.wants_support for r in self._results() if r.id == result_id)
