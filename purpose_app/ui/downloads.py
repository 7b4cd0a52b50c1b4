"""One-time download addresses on the app's own server, for files too big for the live WebSocket.

An export of 50,000 entries is 67 MB: handed to the browser through the WebSocket (the FilePicker's
bytes) it took 89 s and held up the session; as an ordinary HTTP download, streamed, a few seconds.
Each address is unguessable (256 bits), served once, for a minute, and only while the session that
asked is still unlocked. The route sits behind the same door as every page (guard.py: the cookie, a
loopback Host), because server.py wraps it inside the guard.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

import flet as ft
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from purpose_app.services.memory import release as release_memory

PREFIX = "/_purpose/download/"
LIFETIME_SECONDS = 60.0
CHUNK = 1 << 20  # a megabyte at a time: the file is never copied whole into the response
GONE = (
    "This download link has already been used or has expired. Go back to Purpose and export again: "
    "each export makes a new link, for one download."
)


@dataclass
class _Pending:
    parts: list[bytes]
    file_name: str
    media_type: str
    allowed: Callable[[], bool]  # the asking session is still unlocked
    expires: float


class Downloads:
    """The files on offer, by token. `enabled` once a server routes to it (not in the desktop window)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}
        self.enabled = False

    def offer(
        self, data: bytes | Iterable[bytes], file_name: str, media_type: str, allowed: Callable[[], bool]
    ) -> str:
        """The path (under PREFIX) where these bytes (or pieces, sent one after another) can be
        fetched, once, within LIFETIME_SECONDS."""
        parts = [data] if isinstance(data, bytes) else list(data)
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._drop_expired()
            self._pending[token] = _Pending(
                parts, file_name, media_type, allowed, self._clock() + LIFETIME_SECONDS
            )
        return PREFIX + token

    def take(self, token: str) -> _Pending | None:
        """The file for this token, removed from the offer (a second use finds nothing); None if the
        token is unknown, expired, or its session has locked meanwhile."""
        with self._lock:
            self._drop_expired()
            pending = self._pending.pop(token, None)
        if pending is None or not pending.allowed():
            return None
        return pending

    def _drop_expired(self) -> None:
        now = self._clock()
        expired = [t for t, p in self._pending.items() if p.expires < now]
        for token in expired:
            del self._pending[token]  # a plaintext export is not kept in memory longer than needed
        if expired:
            release_memory()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        pending = self.take(path[len(PREFIX) :]) if scope.get("method") == "GET" else None
        if pending is None:
            await PlainTextResponse(GONE, status_code=404)(scope, receive, send)
            return
        parts, pending.parts = pending.parts, []
        size = sum(map(len, parts))
        parts.reverse()  # popped from the end: each piece is let go as soon as it is sent

        async def chunks() -> AsyncIterator[bytes]:
            part = b""
            try:
                while parts:
                    part = parts.pop()
                    for start in range(0, len(part), CHUNK):
                        yield part if len(part) <= CHUNK else part[start : start + CHUNK]
            finally:
                part = b""
                parts.clear()  # an interrupted download keeps nothing either
                release_memory()

        name = quote(pending.file_name)
        headers = {
            "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}",
            "Content-Length": str(size),
            "Cache-Control": "no-store",  # a readable copy of the journal: never kept in a cache
            "X-Content-Type-Options": "nosniff",
        }
        await StreamingResponse(chunks(), media_type=pending.media_type, headers=headers)(
            scope, receive, send
        )


DOWNLOADS = Downloads()  # the process's one offer: the server routes to it, screens offer through it


def with_downloads(app: ASGIApp, downloads: Downloads = DOWNLOADS) -> ASGIApp:
    """The app, with PREFIX answered by `downloads`. Wrap the result in the guard, never the reverse."""
    downloads.enabled = True

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(PREFIX):
            await downloads(scope, receive, send)
            return
        await app(scope, receive, send)

    return dispatch


def _address(page: ft.Page, path: str) -> str:
    """An absolute address on the server this page came from (Flet knows it as the WebSocket's)."""
    try:
        base = page.url or ""
    except (AttributeError, RuntimeError):  # no live connection: a relative address still works
        base = ""
    for socket_scheme, web_scheme in (("wss://", "https://"), ("ws://", "http://")):
        if base.startswith(socket_scheme):
            return web_scheme + base[len(socket_scheme) :].rstrip("/") + path
    return path


async def hand_over(
    page: ft.Page, data: bytes | Iterable[bytes], file_name: str, allowed: Callable[[], bool]
) -> bool:
    """Have this tab download the file from a one-time address; False when no server of ours routes
    downloads (the desktop window, tests): the caller then hands the bytes over itself."""
    if not DOWNLOADS.enabled:
        return False
    media_type = "text/markdown; charset=utf-8" if file_name.endswith(".md") else "application/json"
    path = DOWNLOADS.offer(data, file_name, media_type, allowed)
    # "_self": the page stays (an attachment is saved, not shown), and no pop-up blocker is involved.
    await ft.UrlLauncher().launch_url(_address(page, path), web_only_window_name="_self")
    return True
