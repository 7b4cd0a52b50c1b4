"""The `purpose` command line: parse arguments, run the command's handler, exit with a code.

Exit codes: 0 ok; 2 usage; 3 wrong passphrase or recovery key; 4 damaged or tampered data;
5 invalid input; 6 vault missing, newer, read-only or in a synced folder; 141 (quietly) when whoever read
the output stopped early, as in `purpose list | head -1`, the code a shell gives any Unix tool that
SIGPIPE ends. Errors are a sentence or two on stderr, never a traceback and never the text of an entry;
every line is printed with control and direction characters escaped.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from purpose_app import __version__
from purpose_app.cli.context import Context, Handler, OutputClosed
from purpose_app.cli.registry import Commands
from purpose_app.domain.text_safety import for_terminal
from purpose_app.errors import PurposeError

if TYPE_CHECKING:
    from purpose_app.services.vault import Vault

UNEXPECTED = 1  # a bug: PurposeError subclasses carry their own codes (errors.py)
INTERRUPTED = 130  # the shell's code for Ctrl-C
OUTPUT_CLOSED = 141  # 128 + SIGPIPE: what the shell reports for `yes | head -1`


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"purpose: {message}\n")


@contextlib.contextmanager
def _argparse_words_translated_once() -> Iterator[None]:
    """argparse translates its own words (gettext) at every parser and option it makes, and gettext looks
    for a catalogue on disk at every ask: some 200 asks and 1,000 file lookups for our commands, a third
    of building the parser (much more on a busy disk). The answers cannot change meanwhile: ask once."""
    translate = getattr(argparse, "_")  # noqa: B009 -- argparse's own name for it
    setattr(argparse, "_", functools.cache(translate))  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", translate)  # noqa: B010


def _build_parser() -> argparse.ArgumentParser:
    with _argparse_words_translated_once():
        return _make_parser()


def _make_parser() -> argparse.ArgumentParser:
    # Imported here, not at the top, so that importing the package stays cheap for entry_json users.
    from purpose_app.cli import app, backup, entries, insight, interchange, keys, prompts

    common = _Parser(add_help=False)
    common.add_argument(
        "--vault", metavar="DIR", default=argparse.SUPPRESS,
        help="vault folder (default: $PURPOSE_VAULT, else your user data folder)",
    )  # fmt: skip
    common.add_argument(
        "--allow-synced-folder", action="store_true", default=argparse.SUPPRESS,
        help="allow a vault inside a Dropbox/iCloud/OneDrive/Syncthing folder (risky)",
    )  # fmt: skip
    as_json = _Parser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="machine-readable output")

    parser: argparse.ArgumentParser = _Parser(
        prog="purpose",
        description="Purpose: a private, encrypted reflection journal for physicians.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"purpose {__version__}")
    commands = Commands(parser.add_subparsers(dest="command", metavar="COMMAND"), common, as_json)
    keys.add_init(commands)
    entries.add_commands(commands)
    keys.add_commands(commands)
    app.add_commands(commands)
    prompts.add_commands(commands)
    insight.add_commands(commands)
    interchange.add_commands(commands)
    backup.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        code = _run(argv, out, err)
        _flush(out)  # output that fit in the buffer meets a closed pipe only here
    except OutputClosed:
        _discard_further_output(out, err)
        return OUTPUT_CLOSED
    return code


def serve(argv: Sequence[str], out: TextIO, err: TextIO, held: Vault) -> int:
    """One command for an unlock agent, with the vault it holds: the code `main` would return."""
    try:
        code = _run(argv, out, err, held)
        _flush(out)
    except OutputClosed:
        return OUTPUT_CLOSED
    except SystemExit as exc:  # usage errors, --help
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return code


def _run(argv: Sequence[str] | None, out: TextIO, err: TextIO, held: Vault | None = None) -> int:
    parser = _build_parser()
    # Usage errors, --help and --version are printed by argparse: send them to the given streams.
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            args = parser.parse_args(argv)
        except SystemExit:
            _flush(out)  # `purpose --help | head -1` ends as quietly as a command does
            raise
    if not args.command:
        try:
            parser.print_help(out)
        except BrokenPipeError:
            raise OutputClosed from None
        return 0
    if held is not None:
        from purpose_app.cli import agent_client

        agent_client.check_for_agent(args, held.folder)  # else the caller runs it by itself
    try:
        handler: Handler = args.handler
        return int(handler(Context(args, out, err, held=held)))
    except PurposeError as exc:
        _say(err, exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        _say(err, "Stopped. Nothing more was changed.")
        return INTERRUPTED
    except OutputClosed:
        raise
    except Exception as exc:  # the last line of defence: no traceback, no journal text
        if os.environ.get("PURPOSE_DEBUG"):
            raise
        _say(
            err,
            f"Something unexpected went wrong ({type(exc).__name__}). Your saved entries are safe. "
            "Run again with PURPOSE_DEBUG=1 to see details for a bug report.",
        )
        return UNEXPECTED


def _say(err: TextIO, text: str) -> None:
    """A sentence on stderr, escaped like every line the command line prints (a message may quote a
    file name or a value from outside)."""
    try:
        print(for_terminal(text), file=err)
    except BrokenPipeError:
        raise OutputClosed from None


def _flush(stream: TextIO) -> None:
    try:
        stream.flush()
    except BrokenPipeError:
        raise OutputClosed from None


def _discard_further_output(out: TextIO, err: TextIO) -> None:
    """Python's documented recipe for a closed pipe: point the real stdout (and stderr) at devnull, so
    the flush at exit has nowhere to fail and prints no "Exception ignored" of its own."""
    for stream, real in ((out, sys.stdout), (err, sys.stderr)):
        if stream is not real:
            continue  # a stream a caller gave us (tests): theirs to close
        try:
            fd = stream.fileno()
        except (AttributeError, OSError, ValueError):
            continue
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
