"""The reflection commands: `purpose prompt`, `program` and `why` (and `packs`, registered here)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from purpose_app.cli import packs
from purpose_app.cli.context import Context, in_vault
from purpose_app.cli.prompt_view import library, now, prompt_human, prompt_json, reflection
from purpose_app.cli.registry import Commands
from purpose_app.packs.model import WEIGHTS

if TYPE_CHECKING:
    from purpose_app.packs.programme import Progress
    from purpose_app.services.reflection import Offer
    from purpose_app.services.vault import Vault


# -- prompt


def _offer_out(ctx: Context, offer: Offer | None) -> int:
    if offer is None:
        ctx.emit(
            None,
            "No prompts are on. Turn a pack on with `purpose packs enable ID`; a blank page is always fine.",
        )
        return 0
    extra = {"low_energy_days": offer.low_energy_days, "my_why": offer.my_why}
    human = prompt_human(offer.prompt, offer.why)
    if offer.my_why:
        human += f"\n\nYour why, in your words: {offer.my_why}"
    human += (
        "\n\nWrite with: purpose add --prompt " + offer.prompt.ref + "   (or skip it: a blank page is fine)"
    )
    ctx.emit(prompt_json(offer.prompt, offer.why, **extra), human)
    return 0


def _today(ctx: Context, opened: Vault) -> int:
    return _offer_out(ctx, reflection(opened).today(now()))


def _another(ctx: Context, opened: Vault) -> int:
    return _offer_out(ctx, reflection(opened).another(now()))


def _show(ctx: Context, opened: Vault) -> int:
    prompt = library(opened).prompt(ctx.args.text("ref"))
    ctx.emit(prompt_json(prompt), prompt_human(prompt))
    return 0


def _favourite(ctx: Context, opened: Vault) -> int:
    # argparse records the name typed, so the UK alias `favourite` counts as well as `favorite`.
    favourite = ctx.args.text("prompt_command") in ("favorite", "favourite")
    prompt = library(opened).set_favourite(ctx.args.text("ref"), favourite)
    word = "Added to" if favourite else "Removed from"
    ctx.emit({"ref": prompt.ref, "favourite": favourite}, f"{word} your favorites: {prompt.ref}")
    return 0


def _write(ctx: Context, opened: Vault) -> int:
    args = ctx.args
    prompt = library(opened).write_prompt(
        args.text("text"),
        theme=args.text("theme"),
        weight=args.text("weight"),
        follow_up=args.optional("follow_up"),
    )
    ctx.emit(prompt_json(prompt), f"Saved as {prompt.ref}, in your own pack.")
    return 0


def _delete(ctx: Context, opened: Vault) -> int:
    ref = ctx.args.text("ref")
    library(opened).delete_prompt(ref)
    ctx.emit({"deleted": ref}, f"Deleted {ref}.")
    return 0


# -- programme and why


def _progress_json(progress: Progress) -> dict[str, object]:
    return {
        "pack": progress.pack.id,
        "status": progress.status,
        "days_done": progress.days_done,
        "total_days": progress.total_days,
        "done_today": progress.done_today,
        "today": prompt_json(progress.today) if progress.today else None,
    }


def _progress_human(progress: Progress) -> str:
    head = f"{progress.pack.name}: {progress.status}, {progress.summary}"
    if progress.today is not None:
        return f"{head}\nNow ({progress.label}):\n{prompt_human(progress.today)}"
    if progress.status == "running" and progress.done_today:
        return f"{head} Today's is written; the next one comes tomorrow."
    return head


def _programme(ctx: Context, opened: Vault) -> int:
    found = reflection(opened)
    action = {
        "start": found.start_programme,
        "pause": found.pause_programme,
        "status": found.programme_status,
    }[ctx.args.text("programme_command")]
    progress = action(ctx.args.text("pack"), now())
    ctx.emit(_progress_json(progress), _progress_human(progress))
    return 0


def _why(ctx: Context, opened: Vault) -> int:
    found = reflection(opened)
    command = ctx.args.text("why_command")
    if command == "set":
        text = ctx.args.optional("text")
        if text is None or text == "-":
            text = sys.stdin.read() if sys.stdin is not None and not sys.stdin.isatty() else ""
        found.set_why(text, now())
        ctx.emit({"saved": True}, "Saved. Earlier versions are kept: `purpose why history`.")
    elif command == "show":
        versions = found.why_history()
        current = versions[-1] if versions else None
        ctx.emit(
            current, current["text"] if current else "You have not written your why yet: `purpose why set`."
        )
    else:
        versions = found.why_history()
        human = "\n\n".join(f"{v['written'][:10]}\n{v['text']}" for v in reversed(versions))
        ctx.emit(versions, human or "You have not written your why yet: `purpose why set`.")
    return 0


def add_commands(commands: Commands) -> None:
    """Register `prompt`, `packs`, `program` (alias `programme`) and `why`."""
    prompt = commands.group(
        "prompt", "today's reflection prompt, favorites and your own prompts", "prompt_command"
    )
    prompt.add("today", "today's prompt (the same all day) and why it was chosen", in_vault(_today))
    prompt.add("another", "a different prompt for today", in_vault(_another))
    prompt.add("show", "one prompt", in_vault(_show)).add_argument("ref", metavar="PACK/PROMPT")
    # US names shown in help; the UK spellings stay accepted so older scripts and habits keep working.
    prompt.add(
        "favorite", "mark a prompt as a favorite", in_vault(_favourite), aliases=("favourite",)
    ).add_argument("ref", metavar="PACK/PROMPT")
    prompt.add(
        "unfavorite", "unmark a favorite", in_vault(_favourite), aliases=("unfavourite",)
    ).add_argument("ref", metavar="PACK/PROMPT")
    write = prompt.add("write", "write a prompt of your own (kept encrypted in your vault)", in_vault(_write))
    write.add_argument("text", metavar="TEXT")
    write.add_argument("--theme", default="purpose-now", help="a theme, e.g. origins, fuels, legacy")
    write.add_argument("--weight", default="medium", choices=WEIGHTS)
    write.add_argument("--follow-up", metavar="TEXT")
    prompt.add("delete", "delete a prompt you wrote", in_vault(_delete)).add_argument(
        "ref", metavar="PACK/PROMPT"
    )

    packs.add_commands(commands)

    prog = commands.group(
        "program",
        "programs such as Three Good Things: start, pause, status",
        "programme_command",
        aliases=("programme",),
    )
    for name, text in (
        ("start", "start or resume"),
        ("pause", "pause (progress is kept)"),
        ("status", "where you are"),
    ):
        prog.add(name, f"{text} a program", in_vault(_programme)).add_argument("pack", metavar="PACK")

    why = commands.group("why", "your statement of why you went into medicine (versions kept)", "why_command")
    why_set = why.add("set", "write or rewrite it (TEXT, or standard input)", in_vault(_why))
    why_set.add_argument("text", nargs="?", metavar="TEXT")
    why.add("show", "the current version", in_vault(_why))
    why.add("history", "every version, newest first", in_vault(_why))
