"""Where each command group registers its commands, with the options every command shares."""

from __future__ import annotations

import argparse
from typing import TypeAlias

from purpose_app.cli.context import Handler

# argparse names the type of add_subparsers() only privately; this is the one place that spells it.
# A string: the class is generic for type checkers only.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class Commands:
    """A level of subcommands: `purpose COMMAND`, or the actions under one command."""

    def __init__(
        self, sub: Subparsers, common: argparse.ArgumentParser, as_json: argparse.ArgumentParser
    ) -> None:
        self._sub = sub
        self.common = common  # --vault and --allow-synced-folder
        self.as_json = as_json  # --json

    def add(
        self,
        name: str,
        help_text: str,
        handler: Handler | None,
        *parents: argparse.ArgumentParser,
        json: bool = True,
        description: str | None = None,
        describe: bool = True,
        aliases: tuple[str, ...] = (),
    ) -> argparse.ArgumentParser:
        """A command with `handler`, taking the common options, `parents`' and (unless json=False) --json.

        `aliases` are other names that run it too (UK spellings such as `programme` beside `program`)."""
        parser = self._sub.add_parser(
            name,
            aliases=list(aliases),
            help=help_text,
            description=(description or help_text) if describe else None,
            parents=[self.common, *parents, *([self.as_json] if json else [])],
        )
        if handler is not None:
            parser.set_defaults(handler=handler)
        return parser

    def nested(self, parser: argparse.ArgumentParser, dest: str, metavar: str, *, required: bool) -> Commands:
        """The actions under `parser`, e.g. `purpose packs ACTION`."""
        sub = parser.add_subparsers(dest=dest, metavar=metavar, required=required)
        return Commands(sub, self.common, self.as_json)

    def group(
        self, name: str, help_text: str, dest: str, *, metavar: str = "ACTION", aliases: tuple[str, ...] = ()
    ) -> Commands:
        """A command that only holds actions (no --json of its own, no handler)."""
        parser = self.add(name, help_text, None, json=False, aliases=aliases)
        return self.nested(parser, dest, metavar, required=True)
