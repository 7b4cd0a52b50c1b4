"""Margins and gaps of a grid of chart panels fitted to their measured labels, without a layout engine."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure, SubFigure
    from matplotlib.text import Text

TICK_POINTS = 3.5 + 3.5 + 1  # matplotlib's default tick length and label pad, and a point to spare
EDGE_PX = 4.0  # breathing room at the figure's edges and between a label and the next panel


def _shown(texts: Iterable[Text]) -> list[Text]:
    return [t for t in texts if t.get_visible() and t.get_text()]


def _widest(texts: Iterable[Text], renderer: RendererBase) -> float:
    return max((t.get_window_extent(renderer).width for t in _shown(texts)), default=0.0)


def _tallest(texts: Iterable[Text], renderer: RendererBase) -> float:
    return max((t.get_window_extent(renderer).height for t in _shown(texts)), default=0.0)


def _around(ax: Axes, renderer: RendererBase, per_point: float) -> tuple[float, float, float, float]:
    """What one panel needs outside its plotting area, in display pixels: left, bottom, right, top."""
    tick = TICK_POINTS * per_point
    yticks, xticks = ax.yaxis.get_majorticklabels(), ax.xaxis.get_majorticklabels()
    left = _widest(yticks, renderer) + tick if _shown(yticks) else EDGE_PX
    if ax.get_ylabel():
        left += _tallest([ax.yaxis.label], renderer) + EDGE_PX
    bottom = _tallest(xticks, renderer) + tick if _shown(xticks) else EDGE_PX
    if ax.get_xlabel():
        bottom += _tallest([ax.xaxis.label], renderer) + EDGE_PX
    right = _widest(xticks, renderer) / 2 + EDGE_PX  # the last date or number is centred on the edge
    half_y = _tallest(yticks, renderer) / 2 + EDGE_PX  # so is the lowest and the highest value's label
    bottom, top = max(bottom, half_y), half_y
    # Titles placed left or right are separate texts from the centred one (matplotlib's own names).
    titles = _shown([ax.title, getattr(ax, "_left_title"), getattr(ax, "_right_title")])  # noqa: B009
    if titles:  # a panel title sits its pad above the plot (the pad may hold a legend)
        top = EDGE_PX + _tallest(titles, renderer) + ax.titleOffsetTrans.transform((0, 0))[1]  # type: ignore[attr-defined]
    return left, bottom, right, top


def fit(container: Figure | SubFigure, grid: list[list[Axes]]) -> None:
    """Set the margins and the gaps between panels (rows x columns) to what their tick labels, axis
    labels and titles measure: one text layout pass, where the constrained layout engine drew the
    whole figure again, several times (three quarters of Trends' first open on a large journal)."""
    if container.get_layout_engine() is not None:
        return  # inside a page laid out as a whole (the report)
    figure = container.get_figure(root=True)
    assert figure is not None
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    per_point = figure.dpi / 72
    width, height = container.bbox.width, container.bbox.height
    needs = [[_around(ax, renderer, per_point) for ax in row] for row in grid]
    rows, cols = len(grid), len(grid[0])
    top_extra = 0.0
    suptitle = getattr(container, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        top_extra = _tallest([suptitle], renderer) + height * (1 - suptitle.get_position()[1])
    xlabels = [[_widest([ax.xaxis.label], renderer) for ax in row] for row in grid]
    for _pass in range(3):  # an axis label wider than its panel spills over both sides, evenly
        left = max(needs[r][0][0] for r in range(rows)) + EDGE_PX
        right = max(needs[r][-1][2] for r in range(rows)) + EDGE_PX
        bottom = max(n[1] for n in needs[-1]) + EDGE_PX
        top = max(n[3] for n in needs[0]) + EDGE_PX + top_extra
        col_gap = max(
            (needs[r][c - 1][2] + needs[r][c][0] for r in range(rows) for c in range(1, cols)), default=0
        )
        row_gap = max(
            (needs[r - 1][c][1] + needs[r][c][3] for r in range(1, rows) for c in range(cols)), default=0
        )
        panel_w = max(width - left - right - (cols - 1) * col_gap, width * 0.2) / cols
        panel_h = max(height - top - bottom - (rows - 1) * row_gap, height * 0.2) / rows
        spill = [[max((w - panel_w) / 2, 0.0) for w in row] for row in xlabels]
        needs = [
            [(max(n[0], s), n[1], max(n[2], s), n[3]) for n, s in zip(row, spilt, strict=True)]
            for row, spilt in zip(needs, spill, strict=True)
        ]
    container.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
        wspace=col_gap / panel_w,
        hspace=row_gap / panel_h,
    )
