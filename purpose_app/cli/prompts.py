"""The command line for prompts, packs, programmes and "my why" (the rest is in cli.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from purpose_app.errors import InvalidInput
from purpose_app.packs.model import WEIGHTS, Prompt

Handler = Callable[[Any], int]


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


def read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(4 * 1024 * 1024)  # far above any valid pack; the parser says "too big"
    except OSError as exc:
        raise InvalidInput(f"Could not read {path}: {exc.strerror or exc}. Nothing was changed.") from None


def write_file(path: str, data: bytes) -> None:
    target = Path(path)
    temporary = target.with_name(target.name + ".partial")
    try:
        temporary.write_bytes(data)
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InvalidInput(
            f"Could not write {path}: {exc.strerror or exc}. Choose another place with --out."
        ) from None


def prompt_json(prompt: Prompt, why: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": prompt.id,
        "pack": prompt.pack,
        "text": prompt.text,
        "theme": prompt.theme,
        "why": why,
        "weight": prompt.weight,
        "follow_up": prompt.follow_up,
        **extra,
    }


def _prompt_human(prompt: Prompt, why: str | None = None) -> str:
    lines = [prompt.text]
    if prompt.follow_up:
        lines.append(f"  {prompt.follow_up}")
    lines.append(f"({prompt.ref}, {prompt.weight})" + (f" {why}" if why else ""))
    return "\n".join(lines)


def _library(ctx: Any) -> Any:
    from purpose_app.services.library import Library

    return Library(ctx.opened)


def _reflection(ctx: Any) -> Any:
    from purpose_app.services.reflection import Reflection

    return Reflection(_library(ctx))


def _with_vault(handler: Callable[[Any], int]) -> Handler:
    """Unlock for the handler, lock after, whatever happens."""

    def run(ctx: Any) -> int:
        with ctx.unlock() as opened:
            ctx.opened = opened
            return handler(ctx)

    return run


# -- prompt


def _offer_out(ctx: Any, offer: Any) -> int:
    if offer is None:
        ctx.emit(
            None,
            "No prompts are on. Turn a pack on with `purpose packs enable ID`; a blank page is always fine.",
        )
        return 0
    extra = {"low_energy_days": offer.low_energy_days, "my_why": offer.my_why}
    human = _prompt_human(offer.prompt, offer.why)
    if offer.my_why:
        human += f"\n\nYour why, in your words: {offer.my_why}"
    human += (
        "\n\nWrite with: purpose add --prompt " + offer.prompt.ref + "   (or skip it: a blank page is fine)"
    )
    ctx.emit(prompt_json(offer.prompt, offer.why, **extra), human)
    return 0


def _prompt_today(ctx: Any) -> int:
    return _offer_out(ctx, _reflection(ctx).today(_now()))


def _prompt_another(ctx: Any) -> int:
    return _offer_out(ctx, _reflection(ctx).another(_now()))


def _prompt_show(ctx: Any) -> int:
    prompt = _library(ctx).prompt(ctx.args.ref)
    ctx.emit(prompt_json(prompt), _prompt_human(prompt))
    return 0


def _prompt_favourite(ctx: Any) -> int:
    favourite = ctx.args.prompt_command == "favourite"
    prompt = _library(ctx).set_favourite(ctx.args.ref, favourite)
    word = "Added to" if favourite else "Removed from"
    ctx.emit({"ref": prompt.ref, "favourite": favourite}, f"{word} your favourites: {prompt.ref}")
    return 0


def _prompt_write(ctx: Any) -> int:
    args = ctx.args
    prompt = _library(ctx).write_prompt(
        args.text, theme=args.theme, weight=args.weight, follow_up=args.follow_up
    )
    ctx.emit(prompt_json(prompt), f"Saved as {prompt.ref}, in your own pack.")
    return 0


def _prompt_delete(ctx: Any) -> int:
    _library(ctx).delete_prompt(ctx.args.ref)
    ctx.emit({"deleted": ctx.args.ref}, f"Deleted {ctx.args.ref}.")
    return 0


# -- packs


def _signer_json(signer: Any) -> dict[str, str] | None:
    return {"name": signer.name, "fingerprint": signer.fingerprint} if signer else None


def _pack_json(info: Any, *, with_prompts: bool = False) -> dict[str, Any]:
    pack = info.pack
    data: dict[str, Any] = {
        "id": pack.id,
        "name": pack.name,
        "version": pack.version,
        "signer": _signer_json(info.signer),
        "signed": info.signed,
        "source": info.source,
        "enabled": info.enabled,
        "programme": pack.programme,
        "prompt_count": len(pack.prompts),
    }
    if with_prompts:
        data |= {
            "description": pack.description,
            "author": pack.author,
            "language": pack.language,
            "licence": pack.licence,
            "sources": list(pack.sources),
            "prompts": [prompt_json(p) for p in pack.prompts],
        }
    return data


def _mark(info: Any) -> str:
    if info.source == "imported":
        return f"signed by {info.signer.name} ({info.signer.fingerprint})" if info.signer else "unsigned"
    return str(info.source)


def _packs_list(ctx: Any) -> int:
    infos = _library(ctx).packs()
    rows = [
        f"{'on ' if i.enabled else 'off'}  {i.pack.id:<24} {i.pack.name:<26} v{i.pack.version:<3} "
        f"{len(i.pack.prompts):>3} prompts{' (programme)' if i.pack.programme else ''}  {_mark(i)}"
        for i in infos
    ]
    ctx.emit([_pack_json(i) for i in infos], "\n".join(rows))
    return 0


def _packs_show(ctx: Any) -> int:
    info = _library(ctx).pack(ctx.args.id)
    pack = info.pack
    lines = [
        f"{pack.name} ({pack.id}, version {pack.version}) - {_mark(info)}, {'on' if info.enabled else 'off'}"
    ]
    lines += [pack.description, f"By {pack.author} · {pack.language} · {pack.licence}"]
    lines += [f"Source: {s}" for s in pack.sources]
    lines += [""] + [f"{p.ref:<44} [{p.weight}] {p.text}" for p in pack.prompts]
    ctx.emit(_pack_json(info, with_prompts=True), "\n".join(lines))
    return 0


def _packs_toggle(ctx: Any) -> int:
    enabled = ctx.args.packs_command == "enable"
    info = _library(ctx).set_enabled(ctx.args.id, enabled)
    ctx.emit(_pack_json(info), f"{info.pack.name} is {'on' if enabled else 'off'}.")
    return 0


def _packs_import(ctx: Any) -> int:
    raw = read_file(ctx.args.file)
    library = _library(ctx)
    info = library.import_pack(raw, trust=ctx.args.trust)
    ctx.emit(
        _pack_json(info),
        f"Imported {info.pack.name} (version {info.pack.version}, "
        f"{len(info.pack.prompts)} prompts), {_mark(info)}.",
    )
    return 0


def _packs_export(ctx: Any) -> int:
    data = _library(ctx).export_pack(ctx.args.id)
    write_file(ctx.args.out, data)
    ctx.emit({"id": ctx.args.id, "out": ctx.args.out}, f"Wrote {ctx.args.out}.")
    return 0


def _packs_new(ctx: Any) -> int:
    args = ctx.args
    from purpose_app.packs.parse import _ID

    if not _ID.match(args.id):
        raise InvalidInput("--id must be lowercase letters, digits and dashes, starting with a letter.")
    data = _library(ctx).new_pack(
        args.from_refs, pack_id=args.id, name=args.name, author=args.author, description=args.description
    )
    write_file(args.out, data)
    ctx.emit(
        {"id": args.id, "out": args.out}, f"Wrote {args.out}. Sign it with `purpose packs sign` to share."
    )
    return 0


def _packs_keygen(ctx: Any) -> int:
    signer = _library(ctx).keygen(ctx.args.name, replace=ctx.args.replace)
    ctx.emit(
        _signer_json(signer),
        f"Your signing identity: {signer.name}\nFingerprint: {signer.fingerprint}\n"
        "Tell your group this fingerprint in person, so they can check it when they import your packs.",
    )
    return 0


def _packs_sign(ctx: Any) -> int:
    signed = _library(ctx).sign(read_file(ctx.args.file))
    write_file(ctx.args.out, signed)
    ctx.emit({"out": ctx.args.out}, f"Wrote {ctx.args.out}, signed. Share that file.")
    return 0


def _packs_verify(ctx: Any) -> int:
    from purpose_app.packs.parse import parse_pack
    from purpose_app.packs.signing import open_signed

    signer, body = open_signed(read_file(ctx.args.file))
    pack = parse_pack(body)
    data = {
        "id": pack.id,
        "version": pack.version,
        "signer": _signer_json(signer),
        "signed": signer is not None,
    }
    if signer is None:
        human = (
            f"{pack.name} (version {pack.version}) is valid but unsigned: "
            "anyone could have written or changed it."
        )
    else:
        human = (
            f"{pack.name} (version {pack.version}): signature valid.\n"
            f"Signer: {signer.name}\nFingerprint: {signer.fingerprint}"
        )
    ctx.emit(data, human)
    return 0


# -- programme and why


def _progress_json(progress: Any) -> dict[str, Any]:
    return {
        "pack": progress.pack.id,
        "status": progress.status,
        "days_done": progress.days_done,
        "total_days": progress.total_days,
        "done_today": progress.done_today,
        "today": prompt_json(progress.today) if progress.today else None,
    }


def _progress_human(progress: Any) -> str:
    head = (
        f"{progress.pack.name}: {progress.status}, {progress.days_done} of {progress.total_days} days done."
    )
    if progress.today is not None:
        return f"{head}\nToday (day {progress.days_done + 1}):\n{_prompt_human(progress.today)}"
    if progress.status == "running" and progress.done_today:
        return f"{head} Today's is written; the next one comes tomorrow."
    return head


def _programme(ctx: Any) -> int:
    reflection = _reflection(ctx)
    action = {
        "start": reflection.start_programme,
        "pause": reflection.pause_programme,
        "status": reflection.programme_status,
    }[ctx.args.programme_command]
    progress = action(ctx.args.pack, _now())
    ctx.emit(_progress_json(progress), _progress_human(progress))
    return 0


def _why(ctx: Any) -> int:
    reflection = _reflection(ctx)
    command = ctx.args.why_command
    if command == "set":
        text = ctx.args.text
        if text is None or text == "-":
            text = sys.stdin.read() if sys.stdin is not None and not sys.stdin.isatty() else ""
        reflection.set_why(text, _now())
        ctx.emit({"saved": True}, "Saved. Earlier versions are kept: `purpose why history`.")
    elif command == "show":
        versions = reflection.why_history()
        current = versions[-1] if versions else None
        ctx.emit(
            current, current["text"] if current else "You have not written your why yet: `purpose why set`."
        )
    else:
        versions = reflection.why_history()
        human = "\n\n".join(f"{v['written'][:10]}\n{v['text']}" for v in reversed(versions))
        ctx.emit(versions, human or "You have not written your why yet: `purpose why set`.")
    return 0


def add_commands(sub: Any, common: argparse.ArgumentParser, as_json: argparse.ArgumentParser) -> None:
    """Register `prompt`, `packs`, `programme` and `why`; each sets args.handler."""

    def group(name: str, help_text: str, dest: str) -> Any:
        parser = sub.add_parser(name, help=help_text, description=help_text, parents=[common])
        return parser.add_subparsers(dest=dest, metavar="ACTION", required=True)

    def action(subs: Any, name: str, help_text: str, handler: Handler, *, vault: bool = True) -> Any:
        parser = subs.add_parser(name, help=help_text, description=help_text, parents=[common, as_json])
        parser.set_defaults(handler=_with_vault(handler) if vault else handler)
        return parser

    prompt = group("prompt", "today's reflection prompt, favourites and your own prompts", "prompt_command")
    action(prompt, "today", "today's prompt (the same all day) and why it was chosen", _prompt_today)
    action(prompt, "another", "a different prompt for today", _prompt_another)
    action(prompt, "show", "one prompt", _prompt_show).add_argument("ref", metavar="PACK/PROMPT")
    action(prompt, "favourite", "mark a prompt as a favourite", _prompt_favourite).add_argument(
        "ref", metavar="PACK/PROMPT"
    )
    action(prompt, "unfavourite", "unmark a favourite", _prompt_favourite).add_argument(
        "ref", metavar="PACK/PROMPT"
    )
    write = action(
        prompt, "write", "write a prompt of your own (kept encrypted in your vault)", _prompt_write
    )
    write.add_argument("text", metavar="TEXT")
    write.add_argument("--theme", default="purpose-now", help="a theme, e.g. origins, fuels, legacy")
    write.add_argument("--weight", default="medium", choices=WEIGHTS)
    write.add_argument("--follow-up", metavar="TEXT")
    action(prompt, "delete", "delete a prompt you wrote", _prompt_delete).add_argument(
        "ref", metavar="PACK/PROMPT"
    )

    packs = group(
        "packs", "prompt packs: list, import, export, sign, verify, turn on and off", "packs_command"
    )
    action(packs, "list", "every pack, built-in, imported and your own", _packs_list)
    action(packs, "show", "a pack and its prompts", _packs_show).add_argument("id", metavar="ID")
    action(packs, "enable", "turn a pack on", _packs_toggle).add_argument("id", metavar="ID")
    action(packs, "disable", "turn a pack off", _packs_toggle).add_argument("id", metavar="ID")
    imp = action(packs, "import", "import a pack file (checked before anything is stored)", _packs_import)
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--trust", action="store_true", help="trust the signer's fingerprint")
    exp = action(packs, "export", "write a pack to a file", _packs_export)
    exp.add_argument("id", metavar="ID")
    exp.add_argument("--out", required=True, metavar="FILE")
    new = action(
        packs, "new", "make a pack file from chosen prompts (prompts only, never entries)", _packs_new
    )
    new.add_argument("--from", dest="from_refs", nargs="+", required=True, metavar="PACK/PROMPT")
    new.add_argument("--out", required=True, metavar="FILE")
    new.add_argument("--id", default="my-pack", help="the new pack's id (default: my-pack)")
    new.add_argument("--name", default="My pack")
    new.add_argument("--author")
    new.add_argument("--description")
    keygen = action(
        packs, "keygen", "make your signing identity (kept encrypted in your vault)", _packs_keygen
    )
    keygen.add_argument("--name", required=True)
    keygen.add_argument("--replace", action="store_true", help="replace an existing identity")
    sign = action(packs, "sign", "sign a pack file for sharing", _packs_sign)
    sign.add_argument("file", metavar="FILE")
    sign.add_argument("--out", required=True, metavar="SIGNED_FILE")
    verify = action(packs, "verify", "check a pack file and show its signer", _packs_verify, vault=False)
    verify.add_argument("file", metavar="FILE")

    prog = group(
        "programme", "programmes such as Three Good Things: start, pause, status", "programme_command"
    )
    for name, text in (
        ("start", "start or resume"),
        ("pause", "pause (progress is kept)"),
        ("status", "where you are"),
    ):
        action(prog, name, f"{text} a programme", _programme).add_argument("pack", metavar="PACK")

    why = group("why", "your statement of why you went into medicine (versions kept)", "why_command")
    why_set = action(why, "set", "write or rewrite it (TEXT, or standard input)", _why)
    why_set.add_argument("text", nargs="?", metavar="TEXT")
    action(why, "show", "the current version", _why)
    action(why, "history", "every version, newest first", _why)
