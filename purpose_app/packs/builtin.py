"""The packs that ship with Purpose (prompts/*.toml, installed as purpose_app.prompts)."""

from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable

from purpose_app.packs.model import Pack
from purpose_app.packs.parse import parse_pack

AUTHOR = "Purpose"


def _folder() -> Traversable:
    try:
        return resources.files("purpose_app.prompts")
    except ModuleNotFoundError:  # a phone build ships the source tree, where prompts/ is top level
        return resources.files("purpose_app").joinpath("..", "prompts")


def builtin_files() -> dict[str, bytes]:
    """File name -> exact bytes, for every built-in pack."""
    folder = _folder()
    return {
        item.name: item.read_bytes()
        for item in sorted(folder.iterdir(), key=lambda i: i.name)
        if item.name.endswith(".toml")
    }


@functools.cache
def builtin_packs() -> tuple[Pack, ...]:
    """Parsed once per process; a broken built-in pack is a bug that the test suite catches."""
    return tuple(parse_pack(raw) for raw in builtin_files().values())


@functools.cache
def builtin_raw() -> dict[str, bytes]:
    """Pack id -> the file's exact bytes (what `packs export` writes)."""
    return {parse_pack(raw).id: raw for raw in builtin_files().values()}
