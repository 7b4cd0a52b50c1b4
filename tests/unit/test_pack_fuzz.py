"""Hostile pack files: random bytes, random TOML-shaped documents, mutated built-in packs and damaged
signed files. Only the project's own PackError may come out, each call within bounded time, and no
change to a signed file ever leaves it verified as the original signer's."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purpose_app.packs import signing
from purpose_app.packs.builtin import builtin_files
from purpose_app.packs.model import Pack
from purpose_app.packs.parse import MAX_FILE_BYTES, PackError, parse_pack

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TIME_LIMIT = 2.0  # seconds per call; a well-behaved parser takes milliseconds
FILES = sorted(builtin_files().items())
# A fixed seed: the same signed file every run, so a failure found once is found again.
IDENTITY = signing.SigningIdentity("Dr Ana Ruiz, St Mary's circle", bytes(range(32)))
SMALL_FILE = min((raw for _, raw in FILES), key=len)
SIGNED = signing.sign(SMALL_FILE, IDENTITY)
# The last base64 characters of the public-key and signature lines (and their "=" padding): some of
# their bits are padding that a lenient decoder ignores, so they get extra attention.
_HEADER_ENDS = [i for i, byte in enumerate(SIGNED[: len(SIGNED) - len(SMALL_FILE)]) if byte == 0x0A]
PADDING_SPOTS = [end - back for end in _HEADER_ENDS[2:] for back in (1, 2, 3)]


def bounded(call: Callable[[], Any]) -> Any:
    """Run call; only a PackError may escape it; it must finish within TIME_LIMIT. Returns the
    result, or the PackError."""
    started = time.perf_counter()
    try:
        result: Any = call()
    except PackError as error:
        assert error.exit_code == 5
        assert error.message.strip()
        assert len(error.message) < 1000, "messages stay short whatever the input"
        result = error
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f}s"
    return result


def parse_bounded(raw: bytes) -> Pack | PackError:
    result = bounded(lambda: parse_pack(raw))
    assert isinstance(result, Pack | PackError)
    return result


# -- TOML-ish documents


@dataclass(frozen=True)
class Raw:
    """A TOML fragment written verbatim (huge numbers, deep nesting, long strings)."""

    text: str


def _toml_value(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("nan" if math.isnan(value) else repr(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise AssertionError(type(value))


def _key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def to_toml(doc: dict[str, Any]) -> str:
    """A document as TOML: top-level scalars, then [[prompts]] tables when prompts is a list of dicts."""
    prompts = doc.get("prompts")
    as_tables = isinstance(prompts, list) and prompts and all(isinstance(p, dict) for p in prompts)
    lines = [f"{_key(k)} = {_toml_value(v)}" for k, v in doc.items() if not (k == "prompts" and as_tables)]
    if as_tables:
        assert isinstance(prompts, list)
        for prompt in prompts:
            lines.append("\n[[prompts]]")
            lines += [f"{_key(k)} = {_toml_value(v)}" for k, v in prompt.items()]
    return "\n".join(lines) + "\n"


HOSTILE_CHARS = st.sampled_from(
    ["\x00", "\x07", "\x1b", "\x7f", "\u0085", "\u202e", "\u2066", "\u200f", "\ufeff", "e\u0301", "\n", "\t"]
)
short_text = st.text(max_size=40) | st.builds(
    lambda a, c, b: a + c + b, st.text(max_size=10), HOSTILE_CHARS, st.text(max_size=10)
)
big_number = st.sampled_from(
    [Raw("0x" + "f" * 5000), Raw("9" * 5000), Raw("-" + "9" * 5000), Raw("1e999"), Raw("0b" + "1" * 9000)]
)
deep_value = st.integers(1, 4000).flatmap(
    lambda depth: st.sampled_from(
        [
            Raw("[" * depth + "]" * depth),
            Raw("{" + ".".join(["k"] * depth) + " = 1}"),
            Raw("[{a = " * min(depth, 600) + "1" + "}]" * min(depth, 600)),
        ]
    )
)
long_string = st.sampled_from([2001, 70_000, 900_000, 1_200_000]).map(lambda n: Raw('"' + "x" * n + '"'))
scalars = (
    st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | short_text
    | st.sampled_from(["light", "medium", "deep", "daily", "en", "origins", "a-b"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
hostile_values = values | big_number | deep_value | long_string
PACK_KEYS = ["format", "id", "name", "version", "description", "author", "language", "licence"]
PROMPT_KEYS = ["id", "text", "theme", "weight", "follow_up"]
any_key = st.sampled_from([*PACK_KEYS, "sources", "programme", "prompts", "titel", "", "a.b"]) | st.text(
    max_size=12
)


def _valid_prompt(number: int) -> dict[str, Any]:
    return {"id": f"p-{number}", "text": f"Question {number}?", "theme": "fuels", "weight": "light"}


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A pack-shaped document with random damage: keys set to wrong or hostile values, keys removed or
    added, duplicate prompt ids, many prompts."""
    doc: dict[str, Any] = {
        "format": 1,
        "id": "fuzz-pack",
        "name": "Fuzz",
        "version": 1,
        "description": "d",
        "author": "a",
        "language": "en",
        "licence": "CC0",
    }
    if draw(st.booleans()):
        doc["programme"] = draw(st.just({"pace": "daily"}) | values)
    if draw(st.booleans()):
        doc["sources"] = draw(st.lists(short_text | values, max_size=3))
    count = draw(st.sampled_from([0, 1, 2, 3, 5, 501]))
    prompts: list[Any] = [_valid_prompt(i) for i in range(count)]
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["set", "delete", "add", "prompt-set", "prompt-delete", "duplicate"]))
        if action == "set":
            doc[draw(st.sampled_from(PACK_KEYS))] = draw(hostile_values)
        elif action == "delete" and doc:
            doc.pop(draw(st.sampled_from(sorted(doc))), None)
        elif action == "add":
            doc[draw(any_key)] = draw(hostile_values)
        elif prompts and isinstance(prompts[0], dict):
            target = prompts[draw(st.integers(0, len(prompts) - 1))]
            if action == "prompt-set":
                target[draw(st.sampled_from([*PROMPT_KEYS, "colour"]))] = draw(hostile_values)
            elif action == "prompt-delete":
                target.pop(draw(st.sampled_from(PROMPT_KEYS)), None)
            else:
                prompts.append(dict(target))
    if draw(st.integers(0, 9)) == 0:
        prompts = draw(values)
    doc["prompts"] = prompts
    return to_toml(doc)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_only_raise_pack_error(raw):
    """Arbitrary bytes: a PackError (or, absurdly, a Pack), never anything else, quickly."""
    parse_bounded(raw)


@FUZZ
@given(documents())
def test_random_documents_only_raise_pack_error(text):
    """Pack-shaped TOML with wrong types, hostile characters, huge numbers and strings, deep nesting,
    duplicate ids and too many prompts: a Pack or a PackError, quickly; oversize files always refused."""
    raw = text.encode("utf-8")
    result = parse_bounded(raw)
    if len(raw) > MAX_FILE_BYTES:
        assert isinstance(result, PackError)
        assert "1 MiB" in result.message
    if isinstance(result, Pack):
        assert 1 <= len(result.prompts) <= 500
        assert len({p.id for p in result.prompts}) == len(result.prompts)
        for prompt in result.prompts:
            assert "\u202e" not in prompt.text and "\x00" not in prompt.text


def test_document_strategy_produces_valid_packs_too():
    """The generator is not only producing garbage: undamaged documents parse (guards the fuzz test)."""
    doc = {
        "format": 1, "id": "fuzz-pack", "name": "Fuzz", "version": 1, "description": "d", "author": "a",
        "language": "en", "licence": "CC0", "prompts": [_valid_prompt(1), _valid_prompt(2)],
    }  # fmt: skip
    assert len(parse_pack(to_toml(doc).encode()).prompts) == 2


@st.composite
def mutated_builtin(draw: st.DrawFn) -> bytes:
    """A built-in pack file with 1-5 random byte flips, truncations, insertions or deletions."""
    _, raw = draw(st.sampled_from(FILES))
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, 5))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "splice"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(
                st.binary(min_size=1, max_size=16)
                | st.sampled_from([b"[", b'"', b"\n[[prompts]]\n", b"\xff", b"\x00", "\u202e".encode()])
            )
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:  # a line copied elsewhere: duplicate keys, duplicate ids
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = bytes(data[start : end if end >= 0 else len(data)]) + b"\n"
            where = draw(st.integers(0, len(data)))
            data[where:where] = line
    return bytes(data)


@FUZZ
@given(mutated_builtin())
def test_mutated_builtin_packs_only_raise_pack_error(raw):
    """Damaged copies of real pack files: a Pack or a PackError, quickly, nothing else."""
    result = parse_bounded(raw)
    if isinstance(result, Pack):
        assert len({p.id for p in result.prompts}) == len(result.prompts)


# -- signed files


@st.composite
def changed_signed(draw: st.DrawFn) -> bytes:
    """The signed file with at least one change anywhere: bit flips, truncation, insertion, deletion."""
    data = bytearray(SIGNED)
    header = len(SIGNED) - len(SMALL_FILE)
    for _ in range(draw(st.integers(1, 3))):
        # Half the changes land in the four header lines, where the signature lives.
        top = len(data) - 1 if draw(st.booleans()) else min(header, len(data) - 1)
        if top < 0:
            break
        at = draw(st.integers(0, top) | st.sampled_from(PADDING_SPOTS).filter(lambda i: i <= top))
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8) | st.sampled_from([b"=", b"\n", b" ", b"A"]))
        else:
            del data[at : at + draw(st.integers(1, 8))]
    changed = bytes(data)
    if changed == SIGNED:  # e.g. a flip undone by a second flip: force a real change
        changed = SIGNED + b" "
    return changed


def test_unchanged_signed_file_verifies():
    """The reference signed file does verify, so every failure below is the change's doing."""
    signer, body = signing.open_signed(SIGNED)
    assert signer == IDENTITY.signer
    assert body == SMALL_FILE


@FUZZ
@given(changed_signed())
def test_any_change_to_a_signed_file_is_detected(changed):
    """ANY change to a signed file makes open_signed raise PackError; the one alternative is a change
    to the first (magic) line so the file no longer looks signed, which is then handled as unsigned
    and so is never reported as signed by the original signer. Parsing what comes back also only
    raises PackError."""
    assert changed != SIGNED
    result = bounded(lambda: signing.open_signed(changed))
    if isinstance(result, PackError):
        return
    signer, body = result
    assert signer is None, "a changed file verified as signed"
    assert not changed.startswith(signing.MAGIC)
    assert body == changed
    parse_bounded(body)


@FUZZ
@given(st.sampled_from(PADDING_SPOTS), st.integers(0, 7))
def test_bit_flips_in_base64_padding_are_detected(at, bit):
    """A one-bit change at the end of the key or signature line, where base64 has spare bits, still
    makes the file fail verification (a lenient decoder would read the same key and signature)."""
    changed = bytearray(SIGNED)
    changed[at] ^= 1 << bit
    assert isinstance(bounded(lambda: signing.open_signed(bytes(changed))), PackError)


@FUZZ
@given(st.binary(max_size=600))
def test_garbage_after_the_magic_line_is_a_pack_error(tail):
    """A file that claims to be signed but carries random header bytes is always refused."""
    result = bounded(lambda: signing.open_signed(signing.MAGIC + tail))
    assert isinstance(result, PackError)
