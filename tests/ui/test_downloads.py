"""One-time download addresses (ui/downloads.py) behind the server's door: the export arrives whole
over plain HTTP, once, for the cookie holder only, and never after its session locked or it expired."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import PASSPHRASE, MadeVault
from own_loop import run_to_end
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from purpose_app.domain.entry import EntryChanges
from purpose_app.services.session import Session
from purpose_app.ui import downloads
from purpose_app.ui.data_model import DataModel
from purpose_app.ui.guard import REFUSED, cookie_name, guarded, new_token

PORT = 8550
SERVED = f"http://127.0.0.1:{PORT}"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _inner() -> Starlette:
    async def page(_request: object) -> PlainTextResponse:
        return PlainTextResponse("the app")

    return Starlette(routes=[Route("/", page)])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def offer(clock: Clock) -> downloads.Downloads:
    return downloads.Downloads(clock)


@pytest.fixture
def token() -> str:
    return new_token()


@pytest.fixture
def client(offer: downloads.Downloads, token: str) -> TestClient:
    app = guarded(
        downloads.with_downloads(_inner(), offer), token=token, port=PORT, allowed_hosts=["127.0.0.1"]
    )
    return TestClient(app, base_url=SERVED, follow_redirects=False)


def _with_cookie(client: TestClient, token: str) -> TestClient:
    client.cookies.set(cookie_name(PORT), token)
    return client


def test_the_export_downloads_whole_once(made_vault: MadeVault, offer, client, token) -> None:
    """The bytes fetched are exactly the Markdown export, as an attachment that is not cached; the
    same address a second time finds nothing."""
    session = Session(made_vault.folder)
    session.unlock(PASSPHRASE)
    try:
        for n in range(3):
            session.require().add(
                EntryChanges(title=f"Shift {n}", body="A long night, then a good handover.")
            )
        export = DataModel(session).export("markdown")
        path = offer.offer(
            export.data, export.file_name, "text/markdown; charset=utf-8", lambda: session.unlocked
        )
        fetched = _with_cookie(client, token).get(path)
        assert fetched.status_code == 200
        assert fetched.content == export.data and b"Shift 2" in fetched.content
        assert fetched.headers["content-disposition"].startswith('attachment; filename="purpose-journal.md"')
        assert fetched.headers["cache-control"] == "no-store"
        again = client.get(path)
        assert again.status_code == 404
        assert again.text == downloads.GONE
    finally:
        session.lock()


def test_without_the_cookie_it_is_refused_and_still_there_for_the_person(offer, client, token) -> None:
    """No cookie: the door refuses (403) and the file stays on offer; the cookie holder then gets it."""
    path = offer.offer(b"journal", "purpose-journal.md", "text/markdown", lambda: True)
    refused = client.get(path)
    assert refused.status_code == 403
    assert refused.text == REFUSED
    assert _with_cookie(client, token).get(path).content == b"journal"


def test_an_unknown_or_guessed_address_is_refused(offer, client, token) -> None:
    """A token never offered (or a bare prefix) gets the calm "used or expired" page, never a file."""
    offer.offer(b"journal", "purpose-journal.md", "text/markdown", lambda: True)
    signed = _with_cookie(client, token)
    for path in (downloads.PREFIX + new_token(), downloads.PREFIX):
        answer = signed.get(path)
        assert answer.status_code == 404
        assert answer.text == downloads.GONE


def test_another_host_name_is_refused(offer, client, token) -> None:
    """A request naming another host (DNS rebinding) is refused before any file is looked up."""
    path = offer.offer(b"journal", "purpose-journal.md", "text/markdown", lambda: True)
    answer = _with_cookie(client, token).get(path, headers={"host": "evil.example"})
    assert answer.status_code == 400
    assert client.get(path).content == b"journal"


def test_an_expired_address_or_a_locked_session_gets_nothing(offer, client, token, clock) -> None:
    """After LIFETIME_SECONDS, or once the session that asked has locked, the address is dead."""
    signed = _with_cookie(client, token)
    late = offer.offer(b"journal", "purpose-journal.md", "text/markdown", lambda: True)
    clock.now += downloads.LIFETIME_SECONDS + 1
    assert signed.get(late).status_code == 404
    unlocked = SimpleNamespace(value=True)
    locked = offer.offer(b"journal", "purpose-journal.md", "text/markdown", lambda: unlocked.value)
    unlocked.value = False
    assert signed.get(locked).status_code == 404
    assert signed.post(offer.offer(b"x", "a.md", "text/markdown", lambda: True)).status_code == 404


def test_without_a_server_the_screen_falls_back_to_the_file_picker() -> None:
    """Not served over HTTP (the desktop window, tests): hand_over declines, the caller sends the bytes."""
    assert not downloads.DOWNLOADS.enabled
    page = SimpleNamespace(url=None)
    assert run_to_end(downloads.hand_over(page, b"x", "a.md", lambda: True)) is False  # type: ignore[arg-type]


def test_the_address_is_on_the_server_the_page_came_from() -> None:
    """Flet knows the page's server as its WebSocket address: the download uses the same host, over HTTP."""
    for socket, web in (
        ("ws://127.0.0.1:8550", "http://127.0.0.1:8550"),
        ("wss://h.example/", "https://h.example"),
    ):
        page = SimpleNamespace(url=socket)
        assert downloads._address(page, "/_purpose/download/t") == web + "/_purpose/download/t"  # type: ignore[arg-type]
    assert downloads._address(SimpleNamespace(url=None), "/p") == "/p"  # type: ignore[arg-type]


def test_pieces_arrive_as_one_file_and_are_let_go(offer, client, token, monkeypatch) -> None:
    """An export offered in pieces (one larger than a chunk) downloads as their concatenation with
    the right length; once sent, the offer holds none of it, and the freed memory is handed back."""
    released = []
    monkeypatch.setattr(downloads, "CHUNK", 4)
    monkeypatch.setattr(downloads, "release_memory", lambda: released.append(True))
    pieces = [b"---\nfront\n", b"ab", b"", b"a piece longer than a chunk"]
    path = offer.offer(iter(pieces), "purpose-journal.md", "text/markdown", lambda: True)
    fetched = _with_cookie(client, token).get(path)
    assert fetched.content == b"".join(pieces)
    assert fetched.headers["content-length"] == str(len(b"".join(pieces)))
    assert offer._pending == {} and released == [True]


def test_an_expired_offer_is_dropped_and_its_memory_handed_back(offer, clock, monkeypatch) -> None:
    """A file nobody fetched is forgotten once expired (at the next offer), and the memory returned."""
    released = []
    monkeypatch.setattr(downloads, "release_memory", lambda: released.append(True))
    offer.offer([b"journal"], "purpose-journal.md", "text/markdown", lambda: True)
    clock.now += downloads.LIFETIME_SECONDS + 1
    offer.offer(b"next", "purpose-journal.md", "text/markdown", lambda: True)
    assert len(offer._pending) == 1 and released == [True]
