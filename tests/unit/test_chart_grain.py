"""Long ranges drawn in weeks or months (means exact, gaps kept, the boundaries), and chart lettering
sized for the screen it is shown on (the smallest text at least 11 logical pixels as seen)."""

from __future__ import annotations

import math
from datetime import UTC, date, timedelta

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from purpose_app.insight import chart_data, charts, ledger, patterns, series, theme
from purpose_app.insight.series import DAY, MONTH, WEEK

MONDAY = date(2024, 1, 1)  # a Monday, the first of a month


def test_the_grain_changes_beyond_six_months_and_beyond_two_years():
    """Up to 183 days: days; 184 to 731: weeks; from 732: months (30, 90 and 365 day ranges included)."""
    assert [series.grain_for(n) for n in (1, 30, 90, 183)] == [DAY] * 4
    assert [series.grain_for(n) for n in (184, 365, 731)] == [WEEK] * 3
    assert [series.grain_for(n) for n in (732, 2190)] == [MONTH, MONTH]


def test_weekly_means_are_exact_and_empty_weeks_stay_gaps():
    """Each week (Monday to Sunday) is the mean of its days with data, each day once; a week with
    none is None, not zero and not a bridge; a partial week at the start counts its days in range."""
    daily = {
        MONDAY - timedelta(days=1): 9.0,  # Sunday before the range: outside it, never counted
        MONDAY + timedelta(days=1): 2.0,
        MONDAY + timedelta(days=6): 5.0,  # Sunday: still the first week
        MONDAY + timedelta(days=7): 7.0,  # Monday: the second week
        MONDAY + timedelta(days=22): 4.5,  # the fourth week; the third has nothing
    }
    found = series.energy_series(daily, MONDAY, MONDAY + timedelta(days=27))
    weeks = series.period_means(found, WEEK)
    assert weeks.starts == tuple(MONDAY + timedelta(days=7 * i) for i in range(4))
    assert weeks.means == (3.5, 7.0, None, 4.5)
    assert weeks.counts == (2, 1, 0, 1)
    middle = series.energy_series(daily, MONDAY + timedelta(days=3), MONDAY + timedelta(days=8))
    partial = series.period_means(middle, WEEK)
    assert partial.starts == (MONDAY, MONDAY + timedelta(days=7))  # calendar starts, before the range
    assert partial.means == (5.0, 7.0)  # Tuesday's 2.0 is before the range


def test_monthly_means_follow_calendar_months():
    """31 January and 1 February fall in different months; a month without data is None."""
    daily = {date(2024, 1, 1): 1.0, date(2024, 1, 31): 4.0, date(2024, 2, 1): 8.0, date(2024, 4, 30): 6.0}
    found = series.energy_series(daily, date(2024, 1, 1), date(2024, 4, 30))
    months = series.period_means(found, MONTH)
    assert months.starts == (date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1))
    assert months.means == (2.5, 8.0, None, 6.0)


def test_a_weekly_chart_says_so_and_draws_its_gaps():
    """The chart's sentence names the grain; matplotlib gets one point a week, NaN where there is none,
    and no 7-day line."""
    daily = {MONDAY + timedelta(days=i): float(i % 10) for i in range(300) if not 70 <= i < 90}
    found = series.energy_series(daily, MONDAY, MONDAY + timedelta(days=299))
    chart = chart_data.energy_chart(found, 300, grain=WEEK)
    assert chart.title == "Energy, week by week"
    assert chart.summary.endswith("Each point is a week's mean energy.")
    assert "the weekly mean" in chart.summary
    assert len(chart.periods) == 43 and sum(math.isnan(v) for v in chart.means) == 2
    fig = Figure()
    FigureCanvasAgg(fig)
    charts.draw(fig, chart, theme.LIGHT, theme.DESKTOP)
    lines = fig.axes[0].lines
    assert [line.get_label() for line in lines] == ["Weekly mean"]
    assert len(lines[0].get_ydata()) == 43


def test_a_monthly_chart_says_so():
    """Over six years the sentence says each point is a month's mean; the day view is unchanged."""
    daily = {date(2020, 1, 1) + timedelta(days=i): 5.0 for i in range(0, 2190, 3)}
    found = series.energy_series(daily, date(2020, 1, 1), date(2020, 1, 1) + timedelta(days=2189))
    monthly = chart_data.energy_chart(found, None, grain=series.grain_for(len(found.days)))
    assert monthly.grain == MONTH and len(monthly.periods) == 72
    assert monthly.summary.endswith("Each point is a month's mean energy.")
    assert "held steady near 5.0" in monthly.summary
    daily_view = chart_data.energy_chart(found, None)
    assert daily_view.title == "Energy, day by day" and "Each point" not in daily_view.summary


@pytest.mark.parametrize(("width", "ratio"), [(318, 3.0), (390, 2.0), (900, 1.0), (1127, 0.0)])
def test_the_chosen_size_fits_the_screen(width, ratio):
    """The chart is as wide as where it is shown, sharp at the device's ratio (2 when unknown), and
    its smallest text is at least 11 logical pixels."""
    size = theme.for_display(width, ratio, theme.PHONE if width < 700 else theme.DESKTOP)
    assert size.width == width
    assert size.scale == (ratio or 2.0)
    assert theme.text_px(size.font) * theme.SMALLEST_TEXT >= 11


def _texts(fig: Figure) -> list[Text]:
    FigureCanvasAgg(fig).draw()
    return [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]


def test_no_lettering_in_any_chart_is_under_11_pixels_on_a_phone():
    """Every visible text of every chart, drawn for a 390-pixel phone (318 px of card) at ratio 3, is
    11 px or more."""
    from datetime import datetime

    from purpose_app.domain.entry import Entry

    tz = UTC
    entries = [
        Entry(id=str(i), created=datetime(2024, 1, 1 + i, 21, tzinfo=tz),
              updated=datetime(2024, 1, 1, tzinfo=tz), revision=1, energy=i % 10,
              drains=("pages",), fuels=("sleep",), shift="day")
        for i in range(20)
    ]  # fmt: skip
    end = date(2024, 1, 20)
    size = theme.for_display(318, 3.0, theme.PHONE)
    made: list[charts.Chart] = [
        chart_data.energy_chart(series.series_for(entries, 30, end), 30),
        chart_data.ledger_chart(ledger.build_ledger(entries, date(2024, 1, 1), end)),
        chart_data.pattern_chart(patterns.build_patterns(entries, date(2024, 1, 1), end)),
        chart_data.selfcheck_chart([]),
    ]
    for chart in made:
        drawn = charts.size_for(chart, size)
        fig = Figure(figsize=(drawn.width / 100, drawn.height / 100), dpi=100,
                     layout=None if isinstance(chart, chart_data.EnergyChart) else "constrained")  # fmt: skip
        charts.draw(fig, chart, theme.LIGHT, drawn)
        smallest = min(theme.text_px(t.get_fontsize()) for t in _texts(fig))
        assert smallest >= 11, f"{chart.title}: {smallest:.1f} px"
