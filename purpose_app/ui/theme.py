"""Calm colours, large touch targets, fonts shipped with the app (offline, no tofu boxes)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import flet as ft

# A warm sage: calm, not hospital blue-and-white, not alarm red.
SEED = "#5E7F6B"
FONT = "DejaVu Sans"
PHONE_MAX_WIDTH = 700  # below this: bottom navigation bar; above: a navigation rail
TOUCH = 48  # minimum height of anything tappable


def assets_dir() -> Path:
    try:
        return Path(str(resources.files("purpose_app.assets")))
    except ModuleNotFoundError:  # a phone build ships the source tree, where assets/ is top level
        return Path(__file__).resolve().parents[2] / "assets"


# Material 3's type scale (points at 100%): what fields, buttons, menus and unsized text use.
MATERIAL_SIZES = {
    "display_large": 57, "display_medium": 45, "display_small": 36,
    "headline_large": 32, "headline_medium": 28, "headline_small": 24,
    "title_large": 22, "title_medium": 16, "title_small": 14,
    "body_large": 16, "body_medium": 14, "body_small": 12,
    "label_large": 14, "label_medium": 12, "label_small": 11,
}  # fmt: skip


def text_theme(text_scale: float) -> ft.TextTheme:
    """The whole type scale at the person's text size, so a field's words, a button's label and a
    menu grow with the headings (text drawn with an explicit size uses `size()` below)."""
    return ft.TextTheme(
        **{name: ft.TextStyle(size=round(points * text_scale, 1)) for name, points in MATERIAL_SIZES.items()}
    )


def apply(page: ft.Page, mode: str = "system", text_scale: float = 1.0) -> None:
    page.fonts = {FONT: "fonts/DejaVuSans.ttf", f"{FONT} Bold": "fonts/DejaVuSans-Bold.ttf"}
    scaled = text_theme(text_scale)
    page.theme = ft.Theme(color_scheme_seed=SEED, font_family=FONT, text_theme=scaled)
    page.dark_theme = ft.Theme(color_scheme_seed=SEED, font_family=FONT, text_theme=scaled)
    page.theme_mode = {"light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}.get(mode, ft.ThemeMode.SYSTEM)
    page.data = {**(page.data or {}), "text_scale": text_scale}


def size(page: ft.Page, base: float) -> float:
    scale = (page.data or {}).get("text_scale", 1.0) if isinstance(page.data, dict) else 1.0
    return round(base * float(scale), 1)


def is_phone(page: ft.Page) -> bool:
    return (page.width or 1280) < PHONE_MAX_WIDTH
