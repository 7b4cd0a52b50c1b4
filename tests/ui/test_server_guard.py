"""The local server's door (ui/guard.py): token, cookie, Host and Origin, no wildcard CORS."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

from purpose_app.ui.guard import REFUSED, cookie_name, guarded, new_token

PORT = 8550
SERVED = f"http://127.0.0.1:{PORT}"
LOOPBACK = ["127.0.0.1", "localhost"]


def _inner() -> Starlette:
    async def page(_request: object) -> PlainTextResponse:
        # What Flet's own middleware does to every response.
        return PlainTextResponse("the app", headers={"Access-Control-Allow-Origin": "*"})

    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("session opened")
        await websocket.close()

    return Starlette(routes=[Route("/", page), Route("/main.dart.js", page), WebSocketRoute("/ws", socket)])


@pytest.fixture
def token() -> str:
    return new_token()


@pytest.fixture
def client(token: str) -> TestClient:
    app = guarded(_inner(), token=token, port=PORT, allowed_hosts=LOOPBACK)
    return TestClient(app, base_url=SERVED, follow_redirects=False)


def _socket_headers(origin: str, token: str | None = None) -> dict[str, str]:
    # Starlette's test client names its WebSocket host "testserver" whatever base_url says, and so
    # does not send the cookie it holds for 127.0.0.1: say both as the browser would.
    headers = {"origin": origin, "host": f"127.0.0.1:{PORT}"}
    if token is not None:
        headers["cookie"] = f"{cookie_name(PORT)}={token}"
    return headers


def _signed_in(client: TestClient, token: str) -> TestClient:
    first = client.get(f"/?token={token}")
    assert first.status_code == 303
    return client


def test_without_the_token_the_page_and_its_files_are_refused(client):
    """A visitor (another local user, another site's page) who lacks the token gets nothing of the app."""
    for path in ("/", "/main.dart.js"):
        response = client.get(path)
        assert response.status_code == 403
        assert response.text == REFUSED
        assert "the app" not in response.text


def test_a_wrong_token_is_refused(client):
    """Guessing a token gets the same refusal as having none, and no cookie."""
    response = client.get("/?token=not-the-token")
    assert response.status_code == 403
    assert cookie_name(PORT) not in response.cookies


def test_the_token_is_traded_for_a_strict_httponly_cookie_and_leaves_the_address(client, token):
    """The printed address works; the token leaves the address bar, a private cookie keeps the door open."""
    response = client.get(f"/?token={token}&lang=en")
    assert response.status_code == 303
    assert response.headers["location"] == "/?lang=en"
    cookie = response.headers["set-cookie"].lower()
    assert f"{cookie_name(PORT)}={token}".lower() in cookie
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = client.get("/")
    assert page.status_code == 200 and page.text == "the app"


def test_no_wildcard_cors_header_leaves_the_server(client, token):
    """Flet's `Access-Control-Allow-Origin: *` is taken off every response."""
    page = _signed_in(client, token).get("/main.dart.js")
    assert page.status_code == 200
    assert "access-control-allow-origin" not in page.headers


def test_a_rebinding_host_is_refused_even_with_the_cookie(client, token):
    """DNS rebinding: evil.example resolving to 127.0.0.1 sends Host: evil.example; refused."""
    _signed_in(client, token)
    response = client.get("/", headers={"host": f"evil.example:{PORT}"})
    assert response.status_code == 400
    assert "the app" not in response.text


def test_the_websocket_needs_the_served_origin_and_the_cookie(client, token):
    """Only the page this server served may open a session: a foreign Origin or no cookie is refused."""
    refused = [_socket_headers(SERVED), _socket_headers(SERVED, "not-the-token")]  # no key, a wrong one
    foreign = ("http://evil.example", f"http://localhost:{PORT}", "null")
    refused += [_socket_headers(origin, token) for origin in foreign]
    for headers in refused:
        with pytest.raises(WebSocketDisconnect), client.websocket_connect("/ws", headers=headers):
            pass
    with client.websocket_connect("/ws", headers=_socket_headers(SERVED, token)) as socket:
        assert socket.receive_text() == "session opened"


def test_remote_serving_accepts_any_host_but_still_needs_the_token(token):
    """--allow-remote: the Host check cannot know the machine's name, so the token alone guards the door."""
    app = guarded(_inner(), token=token, port=PORT, allowed_hosts=None)
    remote = TestClient(app, base_url="http://journal.example:8550", follow_redirects=False)
    assert remote.get("/").status_code == 403
    assert remote.get(f"/?token={token}").status_code == 303
    assert remote.get("/").text == "the app"
