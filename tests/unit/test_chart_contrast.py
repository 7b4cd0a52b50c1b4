"""Chart colours meet WCAG AA in the light and the dark theme: text 4.5:1, data marks 3:1 (1.4.11)."""

from __future__ import annotations

import pytest

from purpose_app.insight import theme
from purpose_app.insight.theme import DARK, LIGHT, Theme

RGB = tuple[float, float, float]


def _rgb(colour: str) -> RGB:
    raw = colour.lstrip("#")
    red, green, blue = (int(raw[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def _luminance(rgb: RGB) -> float:
    """WCAG 2.1 relative luminance."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: RGB, other: RGB) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _over(colour: str, background: str, opacity: float) -> RGB:
    """A colour drawn at `opacity` over the background, as the eye sees it."""
    fg, bg = _rgb(colour), _rgb(background)
    red, green, blue = (opacity * f + (1 - opacity) * b for f, b in zip(fg, bg, strict=True))
    return red, green, blue


def _marks(palette: Theme) -> dict[str, str]:
    marks = {
        "daily": palette.daily,
        "rolling": palette.rolling,
        "drain": palette.drain,
        "fuel": palette.fuel,
        "quick": palette.quick,
        "muted (axes, threshold lines)": palette.muted,
    }
    marks.update({f"cbi {i}": colour for i, colour in enumerate(palette.cbi)})
    return marks


def test_the_ratio_is_computed_as_wcag_says() -> None:
    """Black on white is 21:1 and a colour on itself 1:1: the yardstick below is the right one."""
    assert contrast(_rgb("#000000"), _rgb("#FFFFFF")) == pytest.approx(21.0)
    assert contrast(_rgb("#767676"), _rgb("#FFFFFF")) == pytest.approx(4.54, abs=0.01)
    assert contrast(_rgb("#0072B2"), _rgb("#0072B2")) == pytest.approx(1.0)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=lambda t: t.name)
def test_chart_text_is_at_least_4_5_to_1(palette: Theme) -> None:
    """Titles, labels and values (text) and the muted lettering (muted) are readable on the background."""
    background = _rgb(palette.background)
    for name in ("text", "muted"):
        ratio = contrast(_rgb(getattr(palette, name)), background)
        assert ratio >= 4.5, f"{palette.name} {name}: {ratio:.2f}:1"


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=lambda t: t.name)
def test_every_data_mark_is_at_least_3_to_1_even_drawn_faint(palette: Theme) -> None:
    """Every series colour stands out 3:1 from the background; so does the one drawn at FAINT (the
    daily colour: dense daily dots and the bars of shifts or weekdays with few days)."""
    background = _rgb(palette.background)
    for name, colour in _marks(palette).items():
        full = contrast(_rgb(colour), background)
        assert full >= 3.0, f"{palette.name} {name}: {full:.2f}:1"
    faint = contrast(_over(palette.daily, palette.background, theme.FAINT), background)
    assert faint >= 3.0, f"{palette.name} daily drawn faint: {faint:.2f}:1"
