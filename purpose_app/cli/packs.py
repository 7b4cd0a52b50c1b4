"""The pack commands: `purpose packs` list, show, enable, disable, import, export, handout, new, keygen,
sign and verify."""

from __future__ import annotations

from typing import TYPE_CHECKING

from purpose_app.cli.context import Context, in_vault
from purpose_app.cli.files import check_out, read_file, write_file
from purpose_app.cli.prompt_view import library, prompt_json
from purpose_app.cli.registry import Commands
from purpose_app.errors import InvalidInput

if TYPE_CHECKING:
    from purpose_app.packs.signing import Signer
    from purpose_app.services.library import PackInfo
    from purpose_app.services.vault import Vault


def _signer_json(signer: Signer | None) -> dict[str, str] | None:
    return {"name": signer.name, "fingerprint": signer.fingerprint} if signer else None


def _pack_json(info: PackInfo, *, with_prompts: bool = False) -> dict[str, object]:
    pack = info.pack
    data: dict[str, object] = {
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


def _mark(info: PackInfo) -> str:
    if info.source == "imported":
        return f"signed by {info.signer.name} ({info.signer.fingerprint})" if info.signer else "unsigned"
    return str(info.source)


def _list(ctx: Context, opened: Vault) -> int:
    infos = library(opened).packs()
    rows = [
        f"{'on ' if i.enabled else 'off'}  {i.pack.id:<24} {i.pack.name:<26} v{i.pack.version:<3} "
        f"{len(i.pack.prompts):>3} prompts{' (program)' if i.pack.programme else ''}  {_mark(i)}"
        for i in infos
    ]
    ctx.emit([_pack_json(i) for i in infos], "\n".join(rows))
    return 0


def _show(ctx: Context, opened: Vault) -> int:
    info = library(opened).pack(ctx.args.text("id"))
    pack = info.pack
    lines = [
        f"{pack.name} ({pack.id}, version {pack.version}) - {_mark(info)}, {'on' if info.enabled else 'off'}"
    ]
    lines += [pack.description, f"By {pack.author} · {pack.language} · {pack.licence}"]
    lines += [f"Source: {s}" for s in pack.sources]
    lines += [""] + [f"{p.ref:<44} [{p.weight}] {p.text}" for p in pack.prompts]
    ctx.emit(_pack_json(info, with_prompts=True), "\n".join(lines))
    return 0


def _toggle(ctx: Context, opened: Vault) -> int:
    enabled = ctx.args.text("packs_command") == "enable"
    info = library(opened).set_enabled(ctx.args.text("id"), enabled)
    ctx.emit(_pack_json(info), f"{info.pack.name} is {'on' if enabled else 'off'}.")
    return 0


def _import(ctx: Context, opened: Vault) -> int:
    raw = read_file(ctx.args.text("file"))
    info = library(opened).import_pack(raw, trust=ctx.args.flag("trust"))
    ctx.emit(
        _pack_json(info),
        f"Imported {info.pack.name} (version {info.pack.version}, "
        f"{len(info.pack.prompts)} prompts), {_mark(info)}.",
    )
    return 0


def _export(ctx: Context, opened: Vault) -> int:
    pack_id, out = ctx.args.text("id"), ctx.args.text("out")
    data = library(opened).export_pack(pack_id)
    write_file(out, data)
    ctx.emit({"id": pack_id, "out": out}, f"Wrote {out}.")
    return 0


def _handout(ctx: Context, opened: Vault) -> int:
    from purpose_app.services.handout import handout_pdf

    pack_id, out = ctx.args.text("id"), ctx.args.text("out")
    check_out(out)
    info = library(opened).pack(pack_id)
    data, pages = handout_pdf(info.pack)
    write_file(out, data)
    ctx.emit(
        {"id": info.pack.id, "out": out, "pages": pages},
        f"Wrote {out}: a {pages}-page handout of {info.pack.name}, ready to print. "
        "Facilitator notes are never on it.",
    )
    return 0


def _new(ctx: Context, opened: Vault) -> int:
    from purpose_app.packs.parse import ID_PATTERN

    args = ctx.args
    pack_id, out = args.text("id"), args.text("out")
    if not ID_PATTERN.match(pack_id):
        raise InvalidInput("--id must be lowercase letters, digits and dashes, starting with a letter.")
    data = library(opened).new_pack(
        args.texts("from_refs") or [],
        pack_id=pack_id,
        name=args.text("name"),
        author=args.optional("author"),
        description=args.optional("description"),
    )
    write_file(out, data)
    ctx.emit({"id": pack_id, "out": out}, f"Wrote {out}. Sign it with `purpose packs sign` to share.")
    return 0


def _keygen(ctx: Context, opened: Vault) -> int:
    signer = library(opened).keygen(ctx.args.text("name"), replace=ctx.args.flag("replace"))
    ctx.emit(
        _signer_json(signer),
        f"Your signing identity: {signer.name}\nFingerprint: {signer.fingerprint}\n"
        "Tell your group this fingerprint in person, so they can check it when they import your packs.",
    )
    return 0


def _sign(ctx: Context, opened: Vault) -> int:
    out = ctx.args.text("out")
    signed = library(opened).sign(read_file(ctx.args.text("file")))
    write_file(out, signed)
    ctx.emit({"out": out}, f"Wrote {out}, signed. Share that file.")
    return 0


def _verify(ctx: Context) -> int:
    from purpose_app.packs.parse import parse_pack
    from purpose_app.packs.signing import open_signed

    signer, body = open_signed(read_file(ctx.args.text("file")))
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


def add_commands(commands: Commands) -> None:
    """Register `packs ACTION`."""
    packs = commands.group(
        "packs", "prompt packs: list, import, export, sign, verify, turn on and off", "packs_command"
    )
    packs.add("list", "every pack, built-in, imported and your own", in_vault(_list))
    packs.add("show", "a pack and its prompts", in_vault(_show)).add_argument("id", metavar="ID")
    packs.add("enable", "turn a pack on", in_vault(_toggle)).add_argument("id", metavar="ID")
    packs.add("disable", "turn a pack off", in_vault(_toggle)).add_argument("id", metavar="ID")
    imp = packs.add("import", "import a pack file (checked before anything is stored)", in_vault(_import))
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--trust", action="store_true", help="trust the signer's fingerprint")
    exp = packs.add("export", "write a pack to a file", in_vault(_export))
    exp.add_argument("id", metavar="ID")
    exp.add_argument("--out", required=True, metavar="FILE")
    handout = packs.add(
        "handout", "a printable PDF of a pack for members without the app (no facilitator notes)",
        in_vault(_handout),
    )  # fmt: skip
    handout.add_argument("id", metavar="PACK")
    handout.add_argument("--out", required=True, metavar="FILE.pdf")
    new = packs.add(
        "new", "make a pack file from chosen prompts (prompts only, never entries)", in_vault(_new)
    )
    new.add_argument("--from", dest="from_refs", nargs="+", required=True, metavar="PACK/PROMPT")
    new.add_argument("--out", required=True, metavar="FILE")
    new.add_argument("--id", default="my-pack", help="the new pack's id (default: my-pack)")
    new.add_argument("--name", default="My pack")
    new.add_argument("--author")
    new.add_argument("--description")
    keygen = packs.add(
        "keygen", "make your signing identity (kept encrypted in your vault)", in_vault(_keygen)
    )
    keygen.add_argument("--name", required=True)
    keygen.add_argument("--replace", action="store_true", help="replace an existing identity")
    sign = packs.add("sign", "sign a pack file for sharing", in_vault(_sign))
    sign.add_argument("file", metavar="FILE")
    sign.add_argument("--out", required=True, metavar="SIGNED_FILE")
    verify = packs.add("verify", "check a pack file and show its signer", _verify)
    verify.add_argument("file", metavar="FILE")
