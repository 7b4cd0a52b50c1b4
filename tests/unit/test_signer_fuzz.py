"""Signer names with control and direction characters: keygen refuses them, a signed file carrying one
never verifies, and a clean name survives sign -> open_signed -> import exactly."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purpose_app.domain.json_value import JsonValue
from purpose_app.domain.text_safety import BIDI_CONTROLS, unsafe_character
from purpose_app.errors import PurposeError
from purpose_app.packs import signing
from purpose_app.packs.builtin import builtin_files
from purpose_app.packs.parse import PackError
from purpose_app.services import library

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TIME_LIMIT = 2.0
SMALL_FILE = min(builtin_files().values(), key=len)
SEED = bytes(range(32))  # a fixed key: only the name varies
# ESC, CSI (C1), CR, BEL, DEL, backspace, NUL, line and paragraph breaks of other kinds, and every
# direction control: each can make a name read as another on a terminal or a screen.
HOSTILE = sorted({"\x1b", "\x9b", "\r", "\x07", "\x7f", "\x08", "\x00", "\x85", "\t", *BIDI_CONTROLS})
plain = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)


@st.composite
def hostile_names(draw: st.DrawFn) -> str:
    """A plausible name with one to three hostile characters put anywhere in it."""
    name = draw(st.sampled_from(["Dr Ana Ruiz", "St Mary's circle", "Ben", ""])) + draw(plain)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(name)))
        name = name[:at] + draw(st.sampled_from(HOSTILE)) + name[at:]
    return name


def bounded(call: Callable[[], Any]) -> Any:
    """Only Purpose's own errors, with a short message, within TIME_LIMIT."""
    started = time.perf_counter()
    try:
        result = call()
    except PurposeError as error:
        assert error.exit_code == 5 and error.message.strip() and len(error.message) < 1000
        result = error
    assert time.perf_counter() - started < TIME_LIMIT
    return result


class FakeVault:
    """The three document calls the library's signing needs, in a dict."""

    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], JsonValue] = {}

    def document(self, kind: str, name: str, default: JsonValue = None) -> JsonValue:
        return self.stored.get((kind, name), default)

    def documents(self, kind: str) -> dict[str, JsonValue]:
        return {name: data for (k, name), data in self.stored.items() if k == kind}

    def put_document(self, kind: str, name: str, data: JsonValue) -> None:
        self.stored[(kind, name)] = data


@FUZZ
@given(name=hostile_names())
def test_a_signed_file_with_a_hostile_name_never_verifies(name):
    """sign() may write such a name (it signs what it is given), but open_signed refuses the file
    with a PackError: the trust question never shows a name that could pass for another."""
    signed = bounded(lambda: signing.sign(SMALL_FILE, signing.SigningIdentity(name, SEED)))
    if isinstance(signed, PackError):
        return  # a line break: refused already when signing
    opened = bounded(lambda: signing.open_signed(signed))
    assert isinstance(opened, PackError), f"verified as {opened[0].name!r}"
    assert "cannot be trusted" in opened.message


@FUZZ
@given(name=st.one_of(hostile_names(), plain))
def test_keygen_refuses_hidden_characters_and_keeps_clean_names_exactly(name):
    """Library.keygen either refuses the name (InvalidInput, nothing stored) or stores a clean one,
    which then signs and verifies under exactly that name."""
    vault = FakeVault()
    shelf = library.Library(vault)  # type: ignore[arg-type]
    made = bounded(lambda: shelf.keygen(name))
    if isinstance(made, PurposeError):
        assert vault.stored == {}
        return
    assert unsafe_character(made.name) is None and made.name.strip() == made.name
    signer, body = signing.open_signed(shelf.sign(SMALL_FILE))
    assert signer is not None and signer.name == made.name and body == SMALL_FILE
    assert shelf.trusted() == {made.fingerprint: made.name}


@FUZZ
@given(name=hostile_names())
def test_importing_a_pack_signed_with_a_hostile_name_changes_nothing(name):
    """Even with --trust, a pack whose signer name hides characters is refused and nothing is stored
    (no pack, no trusted signer)."""
    signed = bounded(lambda: signing.sign(SMALL_FILE, signing.SigningIdentity(name, SEED)))
    if isinstance(signed, PackError):
        return
    vault = FakeVault()
    result = bounded(lambda: library.Library(vault).import_pack(signed, trust=True))  # type: ignore[arg-type]
    assert isinstance(result, PackError) and vault.stored == {}
    assert "cannot be trusted" in result.message  # refused for its signer, before anything else
