"""Serving the app: the web client bundled (no CDN, fully offline) on loopback, or a desktop window."""

from __future__ import annotations

import importlib.util
import os
import socket
import threading
import webbrowser
from pathlib import Path
from typing import TextIO

import flet as ft

from purpose_app.errors import UsageError
from purpose_app.ui import theme
from purpose_app.ui.app import run_page

DEFAULT_PORT = 8550
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def serve(
    folder: Path,
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    desktop: bool = False,
    allow_remote: bool = False,
    allow_synced: bool = False,
    out: TextIO,
) -> int:
    main = run_page(folder, allow_synced=allow_synced)
    assets = str(theme.assets_dir())
    if desktop:
        if importlib.util.find_spec("flet_desktop") is None:
            raise UsageError(
                "The desktop window needs the Flet desktop client, which is not installed on this machine "
                "(it is downloaded from the internet the first time). Run `purpose app` to use Purpose in "
                "your browser instead: it is the same app, and it stays on this computer."
            )
        ft.run(main, view=ft.AppView.FLET_APP, assets_dir=assets)
        return 0
    if host not in LOOPBACK and not allow_remote:
        raise UsageError(
            f"Serving on {host} would let other computers on the network reach your journal's unlock "
            "screen. Add --allow-remote if you really mean it."
        )
    if host not in LOOPBACK:
        print(f"Warning: Purpose is reachable from other computers at {host}.", file=out)
    if port == 0:
        port = free_port(host)
    # Flet's own browser opening happens before the server is ready; we open it ourselves instead.
    os.environ["FLET_FORCE_WEB_SERVER"] = "1"
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    print(f"Purpose is running at {url}  (press Ctrl+C to stop)", file=out, flush=True)
    if open_browser:
        threading.Timer(1.5, webbrowser.open, [url]).start()
    ft.run(main, view=ft.AppView.WEB_BROWSER, host=host, port=port, no_cdn=True, assets_dir=assets)
    return 0
