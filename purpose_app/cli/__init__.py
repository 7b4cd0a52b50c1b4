"""The `purpose` command: one module per command group, all calling the services layer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from purpose_app.cli.entries import entry_json

__all__ = ["entry_json", "main"]


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`purpose ARGS`: handed to the vault's unlock agent when one runs (a thin caller that imports
    little), else parsed and run here."""
    from purpose_app.cli import agent_client

    code = agent_client.fast(argv, out, err)
    if code is not None:
        return code
    from purpose_app.cli import command

    return command.main(argv, out, err)


def __getattr__(name: str) -> object:
    # Imported on first use, so that a command the agent runs does not import the entries module.
    if name == "entry_json":
        from purpose_app.cli.entries import entry_json

        return entry_json
    raise AttributeError(name)
