"""Charts drawn with matplotlib's object API and the Agg canvas, rendered to PNG bytes in memory.

No pyplot (no global figure state, safe with many app sessions at once), no temporary files: a chart
exists as bytes until the person exports it. matplotlib is imported only when a chart is drawn.
Every chart comes with its sentence (chart_data), which is also the image's accessible description.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from purpose_app.domain import calendar_words
from purpose_app.insight import chart_margins
from purpose_app.insight.chart_data import EnergyChart, LedgerChart, PatternChart, SelfCheckChart
from purpose_app.insight.ledger import signed
from purpose_app.insight.scoring import CBI, QUICK, SCALE_NAMES, SCALES, THRESHOLD_LABEL
from purpose_app.insight.series import WEEK
from purpose_app.insight.theme import DESKTOP, FAINT, LIGHT, SMALLEST_TEXT, Size, Theme, safe_text, text_px

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

Chart = EnergyChart | LedgerChart | PatternChart | SelfCheckChart


@dataclass(frozen=True)
class RenderedChart:
    png: bytes
    title: str
    summary: str  # one sentence: what the chart shows, in words (its accessible description)
    width: int  # pixels
    height: int


def _style(ax: Axes, theme: Theme, size: Size, *, grid: Literal["x", "y"] = "y") -> None:
    ax.set_facecolor(theme.background)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(theme.muted)
    ax.tick_params(colors=theme.muted, labelcolor=theme.text, labelsize=size.font * 0.9)
    ax.grid(axis=grid, color=theme.grid, linewidth=0.8)
    ax.set_axisbelow(True)


def _empty(ax: Axes, theme: Theme, size: Size, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            color=theme.muted, fontsize=size.font, wrap=True)  # fmt: skip


def _wrap(text: str, size: Size, scale: float, share: float = 0.96) -> str:
    """Text broken into lines that fit share of the chart's width at this font (DejaVu Sans averages
    about 0.6 of its size a character), so a phone's larger lettering is never cut at the edge."""
    per_line = max(int(size.width * share / (text_px(size.font * scale) * 0.6)), 12)
    return "\n".join(textwrap.wrap(text, per_line)) or text


def _title(container: Figure | SubFigure, text: str, theme: Theme, size: Size) -> None:
    container.suptitle(
        _wrap(text, size, 1.25), x=0.02, ha="left", color=theme.text, fontsize=size.font * 1.25,
        fontweight="bold",
    )  # fmt: skip


def _date_axis(ax: Axes, size: Size) -> None:
    from matplotlib import dates

    locator = dates.AutoDateLocator(minticks=3, maxticks=4 if size.compact else 9)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _readable_dates(ax: Axes, size: Size) -> None:
    """Ticks as "27 Nov", "1 Dec": no lone day numbers and no "2026-Dec" offset. The year is added
    only where the ticks cross into another year ("1 Jan 2027"). Call after the x limits are set."""
    from matplotlib import dates

    locator = dates.AutoDateLocator(minticks=3, maxticks=4 if size.compact else 7)  # type: ignore[no-untyped-call]
    low, high = ax.get_xlim()
    span = dates.num2date(low), dates.num2date(high)  # type: ignore[no-untyped-call]
    ticks = [t for t in locator.tick_values(*span) if low <= t <= high]  # type: ignore[no-untyped-call]
    days = [dates.num2date(t) for t in ticks]  # type: ignore[no-untyped-call]
    crosses_years = len({d.year for d in days}) > 1
    # The year only where it changes (and on the first tick) when the span crosses a new year.
    new_year = [crosses_years and (i == 0 or days[i - 1].year != d.year) for i, d in enumerate(days)]
    labels = [
        calendar_words.short_date(d) if shown else calendar_words.month_day(d)
        for d, shown in zip(days, new_year, strict=True)
    ]
    ax.set_xticks(ticks, labels)


def _legend(ax: Axes, theme: Theme, size: Size, ncols: int) -> None:
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=ncols, frameon=False,
              fontsize=size.font * 0.9, labelcolor=theme.text, handlelength=1.8,
              columnspacing=1.0, borderaxespad=0.2)  # fmt: skip


def _fixed_margins(container: Figure | SubFigure, size: Size, *, legend_rows: int) -> None:
    """Margins from the font size, instead of a layout engine's extra drawing pass: the energy chart
    is the one drawn over years of days, and this keeps it within its time budget."""
    if container.get_layout_engine() is not None:
        return  # inside a page laid out as a whole (the report)
    px = size.font * 100 / 72  # one font size, in pixels at scale 1
    top = 8 + px * 1.25 * 1.35 + legend_rows * px * 0.9 * 1.6 + 4
    left, bottom, right = px * 4.4, px * 3.9, px * 1.4  # bottom: ticks and the date offset
    container.subplots_adjust(left=left / size.width, right=1 - right / size.width,
                              bottom=bottom / size.height, top=1 - top / size.height)  # fmt: skip


def _days(values: tuple[Any, ...]) -> Any:
    import numpy as np

    return np.array(values, dtype="datetime64[D]")


# -- energy -----------------------------------------------------------------------------------------


def draw_energy(container: Figure | SubFigure, chart: EnergyChart, theme: Theme, size: Size) -> None:
    ax = container.add_subplot()
    ncols = 2 if size.compact else 4
    kinds = (1 if chart.aggregated else 2) + len({m.kind for m in chart.markers})
    _fixed_margins(container, size, legend_rows=-(-kinds // ncols))
    _style(ax, theme, size)
    _title(container, chart.title, theme, size)
    ax.set_ylim(0, 11.2)
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel("Energy (0-10)", color=theme.text, fontsize=size.font)
    if not chart.days or all(v != v for v in chart.daily):  # NaN != NaN
        _empty(ax, theme, size, "No energy levels in this period yet")
    if not chart.days:
        return
    x = _days(chart.days)
    if chart.aggregated:
        _period_line(ax, chart, theme)
    elif len(x) > 120:  # months to years: dots only, so the 7-day mean is the line that reads
        ax.plot(x, chart.daily, color=theme.daily, linestyle="none", marker="o", markersize=2.2,
                alpha=FAINT, markeredgewidth=0, label="Daily energy")  # fmt: skip
    else:
        ax.plot(x, chart.daily, color=theme.daily, linewidth=1.0, marker="o", markersize=3.2,
                label="Daily energy")  # fmt: skip
    if not chart.aggregated:  # a week's or month's mean is already the smoothing
        ax.plot(
            x, chart.rolling, color=theme.rolling, linewidth=2.4, solid_capstyle="round", label="7-day mean"
        )
    labelled = len(chart.markers) <= (8 if size.compact else 20)
    for kind, shape, colour, name in (
        (QUICK, "D", theme.quick, "Quick check"),
        (CBI, "s", theme.cbi[2], "Copenhagen check"),
    ):
        marks = [m for m in chart.markers if m.kind == kind]
        if not marks:
            continue
        mx = _days(tuple(m.day for m in marks))
        if len(chart.markers) <= 40:
            ax.vlines(mx, 0, 10.5, colors=colour, linewidth=0.7, linestyles=":", alpha=0.8)
        ax.plot(
            mx, [10.7] * len(marks), linestyle="none", marker=shape, markersize=5, color=colour, label=name
        )
        if labelled and kind == QUICK:
            for m, day in zip(marks, mx, strict=True):
                ax.annotate(m.label[1:], (day, 10.7), xytext=(4, 0), textcoords="offset points",
                            va="center", fontsize=size.font * SMALLEST_TEXT, color=theme.text)  # fmt: skip
    ax.set_xlim(x[0] - 1, x[-1] + 1)
    _date_axis(ax, size)
    _legend(ax, theme, size, ncols=ncols)


def _period_line(ax: Axes, chart: EnergyChart, theme: Theme) -> None:
    """One point per week or month at its first day; NaN (no data) breaks the line, so a gap stays one."""
    name = "Weekly mean" if chart.grain == WEEK else "Monthly mean"
    ax.plot(_days(chart.periods), chart.means, color=theme.rolling, linewidth=2.0, marker="o",
            markersize=3.6 if chart.grain == WEEK else 4.6, solid_capstyle="round", label=name)  # fmt: skip


# -- ledger -----------------------------------------------------------------------------------------


def _ledger_panel(ax: Axes, rows: tuple[Any, ...], name: str, colour: str, theme: Theme, size: Size) -> None:
    _style(ax, theme, size, grid="x")
    ax.set_title(name, loc="left", color=theme.text, fontsize=size.font * 1.05, fontweight="bold")
    ax.axvline(0, color=theme.muted, linewidth=1)
    if not rows:
        ax.set_yticks([])
        ax.set_xticks([])
        _empty(ax, theme, size, f"No {name.lower()} named in this period")
        return
    limit = 20 if size.compact else 32
    labels = [f"{safe_text(r.label, limit)} ({r.count} {'day' if r.count == 1 else 'days'})" for r in rows]
    deltas = [r.delta or 0.0 for r in rows]
    ax.barh(range(len(rows)), deltas, color=colour, height=0.6, hatch="//" if name == "Drains" else None,
            edgecolor=theme.background, linewidth=0)  # fmt: skip
    ax.set_yticks(range(len(rows)), labels=labels, parse_math=False)
    ax.invert_yaxis()
    reach = max([abs(d) for d in deltas] + [1.0])
    ax.set_xlim(-reach * 1.6, reach * 1.6)
    for i, row in enumerate(rows):
        text = "no energy" if row.delta is None else signed(row.delta)
        right = (row.delta or 0.0) >= 0
        ax.annotate(text, (row.delta or 0.0, i), xytext=(3 if right else -3, 0), textcoords="offset points",
                    ha="left" if right else "right", va="center", fontsize=size.font * 0.85,
                    color=theme.text)  # fmt: skip


def draw_ledger(container: Figure | SubFigure, chart: LedgerChart, theme: Theme, size: Size) -> None:
    average = f" ({chart.baseline:.1f})" if chart.baseline is not None else ""
    _title(container, f"{chart.title} vs your average energy{average}", theme, size)
    if size.compact:
        top, bottom = container.subplots(
            2, 1, height_ratios=[max(len(chart.drains), 1), max(len(chart.fuels), 1)]
        )
    else:
        top, bottom = container.subplots(1, 2)
    _ledger_panel(top, chart.drains, "Drains", theme.drain, theme, size)
    _ledger_panel(bottom, chart.fuels, "Fuels", theme.fuel, theme, size)
    label = "difference from your average energy"
    # Centred under a panel that takes the right half of a phone's chart: half the width to fit in.
    label = _wrap(label, size, 0.9, share=0.5) if size.compact else label
    bottom.set_xlabel(label, color=theme.text, fontsize=size.font * 0.9)
    chart_margins.fit(container, [[top], [bottom]] if size.compact else [[top, bottom]])


# -- shifts and weekdays ----------------------------------------------------------------------------


def _group_panel(ax: Axes, groups: tuple[Any, ...], name: str, unit: str, theme: Theme, size: Size) -> None:
    _style(ax, theme, size, grid="x")
    ax.set_title(name, loc="left", color=theme.text, fontsize=size.font * 1.05, fontweight="bold")
    means = [g.mean or 0.0 for g in groups]
    bars = ax.barh(range(len(groups)), means, color=theme.daily, height=0.6)
    for bar, group in zip(bars, groups, strict=True):
        if group.small:
            bar.set_alpha(FAINT)
            bar.set_hatch("...")
    ax.set_yticks(range(len(groups)), labels=[g.label for g in groups])
    ax.invert_yaxis()
    ax.set_xlim(0, 14.5)
    ax.set_xticks(range(0, 11, 2))
    for i, group in enumerate(groups):
        few = " (few)" if 0 < group.count < 3 else ""
        text = f"n={group.count}" if group.mean is None else f"{group.mean:.1f}  n={group.count}{few}"
        ax.annotate(text, (group.mean or 0.0, i), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=size.font * 0.85, color=theme.text)  # fmt: skip
    ax.set_xlabel(f"mean energy (0-10); n = {unit}", color=theme.text, fontsize=size.font * 0.9)


def draw_patterns(container: Figure | SubFigure, chart: PatternChart, theme: Theme, size: Size) -> None:
    _title(container, chart.title, theme, size)
    left, right = container.subplots(2, 1) if size.compact else container.subplots(1, 2)
    _group_panel(left, chart.shifts, "By shift", "check-ins", theme, size)
    _group_panel(right, chart.weekdays, "By weekday", "days", theme, size)
    chart_margins.fit(container, [[left], [right]] if size.compact else [[left, right]])


# -- self-checks ------------------------------------------------------------------------------------


def _panel_title(ax: Axes, text: str, theme: Theme, size: Size, pad: float = 4) -> None:
    wrapped = _wrap(text, size, 0.95, share=0.88) if size.compact else text
    ax.set_title(wrapped, loc="left", color=theme.text, fontsize=size.font * 0.95, pad=pad)


def draw_selfchecks(container: Figure | SubFigure, chart: SelfCheckChart, theme: Theme, size: Size) -> None:
    _title(container, chart.title, theme, size)
    quick_ax, cbi_ax = container.subplots(2, 1, sharex=True, height_ratios=[1, 1.5])
    for ax in (quick_ax, cbi_ax):
        _style(ax, theme, size)
    quick_ax.set_ylim(0.5, 5.5)
    quick_ax.set_yticks(range(1, 6))
    quick_ax.axhline(3, color=theme.muted, linewidth=1, linestyle=":")
    _panel_title(quick_ax, "Quick check (1-5). Dotted line: 3 or more, burnout symptoms (published cut-off)",
                 theme, size)  # fmt: skip
    if chart.quick_days:
        quick_ax.plot(_days(chart.quick_days), chart.quick, color=theme.quick, marker="D", markersize=4,
                      linewidth=1.2, label="Quick check")  # fmt: skip
    else:
        _empty(quick_ax, theme, size, "No quick checks in this period")
    cbi_ax.set_ylim(0, 100)
    cbi_ax.set_yticks(range(0, 101, 25))
    cbi_ax.axhline(chart.threshold, color=theme.muted, linewidth=1, linestyle="--")
    legend_cols = 2 if size.compact else 3  # three names side by side are wider than a phone
    legend_rows = -(-len(SCALES) // legend_cols)
    legend_pad = size.font * (2.2 + 1.6 * (legend_rows - 1)) if chart.cbi_days else 4
    _panel_title(cbi_ax, f"Copenhagen scales (0-100). Dashed line: {chart.threshold:.0f}, {THRESHOLD_LABEL}, "
                 "not a diagnosis", theme, size, pad=legend_pad)  # fmt: skip
    if chart.cbi_days:
        x = _days(chart.cbi_days)
        for scale, colour, shape in zip(SCALES, theme.cbi, ("o", "s", "^"), strict=True):
            cbi_ax.plot(x, chart.cbi[scale], color=colour, marker=shape, markersize=5, linewidth=1.4,
                        label=SCALE_NAMES[scale].replace(" burnout", ""))  # fmt: skip
        _legend(cbi_ax, theme, size, ncols=legend_cols)
    else:
        _empty(cbi_ax, theme, size, "No Copenhagen checks in this period")
    days = [*chart.quick_days, *chart.cbi_days]
    if days:
        first, last = _days((min(days),))[0], _days((max(days),))[0]
        pad = max((last - first) // 20, 3)
        cbi_ax.set_xlim(first - pad, last + pad)
        _readable_dates(cbi_ax, size)
    else:
        cbi_ax.set_xticks([])
    chart_margins.fit(container, [[quick_ax], [cbi_ax]])


# -- rendering --------------------------------------------------------------------------------------


def draw(container: Figure | SubFigure, chart: Chart, theme: Theme, size: Size) -> None:
    if isinstance(chart, EnergyChart):
        draw_energy(container, chart, theme, size)
    elif isinstance(chart, LedgerChart):
        draw_ledger(container, chart, theme, size)
    elif isinstance(chart, PatternChart):
        draw_patterns(container, chart, theme, size)
    else:
        draw_selfchecks(container, chart, theme, size)


def size_for(chart: Chart, size: Size) -> Size:
    """Taller canvases for charts with more rows, more so when panels stack on a phone."""
    if isinstance(chart, LedgerChart):
        if size.compact:
            return size.taller(0.75 + 0.12 * (max(len(chart.drains), 1) + max(len(chart.fuels), 1)))
        return size.taller(0.5 + 0.1 * max(len(chart.drains), len(chart.fuels), 1))
    if isinstance(chart, PatternChart):
        return size.taller(1.9 if size.compact else 1.0)
    if isinstance(chart, SelfCheckChart):
        return size.taller(1.45 if size.compact else 1.15)
    return size


def render(chart: Chart, theme: Theme = LIGHT, size: Size = DESKTOP) -> RenderedChart:
    """The chart as PNG bytes, made in memory, with its title and sentence."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    size = size_for(chart, size)
    # No layout engine: margins are fitted to the labels (see _fixed_margins and chart_margins.fit).
    figure = Figure(figsize=(size.width / 100, size.height / 100), dpi=size.dpi,
                    facecolor=theme.background)  # fmt: skip
    canvas = FigureCanvasAgg(figure)
    draw(figure, chart, theme, size)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=size.dpi, facecolor=theme.background,
                   metadata={"Title": chart.title, "Software": None},
                   pil_kwargs={"compress_level": 1})  # fmt: skip  # level 1: about 3x faster, ~15% larger
    width, height = (int(v) for v in canvas.get_width_height(physical=True))
    return RenderedChart(buffer.getvalue(), chart.title, chart.summary, width, height)
