"""The phone build's entry point (`flet build apk|ipa` runs main.py, which calls run()).

On a phone the vault lives in the app's private storage, which Flet names in FLET_APP_STORAGE_DATA;
elsewhere the usual location rules apply."""

from __future__ import annotations

import os
from pathlib import Path

import flet as ft

from purpose_app.services.location import resolve_vault_dir
from purpose_app.ui import theme
from purpose_app.ui.app import run_page


def vault_folder() -> Path:
    storage = os.environ.get("FLET_APP_STORAGE_DATA")
    return Path(storage) / "vault" if storage else resolve_vault_dir(None)


def run() -> None:
    ft.run(run_page(vault_folder()), assets_dir=str(theme.assets_dir()))
