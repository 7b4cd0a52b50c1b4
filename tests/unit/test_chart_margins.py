"""Charts laid out without a layout engine: every tick label, axis label and title lies inside the
image, and no panel's lettering runs into another's, on a phone and on a desktop."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from purpose_app.domain.entry import Entry
from purpose_app.insight import chart_data, charts, ledger, patterns, series, theme
from purpose_app.insight.scoring import CheckResult, score_cbi

TZ = timezone(timedelta(hours=1))
D0 = date(2026, 3, 2)
LONG = "prior authorisations for the same patient"  # longer than the ledger's cut, so it is cut


def _day(n: int) -> date:
    return D0 + timedelta(days=n)


def _entry(n: int, energy: int, **labels: object) -> Entry:
    moment = datetime(_day(n).year, _day(n).month, _day(n).day, 21, tzinfo=TZ)
    return Entry(id=f"e{n}", created=moment, updated=moment, revision=1, energy=energy, **labels)  # type: ignore[arg-type]


def _at(n: int) -> datetime:
    return datetime.combine(_day(n), datetime.min.time(), TZ).replace(hour=9)


def _charts() -> list[charts.Chart]:
    entries = [
        _entry(
            i, i % 10, drains=(LONG, "pages"), fuels=("a quiet moment with a colleague",), shift="post-call"
        )
        for i in range(40)
    ]
    checks = [CheckResult(f"q{i}", "quick", _at(5 * i), quick=1 + i % 5) for i in range(8)] + [
        CheckResult(f"c{i}", "cbi", _at(2 + 9 * i), cbi=score_cbi([25 * (i % 5)] * 19)) for i in range(4)
    ]
    return [
        chart_data.energy_chart(series.series_for(entries, 40, _day(39)), 40),
        chart_data.ledger_chart(ledger.build_ledger(entries, _day(0), _day(39))),
        chart_data.pattern_chart(patterns.build_patterns(entries, _day(0), _day(39))),
        chart_data.selfcheck_chart(checks),
        chart_data.selfcheck_chart([]),
    ]


def _drawn(chart: charts.Chart, size: theme.Size) -> Figure:
    """The figure exactly as render() makes it (no layout engine), drawn."""
    size = charts.size_for(chart, size)
    figure = Figure(figsize=(size.width / 100, size.height / 100), dpi=size.dpi)
    FigureCanvasAgg(figure)
    charts.draw(figure, chart, theme.LIGHT, size)
    figure.canvas.draw()
    return figure


def _lettering(figure: Figure) -> list[tuple[int, Text]]:
    """(panel number, text) of every tick label, axis label and title shown; the figure title is -1."""
    found: list[tuple[int, Text]] = []
    suptitle = getattr(figure, "_suptitle", None)
    if suptitle is not None:
        found.append((-1, suptitle))
    for number, ax in enumerate(figure.axes):
        (x_low, x_high), (y_low, y_high) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
        texts = [t for t in ax.get_xticklabels() if x_low - 1e-9 <= t.get_position()[0] <= x_high + 1e-9]
        texts += [t for t in ax.get_yticklabels() if y_low - 1e-9 <= t.get_position()[1] <= y_high + 1e-9]
        texts += [ax.xaxis.label, ax.yaxis.label]  # the ticks drawn: matplotlib keeps some outside the view
        texts += [ax.title, getattr(ax, "_left_title"), getattr(ax, "_right_title")]
        found += [(number, t) for t in texts if t.get_visible() and t.get_text()]
    return found


@pytest.mark.parametrize("size", [theme.PHONE.scaled(2), theme.DESKTOP], ids=["phone", "desktop"])
def test_every_label_lies_inside_the_chart_and_clear_of_other_panels(size: theme.Size) -> None:
    """Tick labels, axis labels and titles are whole inside the image, and none overlaps another panel's."""
    for chart in _charts():
        figure = _drawn(chart, size)
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        edge = figure.bbox
        placed = [(number, text, text.get_window_extent(renderer)) for number, text in _lettering(figure)]
        assert placed
        for _number, text, box in placed:
            inside = box.x0 >= edge.x0 - 0.5 and box.x1 <= edge.x1 + 0.5
            inside = inside and box.y0 >= edge.y0 - 0.5 and box.y1 <= edge.y1 + 0.5
            assert inside, f"{type(chart).__name__}: {text.get_text()!r} at {box} outside {edge}"
        for i, (first, text, box) in enumerate(placed):
            for second, other, other_box in placed[i + 1 :]:
                if first != second:
                    assert not Bbox.intersection(box, other_box) or _touching(box, other_box), (
                        f"{type(chart).__name__}: {text.get_text()!r} runs into {other.get_text()!r}"
                    )


def _touching(a: Bbox, b: Bbox) -> bool:
    """Boxes that share at most a pixel's edge (a rounding apart) do not overlap on screen."""
    overlap = Bbox.intersection(a, b)
    return overlap is not None and (overlap.width <= 1 or overlap.height <= 1)


def test_charts_are_drawn_without_a_layout_engine() -> None:
    """render() makes figures with no layout engine (its extra drawing passes were most of the time)."""
    for chart in _charts():
        size = charts.size_for(chart, theme.PHONE)
        made: list[Figure] = []
        original = charts.draw

        def spy(container: Figure, *args: object, _made: list[Figure] = made, **kwargs: object) -> None:
            _made.append(container)
            original(container, *args, **kwargs)  # type: ignore[arg-type]

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(charts, "draw", spy)
            charts.render(chart, theme.LIGHT, size)
        assert made and made[0].get_layout_engine() is None
