"""The `purpose` command line: parse arguments, call the vault service, print, exit with a code.

Exit codes: 0 ok; 2 usage; 3 wrong passphrase or recovery key; 4 damaged or tampered data;
5 invalid input; 6 vault missing, newer, read-only or in a synced folder. Errors are a sentence or two
on stderr, never a traceback and never the text of an entry.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NoReturn, TextIO

from purpose_app import __version__, messages
from purpose_app.domain.entry import (
    CLEARABLE,
    SHIFTS,
    EntryChanges,
    clean_values,
    new_entry,
    parse_prompt_ref,
    parse_shift,
)
from purpose_app.domain.query import EntryQuery, parse_moment
from purpose_app.errors import InvalidInput, PurposeError, UsageError, VaultUnavailable
from purpose_app.services.location import resolve_vault_dir


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"purpose: {message}\n")


def _build_parser() -> argparse.ArgumentParser:
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

    entry_opts = _Parser(add_help=False)
    entry_opts.add_argument("--title", help="a short title")
    entry_opts.add_argument("--body", help="the text (or '-' to read it from standard input)")
    entry_opts.add_argument("--energy", metavar="N", help="energy from 0 (empty) to 10 (full)")
    entry_opts.add_argument("--tag", action="append", metavar="X", help="a tag (repeatable)")
    entry_opts.add_argument("--drain", action="append", metavar="X", help="what drained you")
    entry_opts.add_argument("--fuel", action="append", metavar="X", help="what fuelled you")
    entry_opts.add_argument("--shift", metavar="S", help=f"one of: {', '.join(SHIFTS)}")
    entry_opts.add_argument("--prompt", metavar="PACK/PROMPT", help="the prompt this answers")
    entry_opts.add_argument("--at", metavar="ISO-DATETIME", help="when it happened (default: now)")

    filters = _Parser(add_help=False)
    filters.add_argument("--since", metavar="DATE", help="from this date (inclusive)")
    filters.add_argument("--until", metavar="DATE", help="up to this date (inclusive)")
    filters.add_argument("--tag", metavar="X", help="only entries with this tag")
    filters.add_argument("--drain", metavar="X", help="only entries with this drain")
    filters.add_argument("--fuel", metavar="X", help="only entries with this fuel")
    filters.add_argument("--shift", metavar="S", help="only entries from this shift")
    filters.add_argument("--limit", metavar="N", type=int, help="at most N entries")

    parser = _Parser(
        prog="purpose",
        description="Purpose: a private, encrypted reflection journal for physicians.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"purpose {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str, *parents: _Parser) -> _Parser:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common, *parents])

    add("init", "create a new vault (shows your recovery key once)", as_json)
    add(
        "add",
        "write an entry (body from --body or standard input); prints its id",
        entry_opts,
        as_json,
    )
    add("list", "entries, newest first", filters, as_json)
    search = add("search", "entries whose text contains TEXT (any case)", filters, as_json)
    search.add_argument("text", metavar="TEXT")
    show = add("show", "one entry in full", as_json)
    show.add_argument("id", metavar="ID")
    edit = add("edit", "change an entry (only the options you give)", entry_opts, as_json)
    edit.add_argument("id", metavar="ID")
    edit.add_argument(
        "--clear", action="append", metavar="FIELD", choices=CLEARABLE,
        help=f"empty a field (repeatable): {', '.join(CLEARABLE)}",
    )  # fmt: skip
    delete = add("delete", "delete an entry for good", as_json)
    delete.add_argument("id", metavar="ID")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add("passwd", "change the passphrase (PURPOSE_NEW_PASSPHRASE for scripts)", as_json)
    add("recover", "set a new passphrase with the recovery key (PURPOSE_RECOVERY_KEY)", as_json)
    rkey = add("recovery-key", "replace the recovery key (the old one stops working)", as_json)
    rkey.add_argument("--regenerate", action="store_true", required=True)
    app = add("app", "open the Purpose app in your browser (served on this computer only)")
    app.add_argument("--port", type=int, default=8550, help="port to serve on (0: any free port)")
    app.add_argument("--host", default="127.0.0.1", help="address to serve on (default: this computer only)")
    app.add_argument("--allow-remote", action="store_true", help="allow a --host other than loopback")
    app.add_argument(
        "--no-browser", action="store_true", help="do not open a browser; just print the address"
    )
    app.add_argument("--desktop", action="store_true", help="a native window (needs the Flet desktop client)")
    from purpose_app.cli import backup as cli_backup
    from purpose_app.cli import insight as cli_insight
    from purpose_app.cli import interchange as cli_interchange
    from purpose_app.cli import prompts as cli_prompts

    cli_prompts.add_commands(sub, common, as_json)
    cli_insight.add_commands(sub, common, as_json)
    cli_interchange.add_commands(sub, common, as_json)
    cli_backup.add_commands(sub, common, as_json)
    return parser


# -- input -----------------------------------------------------------------------------------------


def _secret(env: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(f"No terminal to ask in: set {env} for scripts.")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != first:
        raise InvalidInput(messages.PASSPHRASES_DIFFER)
    return first


def _stdin_text() -> str | None:
    if sys.stdin is None or sys.stdin.isatty():
        return None
    raw = sys.stdin.buffer.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            "The body is not valid UTF-8 text. Nothing was saved; convert it to UTF-8 and try again."
        ) from None


def _changes(args: argparse.Namespace, *, editing: bool) -> EntryChanges:
    body = args.body
    if body == "-":
        body = _stdin_text() or ""
    elif body is None:
        piped = _stdin_text()
        body = piped if piped else None
    return EntryChanges(
        title=args.title,
        body=body,
        tags=tuple(args.tag) if args.tag is not None else None,
        energy=args.energy,
        drains=tuple(args.drain) if args.drain is not None else None,
        fuels=tuple(args.fuel) if args.fuel is not None else None,
        shift=args.shift,
        prompt=parse_prompt_ref(args.prompt) if args.prompt else None,
        created=parse_moment(args.at) if args.at else None,
        clear=frozenset(getattr(args, "clear", None) or ()) if editing else frozenset(),
    )


def _query(args: argparse.Namespace, text: str | None = None) -> EntryQuery:
    if args.limit is not None and args.limit < 1:
        raise InvalidInput("--limit must be 1 or more.")
    return EntryQuery(
        text=text,
        tag=args.tag,
        drain=args.drain,
        fuel=args.fuel,
        shift=parse_shift(args.shift) if args.shift else None,
        since=parse_moment(args.since) if args.since else None,
        until=parse_moment(args.until, end_of_day=True) if args.until else None,
    )


# -- commands ---------------------------------------------------------------------------------------


class _Context:
    def __init__(self, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
        self.args = args
        self.out = out
        self.err = err
        self.folder = resolve_vault_dir(getattr(args, "vault", None))
        self.allow_synced = bool(getattr(args, "allow_synced_folder", False))

    def unlock(self) -> Any:
        from purpose_app.services import vault

        if not (self.folder / "purpose.db").is_file():
            # Say so before asking for a passphrase that cannot help.
            vault.unlock(self.folder, "", allow_synced=self.allow_synced)
        passphrase = _secret("PURPOSE_PASSPHRASE", "Passphrase: ")
        opened = vault.unlock(self.folder, passphrase, allow_synced=self.allow_synced)
        if opened.uses_test_kdf:
            print(messages.TEST_KDF_WARNING, file=self.err)
        return opened

    def emit(self, data: object, human: str) -> None:
        if getattr(self.args, "json", False):
            json.dump(data, self.out, ensure_ascii=False, indent=2)
            self.out.write("\n")
        elif human:
            self.out.write(human if human.endswith("\n") else human + "\n")


def _cmd_init(ctx: _Context) -> int:
    from purpose_app.crypto import kdf
    from purpose_app.services import vault

    try:
        params = kdf.profile_from_env()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if (ctx.folder / "purpose.db").exists():
        raise VaultUnavailable(messages.vault_exists(ctx.folder))  # before asking for anything
    passphrase = _secret("PURPOSE_PASSPHRASE", "New passphrase: ", confirm=True)
    opened, recovery_key = vault.create(ctx.folder, passphrase, params, allow_synced=ctx.allow_synced)
    opened.lock()
    if params.profile == kdf.TEST.profile:
        print(messages.TEST_KDF_WARNING, file=ctx.err)
    ctx.emit(
        {"vault": str(ctx.folder), "recovery_key": recovery_key},
        f"Created your vault in {ctx.folder}.\n\n"
        f"Your recovery key (shown only this once):\n\n    {recovery_key}\n\n"
        "Print it or write it down and keep it somewhere safe, away from this device. If you forget\n"
        "your passphrase, this key is the only way back in: nobody, including us, can recover a\n"
        "vault without one of them.",
    )
    return 0


def entry_json(entry: Any) -> dict[str, object]:
    """The documented JSON shape of an entry (a contract other tools rely on): the same object that
    backups and change files carry."""
    from purpose_app.interchange.entry_codec import entry_to_dict

    return entry_to_dict(entry)


def _when(moment: Any) -> str:
    return str(moment.astimezone().strftime("%Y-%m-%d %H:%M"))


def _one_line(entry: Any) -> str:
    if entry.title:
        label = entry.title
    elif entry.body.strip():
        label = entry.body.strip().splitlines()[0]
    else:
        parts = [f"shift: {entry.shift}"] if entry.shift else []
        parts += [f"drain: {d}" for d in entry.drains] + [f"fuel: {f}" for f in entry.fuels]
        label = "check-in" + (f" ({', '.join(parts)})" if parts else "")
    if len(label) > 60:
        label = label[:59] + "…"
    energy = f"energy {entry.energy:>2}" if entry.energy is not None else " " * 9
    tags = "  " + " ".join(f"#{t}" for t in entry.tags) if entry.tags else ""
    return f"{_when(entry.created)}  {entry.id[:8]}  {energy}  {label}{tags}"


def _full(entry: Any) -> str:
    lines = [entry.title or "(untitled)"]
    edited = f", edited {_when(entry.updated)}" if entry.revision > 1 else ""
    lines.append(f"{_when(entry.created)}{edited} · id {entry.id}")
    facts = []
    if entry.energy is not None:
        facts.append(f"energy {entry.energy}/10")
    if entry.shift:
        facts.append(f"shift: {entry.shift}")
    if facts:
        lines.append(" · ".join(facts))
    for name, values in (("Tags", entry.tags), ("Drains", entry.drains), ("Fuels", entry.fuels)):
        if values:
            lines.append(f"{name}: {', '.join(values)}")
    if entry.prompt:
        lines.append(f"Prompt: {entry.prompt}")
    if entry.body:
        lines += ["", entry.body]
    return "\n".join(lines)


def _damage_exit(ctx: _Context, opened: Any) -> int:
    """Everything readable was shown; name what was not, and exit 4 so scripts notice."""
    damaged = opened.damaged
    if not damaged:
        return 0
    for item in damaged[:5]:
        print(messages.entry_damaged(item.entry_id, item.field), file=ctx.err)
    if len(damaged) > 5:
        print(f"... and {len(damaged) - 5} more damaged entries.", file=ctx.err)
    return 4


def _cmd_add(ctx: _Context) -> int:
    changes = _changes(ctx.args, editing=False)
    new_entry(changes, datetime.now(UTC))  # check the input before asking for the passphrase
    with ctx.unlock() as opened:
        entry = opened.add(changes)
    ctx.emit(entry_json(entry), entry.id)
    return 0


def _cmd_list(ctx: _Context, text: str | None = None) -> int:
    query = _query(ctx.args, text)
    with ctx.unlock() as opened:
        found = opened.entries(query, limit=ctx.args.limit, with_bodies=ctx.args.json)
        if ctx.args.json:
            ctx.emit([entry_json(e) for e in found], "")
        elif found:
            ctx.emit(None, "\n".join(_one_line(e) for e in found))
        else:
            print("No entries match." if text or ctx.args.tag else "No entries yet.", file=ctx.err)
        return _damage_exit(ctx, opened)


def _cmd_search(ctx: _Context) -> int:
    if not ctx.args.text.strip():
        raise InvalidInput("Give some text to search for.")
    return _cmd_list(ctx, ctx.args.text)


def _cmd_show(ctx: _Context) -> int:
    with ctx.unlock() as opened:
        entry = opened.get(ctx.args.id)
    ctx.emit(entry_json(entry), _full(entry))
    return 0


def _cmd_edit(ctx: _Context) -> int:
    changes = _changes(ctx.args, editing=True)
    if changes == EntryChanges():
        raise UsageError("Say what to change, e.g. --energy 6 or --body -. Nothing was changed.")
    clean_values(changes)  # check the input before asking for the passphrase
    with ctx.unlock() as opened:
        entry = opened.edit(ctx.args.id, changes)
    ctx.emit(entry_json(entry), f"Saved revision {entry.revision} of {entry.id}.")
    return 0


def _cmd_delete(ctx: _Context) -> int:
    with ctx.unlock() as opened:
        entry_id = opened.resolve(ctx.args.id)
        if not ctx.args.yes:
            if sys.stdin is None or not sys.stdin.isatty():
                raise UsageError("Add --yes to delete without being asked.")
            answer = input(f"Delete entry {entry_id[:8]} for good? It cannot be undone. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Kept it. Nothing was deleted.", file=ctx.err)
                return 0
        opened.delete(entry_id)
    ctx.emit({"deleted": entry_id}, f"Deleted {entry_id}.")
    return 0


def _new_passphrase() -> str:
    return _secret("PURPOSE_NEW_PASSPHRASE", "New passphrase: ", confirm=True)


def _cmd_passwd(ctx: _Context) -> int:
    from purpose_app.crypto import kdf

    with ctx.unlock() as opened:
        opened.change_passphrase(_new_passphrase(), kdf.profile_from_env())
    ctx.emit({"changed": True}, "Your passphrase is changed. Your recovery key still works.")
    return 0


def _cmd_recover(ctx: _Context) -> int:
    from purpose_app.crypto import kdf
    from purpose_app.services import vault

    key = _secret("PURPOSE_RECOVERY_KEY", "Recovery key: ")
    with vault.unlock_with_recovery(ctx.folder, key, allow_synced=ctx.allow_synced) as opened:
        opened.change_passphrase(_new_passphrase(), kdf.profile_from_env())
    ctx.emit(
        {"changed": True},
        "Your new passphrase is set. Your recovery key still works; if someone else may have seen\n"
        "it, replace it with `purpose recovery-key --regenerate`.",
    )
    return 0


def _cmd_recovery_key(ctx: _Context) -> int:
    with ctx.unlock() as opened:
        recovery_key = opened.regenerate_recovery_key()
    ctx.emit(
        {"recovery_key": recovery_key},
        f"Your new recovery key (shown only this once):\n\n    {recovery_key}\n\n"
        "The old one no longer works. Print or write down this one and keep it safe.",
    )
    return 0


def _cmd_app(ctx: _Context) -> int:
    from purpose_app.ui import server

    args = ctx.args
    return server.serve(
        ctx.folder,
        host=args.host,
        port=args.port,
        open_browser=not args.no_browser,
        desktop=args.desktop,
        allow_remote=args.allow_remote,
        allow_synced=ctx.allow_synced,
        out=ctx.out,
    )


_COMMANDS = {
    "init": _cmd_init,
    "add": _cmd_add,
    "list": _cmd_list,
    "search": _cmd_search,
    "show": _cmd_show,
    "edit": _cmd_edit,
    "delete": _cmd_delete,
    "passwd": _cmd_passwd,
    "recover": _cmd_recover,
    "recovery-key": _cmd_recovery_key,
    "app": _cmd_app,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _build_parser()
    # Usage errors, --help and --version are printed by argparse: send them to the given streams.
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(out)
        return 0
    try:
        handler = getattr(args, "handler", None) or _COMMANDS[args.command]
        return int(handler(_Context(args, out, err)))
    except PurposeError as exc:
        print(exc.message, file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Stopped. Nothing more was changed.", file=err)
        return 130
    except Exception as exc:  # the last line of defence: no traceback, no journal text
        if os.environ.get("PURPOSE_DEBUG"):
            raise
        print(
            f"Something unexpected went wrong ({type(exc).__name__}). Your saved entries are safe. "
            "Run again with PURPOSE_DEBUG=1 to see details for a bug report.",
            file=err,
        )
        return 1
