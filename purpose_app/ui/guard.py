"""The local server's door: only the person who started `purpose app` gets in.

A web server on 127.0.0.1 is reachable by every web page the physician visits (a page may open a
WebSocket to any address: cross-site WebSocket hijacking; a hostile name may resolve to 127.0.0.1:
DNS rebinding) and by every other user of the machine. So, the way Jupyter guards its notebooks:
- a secret token, made fresh at each start, is in the address that `purpose app` prints and opens;
  the first visit trades it for an HttpOnly, SameSite=Strict cookie and drops it from the address;
  without the token or the cookie, the page, its files and the WebSocket are refused;
- the Host header must be a loopback name (Starlette's TrustedHostMiddleware), which defeats
  DNS rebinding, unless the person chose --allow-remote (then the token still guards the door);
- a WebSocket must come from the page this server served: its Origin must equal the Host it asked;
- no wildcard CORS header leaves the server (Flet adds `Access-Control-Allow-Origin: *`).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.datastructures import URL, MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_PARAMETER = "token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
REFUSED = (
    "This is Purpose, a private journal. Open it from the address that `purpose app` printed "
    "(it holds a key for this run); this page cannot be reached without it."
)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def cookie_name(port: int) -> str:
    # Cookies are not kept apart by port: two servers on one machine must not share (or clobber) one.
    return f"purpose_session_{port}"


def same_origin(origin: str | None, host: str | None) -> bool:
    """A browser's Origin ("http://127.0.0.1:8550") names the same place as the Host it connected to."""
    if not origin or not host:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


class TokenGate:
    """ASGI middleware: the token (once) or its cookie for every request; same-origin WebSockets only."""

    def __init__(self, app: ASGIApp, *, token: str, port: int) -> None:
        self.app = app
        self.token = token
        self.cookie = cookie_name(port)

    def _holds_key(self, connection: HTTPConnection) -> bool:
        return hmac.compare_digest(connection.cookies.get(self.cookie, ""), self.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)  # lifespan: starts Flet's session manager
            return
        connection = HTTPConnection(scope)
        if scope["type"] == "websocket":
            origin_ok = same_origin(connection.headers.get("origin"), connection.headers.get("host"))
            if not (origin_ok and self._holds_key(connection)):
                # Closing before accepting refuses the handshake (HTTP 403): no session is ever made.
                await send({"type": "websocket.close", "code": 1008})
                return
            await self.app(scope, receive, send)
            return
        offered = connection.query_params.get(TOKEN_PARAMETER)
        if offered is not None and hmac.compare_digest(offered, self.token):
            # Trade the token for a cookie and take it out of the address bar and history.
            clean = URL(scope=scope).remove_query_params(TOKEN_PARAMETER)
            location = clean.path + (f"?{clean.query}" if clean.query else "")
            response = RedirectResponse(location, status_code=303)
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
            await response(scope, receive, send)
            return
        if not self._holds_key(connection):
            await PlainTextResponse(REFUSED, status_code=403)(scope, receive, send)
            return

        async def without_wildcard_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("access-control-allow-origin") == "*":
                    del headers["access-control-allow-origin"]
            await send(message)

        await self.app(scope, receive, without_wildcard_cors)


def guarded(app: ASGIApp, *, token: str, port: int, allowed_hosts: Sequence[str] | None) -> ASGIApp:
    """The app behind the gate. allowed_hosts None: any Host (--allow-remote; the token still rules)."""
    gated: ASGIApp = TokenGate(app, token=token, port=port)
    return TrustedHostMiddleware(gated, allowed_hosts=list(allowed_hosts or ["*"]))
