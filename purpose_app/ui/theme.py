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


def apply(page: ft.Page, mode: str = "system", text_scale: float = 1.0) -> None:
    page.fonts = {FONT: "fonts/DejaVuSans.ttf", f"{FONT} Bold": "fonts/DejaVuSans-Bold.ttf"}
    page.theme = ft.Theme(color_scheme_seed=SEED, font_family=FONT)
    page.dark_theme = ft.Theme(color_scheme_seed=SEED, font_family=FONT)
    page.theme_mode = {"light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}.get(mode, ft.ThemeMode.SYSTEM)
    page.data = {**(page.data or {}), "text_scale": text_scale}


def size(page: ft.Page, base: float) -> float:
    scale = (page.data or {}).get("text_scale", 1.0) if isinstance(page.data, dict) else 1.0
    return round(base * float(scale), 1)


def is_phone(page: ft.Page) -> bool:
    return (page.width or 1280) < PHONE_MAX_WIDTH
