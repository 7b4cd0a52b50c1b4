"""`purpose app`: serve the Purpose app on this computer and open it in a browser."""

from __future__ import annotations

from purpose_app.cli.context import Context
from purpose_app.cli.registry import Commands

DEFAULT_PORT = 8550


def _app(ctx: Context) -> int:
    from purpose_app.ui import server  # Flet is heavy: loaded only for this command

    args = ctx.args
    port = args.integer("port")
    return server.serve(
        ctx.folder,
        host=args.text("host"),
        port=DEFAULT_PORT if port is None else port,
        open_browser=not args.flag("no_browser"),
        desktop=args.flag("desktop"),
        allow_remote=args.flag("allow_remote"),
        allow_synced=ctx.allow_synced,
        out=ctx.out,
    )


def add_commands(commands: Commands) -> None:
    """Register app."""
    app = commands.add(
        "app", "open the Purpose app in your browser (served on this computer only)", _app, json=False
    )
    app.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to serve on (0: any free port)")
    app.add_argument("--host", default="127.0.0.1", help="address to serve on (default: this computer only)")
    app.add_argument("--allow-remote", action="store_true", help="allow a --host other than loopback")
    app.add_argument(
        "--no-browser", action="store_true", help="do not open a browser; just print the address"
    )
    app.add_argument("--desktop", action="store_true", help="a native window (needs the Flet desktop client)")
