"""Chart themes and sizes: calm light and truly dark colours, the Okabe-Ito colour-blind-safe palette.

Colour is never the only cue: every series also has its own marker shape or line style, and every chart
has labels and a sentence in words. Series colours were picked per theme for at least 3:1 contrast
against the background (WCAG 1.4.11 for graphics; lowest: green on light, 3.2:1), and a mark drawn
faint (FAINT) keeps 3:1 too; text colours for at least 4.5:1. tests/unit/test_chart_contrast.py
computes every ratio.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

# Okabe & Ito (2008), "Color Universal Design"
BLUE, VERMILLION, GREEN, ORANGE, SKY, PURPLE, YELLOW = (
    "#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442",
)  # fmt: skip
DEEP_PURPLE = "#A6517F"  # reddish purple darkened: Okabe-Ito's is 2.9:1 on the light background


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str
    grid: str
    daily: str  # daily energy: small dots joined by a thin line
    rolling: str  # 7-day mean: a thick solid line
    drain: str
    fuel: str
    quick: str
    cbi: tuple[str, str, str]  # personal (circles), work (squares), patient (triangles)


LIGHT = Theme(
    name="light", background="#FBF8F3", text="#2B2724", muted="#6B635B", grid="#E4DDD3",
    daily=BLUE, rolling=VERMILLION, drain=VERMILLION, fuel=BLUE, quick=DEEP_PURPLE,
    cbi=(BLUE, VERMILLION, GREEN),
)  # fmt: skip
DARK = Theme(
    name="dark", background="#151311", text="#ECE6DD", muted="#A39A8F", grid="#2E2925",
    daily=SKY, rolling=ORANGE, drain=ORANGE, fuel=SKY, quick=PURPLE,
    cbi=(SKY, ORANGE, GREEN),
)  # fmt: skip
THEMES = {t.name: t for t in (LIGHT, DARK)}

# The opacity of a data mark drawn fainter than its series (dense daily dots, a bar with few days
# behind it, whose hatching says so): the faintest that keeps 3:1 against both backgrounds (blue on
# light: 3.2:1). Dotted guide lines (grid, a marker's drop line) only help the eye and are exempt.
FAINT = 0.75


@dataclass(frozen=True, slots=True)
class Size:
    """A chart's size in screen points; scale is the device pixel ratio (2 for a sharp phone screen)."""

    name: str
    width: int
    height: int
    font: float  # base font size in points
    scale: float = 1.0

    @property
    def dpi(self) -> float:
        return 100 * self.scale

    @property
    def compact(self) -> bool:
        return self.width < 600

    def taller(self, factor: float) -> Size:
        return Size(self.name, self.width, round(self.height * factor), self.font, self.scale)

    def scaled(self, scale: float) -> Size:
        return Size(self.name, self.width, self.height, self.font, scale)


PHONE = Size("phone", 390, 300, 8.0)
DESKTOP = Size("desktop", 960, 420, 10.0)
SIZES = {s.name: s for s in (PHONE, DESKTOP)}

# Lettering as seen: a chart drawn for the screen is shown one chart point per logical pixel, and its
# smallest text (SMALLEST_TEXT of the base font: value labels beside bars and markers) is at least
# MIN_TEXT_PX logical pixels tall, the size a tired eye reads on a phone at arm's length.
MIN_TEXT_PX = 11.0
SMALLEST_TEXT = 0.8
MIN_WIDTH, MAX_WIDTH = 280, 1200  # logical pixels: a chart narrower is unreadable, wider is a poster
DEFAULT_PIXEL_RATIO = 2.0  # when the device does not say (Flet reports 0 before it knows)


def text_px(font: float) -> float:
    """A font size in points, as logical pixels on a chart drawn for the screen (100 dots per inch)."""
    return font * 100 / 72


def min_font() -> float:
    """The smallest base font whose smallest text is MIN_TEXT_PX as seen."""
    return round(MIN_TEXT_PX / SMALLEST_TEXT * 72 / 100 + 0.05, 1)


def for_display(width: float, pixel_ratio: float, base: Size) -> Size:
    """A chart for the space it is shown in: exactly width logical pixels wide (so nothing is scaled
    down and the text stays the size it was drawn), sharp at the device's pixel ratio, and with a base
    font large enough that the smallest text is MIN_TEXT_PX as seen."""
    ratio = pixel_ratio if pixel_ratio >= 1 else DEFAULT_PIXEL_RATIO
    shown = int(min(max(width, MIN_WIDTH), MAX_WIDTH))
    return Size(base.name, shown, base.height, max(base.font, min_font()), min(ratio, 4.0))


SANS, MONO = "DejaVu Sans", "DejaVu Sans Mono"  # shipped with matplotlib, so present everywhere


@functools.cache
def _charmap(family: str) -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=True)
    return frozenset(FT2Font(path).get_charmap())


def safe_text(text: str, limit: int | None = None, *, family: str = SANS) -> str:
    """Text a person wrote, made drawable: characters the font lacks become "?" (instead of a
    warning and an empty box), and long labels are shortened with an ellipsis."""
    known = _charmap(family)
    out = "".join(c if ord(c) in known or c in "\n" else "?" for c in text)
    if limit is not None and len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out
