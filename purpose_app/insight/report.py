"""The reflection report: a PDF made in memory (matplotlib's PDF backend) for a conversation with a
mentor or coach that the person chooses to have.

Pages: (1) the person's why, if written, then energy over the period and the self-check trend;
(2) the drains-and-fuels ledger as a chart and a table, and shift and weekday patterns; (3+) entry
excerpts, only when asked for. Each chart carries its sentence. Nothing touches the disk here: the
caller decides where the bytes go.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from purpose_app.insight import chart_data, charts
from purpose_app.insight.ledger import Ledger, signed
from purpose_app.insight.theme import LIGHT, MONO, Size, Theme, safe_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure, SubFigure

PAGE = (8.5, 11.0)  # inches (US Letter; fits on A4 with its margins)
PRINT = Size("print", 780, 330, 9.0)
EXCERPT_CHARS = 600
LINES_PER_PAGE = 58


@dataclass(frozen=True)
class Excerpt:
    day: date
    title: str
    text: str


@dataclass(frozen=True)
class ReportInput:
    start: date
    end: date
    energy: chart_data.EnergyChart
    selfchecks: chart_data.SelfCheckChart
    ledger: Ledger
    patterns: chart_data.PatternChart
    my_why: str | None = None
    excerpts: Sequence[Excerpt] | None = None  # None: not asked for


def _page() -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=PAGE, facecolor=LIGHT.background, layout="constrained")


def _text_block(
    container: Figure | SubFigure, lines: list[tuple[str, float, str]], theme: Theme,
    families: dict[int, str] | None = None,
) -> None:  # fmt: skip
    """Lines of (text, font size, weight) from the top down; person-written text is never parsed as math."""
    height_pt = max(container.bbox.height * 72 / container.dpi, 1.0)
    y = 1 - 16 / height_pt  # a margin of 16 points above the first line
    for index, (text, fontsize, weight) in enumerate(lines):
        family = (families or {}).get(index, "DejaVu Sans")
        container.text(0.03, y, text, ha="left", va="top", fontsize=fontsize, fontweight=weight,
                       color=theme.text, parse_math=False, family=family)  # fmt: skip
        y -= (fontsize * 1.45 * (text.count("\n") + 1)) / height_pt


def _wrap(text: str, width: int) -> str:
    paragraphs = safe_text(text).split("\n")
    return "\n".join(line for p in paragraphs for line in (textwrap.wrap(p, width) or [""]))


def _split(container: Figure | SubFigure, ratios: list[int]) -> list[SubFigure]:
    return list(cast(Any, container.subfigures(len(ratios), 1, height_ratios=ratios)))


def _chart(container: Figure | SubFigure, chart: charts.Chart, theme: Theme) -> None:
    top, bottom = _split(container, [12, 1])
    charts.draw(top, chart, theme, PRINT)
    bottom.text(0.02, 0.5, _wrap(chart.summary, 120), ha="left", va="center", fontsize=8.5,
                color=theme.muted, style="italic", parse_math=False)  # fmt: skip


def _first_page(data: ReportInput, theme: Theme) -> Figure:
    page = _page()
    why = _wrap(data.my_why, 95) if data.my_why else None
    head_lines = 4 + (why.count("\n") + 2 if why else 0)
    head, energy, checks = _split(page, [head_lines, 18, 20])
    lines = [
        ("Purpose: reflection report", 16, "bold"),
        (f"{data.start.isoformat()} to {data.end.isoformat()}", 10, "normal"),
        ("Made for a conversation you chose to have. Self-check results are signals worth attention, "
         "not a diagnosis.", 8.5, "normal"),
    ]  # fmt: skip
    if why:
        lines += [("My why", 11, "bold"), (why, 9.5, "normal")]
    _text_block(head, lines, theme)
    _chart(energy, data.energy, theme)
    _chart(checks, data.selfchecks, theme)
    return page


def _table(container: Figure | SubFigure, ledger: Ledger, theme: Theme) -> None:
    """The ledger as aligned monospace lines (matplotlib's table artist costs a second per page)."""
    baseline = "-" if ledger.baseline is None else f"{ledger.baseline:.1f}"
    title = f"Ledger (your average energy {baseline}; days = the days it was named on)"
    if not ledger.rows:
        _text_block(
            container, [(title, 10, "bold"), ("No drains or fuels named in this period.", 9, "normal")], theme
        )
        return
    rows = [f"{'':<6}{'drain or fuel':<36}{'days':>5}{'mean energy':>13}{'vs average':>12}"]
    for row in ledger.rows:
        mean = "-" if row.mean is None else f"{row.mean:.1f}"
        delta = "-" if row.delta is None else signed(row.delta)
        label = safe_text(row.label, 34, family=MONO)
        rows.append(f"{row.kind:<6}{label:<36}{row.count:>5}{mean:>13}{delta:>12}")
    lines = [(title, 10, "bold"), *((r, 8.5, "normal") for r in rows)]
    _text_block(container, lines, theme, families={i: MONO for i in range(1, len(lines))})


def _second_page(data: ReportInput, theme: Theme) -> Figure:
    page = _page()
    ledger_fig, table_fig, pattern_fig = _split(page, [16, 9, 17])
    _chart(ledger_fig, chart_data.ledger_chart(data.ledger), theme)
    _table(table_fig, data.ledger, theme)
    _chart(pattern_fig, data.patterns, theme)
    return page


def _excerpt_pages(excerpts: Sequence[Excerpt], theme: Theme) -> list[Figure]:
    lines: list[tuple[str, float, str]] = (
        [] if excerpts else [("No entries with words in this period.", 9, "normal")]
    )
    for item in excerpts:
        title = f"{item.day.isoformat()}  {safe_text(item.title, 80)}".rstrip()
        text = item.text if len(item.text) <= EXCERPT_CHARS else item.text[: EXCERPT_CHARS - 1].rstrip() + "…"
        lines.append((title, 9.5, "bold"))
        lines += [(line, 9, "normal") for line in _wrap(text, 100).split("\n") if line.strip()]
        lines.append(("", 6, "normal"))
    pages = []
    for start in range(0, len(lines), LINES_PER_PAGE):
        page = _page()
        heading = [("Entry excerpts (included because you asked)", 12, "bold")] if start == 0 else []
        _text_block(page, heading + lines[start : start + LINES_PER_PAGE], theme)
        pages.append(page)
    return pages


def build_pdf(data: ReportInput, theme: Theme = LIGHT) -> tuple[bytes, int]:
    """The report as PDF bytes, and its number of pages."""
    from matplotlib.backends.backend_pdf import PdfPages

    pages = [_first_page(data, theme), _second_page(data, theme)]
    if data.excerpts is not None:
        pages += _excerpt_pages(data.excerpts, theme)
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": "Purpose reflection report", "Creator": "Purpose"}) as pdf:
        for page in pages:
            pdf.savefig(page, facecolor=theme.background)
    return buffer.getvalue(), len(pages)
