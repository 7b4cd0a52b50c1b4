"""The entry commands: `purpose add`, `list`, `search`, `show`, `edit` and `delete`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from purpose_app import messages
from purpose_app.cli.context import Arguments, Context, interactive
from purpose_app.cli.registry import Commands
from purpose_app.domain import clock
from purpose_app.domain.entry import (
    CLEARABLE,
    SHIFTS,
    Entry,
    EntryChanges,
    clean_values,
    new_entry,
    parse_prompt_ref,
    parse_shift,
)
from purpose_app.domain.query import EntryQuery, parse_bound, parse_moment
from purpose_app.domain.text_safety import for_terminal
from purpose_app.errors import InvalidInput, UsageError

if TYPE_CHECKING:
    from purpose_app.services.vault import Vault

SHOWN_DAMAGE = 5  # damaged entries named one by one; the rest are counted


def entry_json(entry: Entry) -> dict[str, object]:
    """The documented JSON shape of an entry (a contract other tools rely on): the same object that
    backups and change files carry."""
    from purpose_app.interchange.entry_codec import entry_to_dict

    return entry_to_dict(entry)


# -- input -----------------------------------------------------------------------------------------


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


def _many(args: Arguments, name: str) -> tuple[str, ...] | None:
    values = args.texts(name)
    return tuple(values) if values is not None else None


def _changes(args: Arguments, *, editing: bool) -> EntryChanges:
    body = args.optional("body")
    if body == "-":
        body = _stdin_text() or ""
    elif body is None:
        piped = _stdin_text()
        body = piped if piped else None
    prompt = args.optional("prompt")
    at = args.optional("at")
    return EntryChanges(
        title=args.optional("title"),
        body=body,
        tags=_many(args, "tag"),
        energy=args.optional("energy"),
        drains=_many(args, "drain"),
        fuels=_many(args, "fuel"),
        shift=args.optional("shift"),
        prompt=parse_prompt_ref(prompt) if prompt else None,
        created=parse_moment(at) if at else None,
        clear=frozenset(args.texts("clear") or ()) if editing else frozenset(),
    )


def _query(args: Arguments, text: str | None = None) -> EntryQuery:
    limit = args.integer("limit")
    if limit is not None and limit < 1:
        raise InvalidInput("--limit must be 1 or more.")
    shift, since, until = args.optional("shift"), args.optional("since"), args.optional("until")
    return EntryQuery(
        text=text,
        tag=args.optional("tag"),
        drain=args.optional("drain"),
        fuel=args.optional("fuel"),
        shift=parse_shift(shift) if shift else None,
        since=parse_bound(since) if since else None,
        until=parse_bound(until) if until else None,
    )


# -- output ----------------------------------------------------------------------------------------


def _when(moment: datetime) -> str:
    # Where it was written (its own offset), as the date filters read it: domain.query.written_on.
    return moment.strftime("%Y-%m-%d %H:%M")


def _one_line(entry: Entry) -> str:
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


def _full(entry: Entry) -> str:
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


def _damage_exit(ctx: Context, opened: Vault) -> int:
    """Everything readable was shown; name what was not, and exit 4 so scripts notice."""
    damaged = opened.damaged
    if not damaged:
        return 0
    for item in damaged[:SHOWN_DAMAGE]:
        ctx.warn(messages.entry_damaged(item.entry_id, item.field))
    if len(damaged) > SHOWN_DAMAGE:
        ctx.warn(f"... and {len(damaged) - SHOWN_DAMAGE} more damaged entries.")
    return 4


# -- commands --------------------------------------------------------------------------------------


def _add(ctx: Context) -> int:
    changes = _changes(ctx.args, editing=False)
    new_entry(changes, clock.now())  # check the input before asking for the passphrase
    with ctx.unlock() as opened:
        entry = opened.add(changes)
    ctx.emit(entry_json(entry), entry.id)
    return 0


def _list(ctx: Context, text: str | None = None) -> int:
    query = _query(ctx.args, text)
    with ctx.unlock() as opened:
        found = opened.entries(query, limit=ctx.args.integer("limit"), with_bodies=ctx.as_json)
        if ctx.as_json:
            ctx.emit([entry_json(e) for e in found], "")
        elif found:
            ctx.emit(None, "\n".join(_one_line(e) for e in found))
        else:
            ctx.warn("No entries match." if text or ctx.args.optional("tag") else "No entries yet.")
        return _damage_exit(ctx, opened)


def _search(ctx: Context) -> int:
    text = ctx.args.text("text")
    if not text.strip():
        raise InvalidInput("Give some text to search for.")
    return _list(ctx, text)


def _show(ctx: Context) -> int:
    with ctx.unlock() as opened:
        entry = opened.get(ctx.args.text("id"))
    ctx.emit(entry_json(entry), _full(entry))
    return 0


def _edit(ctx: Context) -> int:
    changes = _changes(ctx.args, editing=True)
    if changes == EntryChanges():
        raise UsageError("Say what to change, e.g. --energy 6 or --body -. Nothing was changed.")
    clean_values(changes)  # check the input before asking for the passphrase
    with ctx.unlock() as opened:
        entry = opened.edit(ctx.args.text("id"), changes)
    ctx.emit(entry_json(entry), f"Saved revision {entry.revision} of {entry.id}.")
    return 0


def _delete(ctx: Context) -> int:
    with ctx.unlock() as opened:
        entry_id = opened.resolve(ctx.args.text("id"))
        if not ctx.args.flag("yes"):
            if not interactive():
                raise UsageError("Add --yes to delete without being asked.")
            question = f"Delete entry {entry_id[:8]} for good? It cannot be undone. [y/N] "
            answer = input(for_terminal(question))
            if answer.strip().lower() not in ("y", "yes"):
                ctx.warn("Kept it. Nothing was deleted.")
                return 0
        opened.delete(entry_id)
    ctx.emit({"deleted": entry_id}, f"Deleted {entry_id}.")
    return 0


def _entry_options() -> argparse.ArgumentParser:
    entry = argparse.ArgumentParser(add_help=False)
    entry.add_argument("--title", help="a short title")
    entry.add_argument("--body", help="the text (or '-' to read it from standard input)")
    entry.add_argument("--energy", metavar="N", help="energy from 0 (empty) to 10 (full)")
    entry.add_argument("--tag", action="append", metavar="X", help="a tag (repeatable)")
    entry.add_argument("--drain", action="append", metavar="X", help="what drained you")
    entry.add_argument("--fuel", action="append", metavar="X", help="what fueled you")
    entry.add_argument("--shift", metavar="S", help=f"one of: {', '.join(SHIFTS)}")
    entry.add_argument("--prompt", metavar="PACK/PROMPT", help="the prompt this answers")
    entry.add_argument("--at", metavar="ISO-DATETIME", help="when it happened (default: now)")
    return entry


def _filters() -> argparse.ArgumentParser:
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--since", metavar="DATE", help="from this date (inclusive)")
    filters.add_argument("--until", metavar="DATE", help="up to this date (inclusive)")
    filters.add_argument("--tag", metavar="X", help="only entries with this tag")
    filters.add_argument("--drain", metavar="X", help="only entries with this drain")
    filters.add_argument("--fuel", metavar="X", help="only entries with this fuel")
    filters.add_argument("--shift", metavar="S", help="only entries from this shift")
    filters.add_argument("--limit", metavar="N", type=int, help="at most N entries")
    return filters


def add_commands(commands: Commands) -> None:
    """Register add, list, search, show, edit and delete."""
    entry_opts, filters = _entry_options(), _filters()
    commands.add(
        "add", "write an entry (body from --body or standard input); prints its id", _add, entry_opts
    )
    commands.add("list", "entries, newest first", _list, filters)
    search = commands.add("search", "entries whose text contains TEXT (any case)", _search, filters)
    search.add_argument("text", metavar="TEXT")
    commands.add("show", "one entry in full", _show).add_argument("id", metavar="ID")
    edit = commands.add("edit", "change an entry (only the options you give)", _edit, entry_opts)
    edit.add_argument("id", metavar="ID")
    edit.add_argument(
        "--clear", action="append", metavar="FIELD", choices=CLEARABLE,
        help=f"empty a field (repeatable): {', '.join(CLEARABLE)}",
    )  # fmt: skip
    delete = commands.add("delete", "delete an entry for good", _delete)
    delete.add_argument("id", metavar="ID")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
