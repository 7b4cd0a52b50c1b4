"""Charts: the data series handed to matplotlib (gaps as NaN, the rolling mean, ledger deltas), the
sentences, and the rendered bytes (PNG signature, size, theme background), not pixels."""

from __future__ import annotations

import io
import math
import time
from datetime import date, datetime, timedelta, timezone

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from purpose_app.domain.entry import Entry
from purpose_app.insight import chart_data, charts, ledger, patterns, series, theme
from purpose_app.insight.scoring import CheckResult, score_cbi

PNG = b"\x89PNG\r\n\x1a\n"
TZ = timezone(timedelta(hours=1))
D0 = date(2026, 3, 2)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def entry(n: int, energy: int | None, **labels: tuple[str, ...]) -> Entry:
    moment = datetime(day(n).year, day(n).month, day(n).day, 21, tzinfo=TZ)
    return Entry(id=f"e{n}-{energy}", created=moment, updated=moment, revision=1, energy=energy, **labels)  # type: ignore[arg-type]


def same(a: tuple[float, ...] | list[float], b: list[float]) -> bool:
    """Equal element by element, NaN matching NaN."""
    return len(a) == len(b) and all(
        (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y) for x, y in zip(a, b)
    )


def energy_data(checks: list[CheckResult] | None = None) -> chart_data.EnergyChart:
    daily = {day(0): 2.0, day(1): 4.0, day(9): 8.0}
    return chart_data.energy_chart(series.energy_series(daily, day(0), day(9)), 10, checks or [])


def figure(chart: charts.Chart, size: theme.Size = theme.DESKTOP) -> Figure:
    fig = Figure(figsize=(size.width / 100, size.height / 100))
    FigureCanvasAgg(fig)
    charts.draw(fig, chart, theme.LIGHT, size)
    return fig


def test_energy_chart_data_has_nan_in_the_gaps():
    """Days without data are NaN (so the line breaks), and the rolling mean is NaN where its window
    is empty (day 8), never an interpolated value."""
    data = energy_data()
    nan = math.nan
    assert same(data.daily, [2, 4, nan, nan, nan, nan, nan, nan, nan, 8])
    assert same(data.rolling, [2, 3, 3, 3, 3, 3, 3, 4, nan, 8])


def test_matplotlib_receives_exactly_those_series():
    """The lines drawn carry the chart data unchanged: daily (with NaN gaps) and the 7-day mean."""
    data = energy_data()
    ax = figure(data).axes[0]
    daily_line, rolling_line = ax.lines[0], ax.lines[1]
    assert daily_line.get_label() == "Daily energy"
    assert rolling_line.get_label() == "7-day mean"
    assert same(list(daily_line.get_ydata()), list(data.daily))
    assert same(list(rolling_line.get_ydata()), list(data.rolling))
    assert len(daily_line.get_xdata()) == 10


def test_self_checks_are_marked_on_the_energy_time_axis():
    """A quick check inside the range becomes a "Q4" marker on its day; one outside is left out."""
    inside = CheckResult("a", "quick", datetime(2026, 3, 5, 21, tzinfo=TZ), quick=4)
    outside = CheckResult("b", "quick", datetime(2026, 4, 30, 21, tzinfo=TZ), quick=2)
    cbi = CheckResult("c", "cbi", datetime(2026, 3, 6, 9, tzinfo=TZ), cbi=score_cbi([50] * 19))
    data = energy_data([inside, outside, cbi])
    assert [(m.day, m.kind, m.label) for m in data.markers] == [
        (day(3), "quick", "Q4"),
        (day(4), "cbi", "CBI"),
    ]
    labels = [line.get_label() for line in figure(data).axes[0].lines]
    assert "Quick check" in labels and "Copenhagen check" in labels


def test_energy_summary_sentence():
    """Average over the days with data, their number, and where the 7-day mean went."""
    assert energy_data().summary == (
        "Your energy over the last 10 days averaged 4.7 out of 10 on the 3 days with a check-in; "
        "the 7-day mean moved from 2.0 to 8.0."
    )
    empty = chart_data.energy_chart(series.energy_series({}, day(0), day(9)), 10)
    assert empty.summary.startswith("No energy levels over the last 10 days yet")


def test_ledger_bars_are_the_deltas():
    """Drains and fuels panels draw one bar per row whose width is that row's delta from the baseline."""
    entries = [entry(0, 2, drains=("charting",)), entry(1, 8, fuels=("a walk",)), entry(2, 5)]
    found = ledger.build_ledger(entries, day(0), day(2))  # baseline 5: charting -3, a walk +3
    data = chart_data.ledger_chart(found)
    assert [(r.label, r.delta) for r in data.drains] == [("charting", -3.0)]
    drains_ax, fuels_ax = figure(data).axes
    assert [p.get_width() for p in drains_ax.patches] == [pytest.approx(-3.0)]
    assert [p.get_width() for p in fuels_ax.patches] == [pytest.approx(3.0)]
    assert [t.get_text() for t in drains_ax.get_yticklabels()] == ["charting (1 day)"]
    assert data.summary.startswith("Charting appears on your lowest days: -3.0")


def test_pattern_chart_shows_counts():
    """Every shift and weekday is a bar, with its n written next to it (n=0 included)."""
    entries = [entry(i, 4 + i, shift="night") for i in range(3)]  # type: ignore[arg-type]
    data = chart_data.pattern_chart(patterns.build_patterns(entries, day(0), day(6)))
    shift_ax, weekday_ax = figure(data).axes
    texts = [t.get_text() for t in shift_ax.texts]
    assert "5.0  n=3" in texts
    assert texts.count("n=0") == 5
    assert len(weekday_ax.patches) == 7


def test_selfcheck_chart_keeps_non_responder_scales_as_gaps():
    """A CBI result without a patient score (two answers) puts NaN there, not 0."""
    partial = [75] * 13 + [100, 100] + [None] * 4
    checks = [
        CheckResult("q", "quick", datetime(2026, 3, 1, tzinfo=TZ), quick=3),
        CheckResult(
            "c", "cbi", datetime(2026, 3, 2, tzinfo=TZ), answers=tuple(partial), cbi=score_cbi(partial)
        ),
    ]
    data = chart_data.selfcheck_chart(checks)
    assert data.quick == (3.0,)
    assert math.isnan(data.cbi["patient"][0])
    assert data.cbi["personal"][0] == pytest.approx(75.0)
    assert data.threshold == 50
    assert "commonly used research threshold" in data.summary
    assert "not a diagnosis" in data.summary


def _selfcheck_ticks(first: date, last: date) -> list[str]:
    checks = [
        CheckResult(str(d), "quick", datetime(d.year, d.month, d.day, tzinfo=TZ), quick=3)
        for d in (first, last)
    ]
    fig = figure(chart_data.selfcheck_chart(checks))
    fig.canvas.draw()
    return [label.get_text() for label in fig.axes[1].get_xticklabels()]


def test_selfcheck_date_axis_reads_as_day_and_month():
    """The self-check chart's dates read "Nov 27", "Dec 1": no lone day numbers, no "2026-Dec"."""
    labels = _selfcheck_ticks(date(2026, 11, 25), date(2026, 12, 9))
    assert len(labels) >= 3
    for label in labels:
        month, day_number = label.split(" ")
        assert day_number.isdigit() and month in ("Nov", "Dec"), labels
    assert "Dec" in " ".join(labels) and "Nov" in " ".join(labels)


def test_selfcheck_date_axis_names_the_year_where_it_changes():
    """Across New Year, the first tick and the first tick of the new year carry their year."""
    labels = _selfcheck_ticks(date(2026, 11, 1), date(2027, 2, 15))
    assert labels[0].endswith(", 2026"), labels
    assert sum(label.endswith(", 2027") for label in labels) == 1, labels
    assert all(label.split(" ")[1].strip(",").isdigit() for label in labels), labels


@pytest.mark.parametrize(
    ("size", "look"),
    [(theme.PHONE, theme.LIGHT), (theme.DESKTOP, theme.DARK)],
    ids=["phone-light", "desktop-dark"],
)
def test_every_chart_renders_to_png_bytes(size, look):
    """Each chart type renders in memory to a PNG of the asked width, on the theme's background."""
    entries = [entry(i, i % 10, drains=("pages",), fuels=("sleep",), shift="day") for i in range(20)]  # type: ignore[arg-type]
    found = series.series_for(entries, 30, day(19))
    made = [
        chart_data.energy_chart(found, 30),
        chart_data.ledger_chart(ledger.build_ledger(entries, day(0), day(19))),
        chart_data.pattern_chart(patterns.build_patterns(entries, day(0), day(19))),
        chart_data.selfcheck_chart([]),
    ]
    for chart in made:
        rendered = charts.render(chart, look, size)
        assert rendered.png.startswith(PNG)
        assert rendered.summary == chart.summary and rendered.summary.endswith(".")
        image = Image.open(io.BytesIO(rendered.png))
        assert image.width == size.width == rendered.width
        corner = image.convert("RGB").getpixel((1, image.height - 2))
        assert "#{:02X}{:02X}{:02X}".format(*corner) == look.background


def test_scale_two_doubles_the_pixels():
    """A phone chart at device pixel ratio 2 is 780 pixels wide."""
    rendered = charts.render(energy_data(), theme.LIGHT, theme.PHONE.scaled(2))
    assert rendered.width == 780


def test_labels_people_write_cannot_break_rendering():
    """Dollar signs (mathtext), emoji and CJK in a drain are drawn as text, with no warning
    (warnings are errors in this suite) and no crash."""
    label = "$x^2$ bills 💸 残業"
    entries = [entry(0, 2, drains=(label,)), entry(1, 6)]
    data = chart_data.ledger_chart(ledger.build_ledger(entries, day(0), day(1)))
    assert charts.render(data, theme.DARK, theme.PHONE).png.startswith(PNG)
    assert theme.safe_text(label) == "$x^2$ bills ? ??"


def test_three_years_of_daily_data_render_quickly():
    """1,095 days with a 7-day mean and weekly self-check markers: built and rendered well under a
    second (the budget is 250 ms on a quiet machine; this bound allows for a busy one)."""
    entries = [entry(i, (i * 7) % 11) for i in range(-1095, 0) if i % 9]
    checks = [CheckResult(f"q{i}", "quick", datetime(2026, 3, 1, tzinfo=TZ) - timedelta(days=7 * i), quick=3)
              for i in range(156)]  # fmt: skip
    charts.render(energy_data())  # warm up fonts and imports
    started = time.perf_counter()
    data = chart_data.energy_chart(series.series_for(entries, None, day(0)), None, checks)
    rendered = charts.render(data, theme.LIGHT, theme.DESKTOP)
    elapsed = time.perf_counter() - started
    assert len(data.days) == 1096
    assert rendered.png.startswith(PNG)
    assert elapsed < 1.5, f"3-year chart took {elapsed * 1000:.0f} ms"


def test_energy_summary_does_not_call_a_dip_and_recovery_steady():
    """A 7-day mean that falls and comes back is described by its range, not as 'held steady'."""
    daily = {day(i): v for i, v in enumerate([6, 6, 6, 1, 1, 1, 1, 1, 1, 1, 6, 6, 6, 6, 6, 6, 6])}
    found = series.energy_series(daily, day(0), day(16))
    summary = chart_data.energy_chart(found, 17).summary
    assert "held steady" not in summary and "ranged from" in summary
    steady = series.energy_series({day(i): 5 for i in range(10)}, day(0), day(9))
    assert "held steady near 5.0" in chart_data.energy_chart(steady, 10).summary
