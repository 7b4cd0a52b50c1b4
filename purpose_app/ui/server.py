"""Serving the app: the web client bundled (no CDN, fully offline) on loopback behind a guard (ui/guard.py),
or a desktop window."""

from __future__ import annotations

import errno
import importlib.util
import os
import socket
import threading
import webbrowser
from pathlib import Path
from typing import TextIO

import flet as ft
import flet_web.fastapi
import uvicorn

from purpose_app.errors import EnvironmentProblem, UsageError
from purpose_app.ui import collector, downloads, guard, theme
from purpose_app.ui.app import run_page

DEFAULT_PORT = 8550
LOOPBACK = ("127.0.0.1", "localhost", "::1")


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
        print(
            f"Warning: Purpose is reachable from other computers at {host}. Only someone with the address "
            "below (it holds a key) gets in, but the connection is not encrypted: put TLS in front.",
            file=out,
        )
    listener = _listen(host, port)
    port = int(listener.getsockname()[1])
    token = guard.new_token()
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/?{guard.TOKEN_PARAMETER}={token}"
    app = guard.guarded(  # downloads inside the guard: the same cookie and Host rules as every page
        downloads.with_downloads(flet_web.fastapi.app(main, assets_dir=assets, no_cdn=True)),
        token=token,
        port=port,
        allowed_hosts=guard.LOOPBACK_NAMES if host in LOOPBACK else None,
    )
    print(f"Purpose is running at {url}  (press Ctrl+C to stop)", file=out, flush=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    # No per-message compression: on a socket to this same machine, deflating every update only costs time.
    deflate = host not in LOOPBACK
    config = uvicorn.Config(
        app, log_level="warning", ws="websockets-sansio", lifespan="on", ws_per_message_deflate=deflate
    )
    collector.settle()  # what was imported and built lives as long as the server: set it aside
    uvicorn.Server(config).run(sockets=[listener])
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """Bind before announcing anything, so a port in use is one plain sentence, not a traceback."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name != "nt":  # on Windows this option would let two servers share the port
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
    except OSError as exc:
        listener.close()
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise EnvironmentProblem(
                f"Port {port} is already in use on this computer (perhaps Purpose is already running: "
                f"look for its tab). Start on another port with `purpose app --port {port + 1}`, or "
                "`--port 0` to take any free one."
            ) from None
        raise EnvironmentProblem(
            f"Purpose could not listen on {host}:{port}: {exc.strerror or exc}."
        ) from None
    listener.set_inheritable(True)
    return listener
