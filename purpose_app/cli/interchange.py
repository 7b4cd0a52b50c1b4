"""The interchange commands, bringing a journal in and taking it out: `purpose import` and `export`.

A file to import is read and checked whole before the passphrase is asked for, so a wrong file costs
nothing and never opens the vault. Exports write readable, unencrypted files: they happen only with
--plaintext, and the place is checked before the passphrase is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from purpose_app import messages
from purpose_app.cli.context import Context
from purpose_app.cli.registry import Commands
from purpose_app.domain import clock
from purpose_app.errors import InvalidInput, UsageError

if TYPE_CHECKING:
    from purpose_app.interchange.errors import Failure
    from purpose_app.services.transfer import ImportSummary

PROGRESS_FROM = 1000  # entries; smaller imports finish before a progress line would help
PROGRESS_EVERY = 1000
BIG_FILE = 1024 * 1024

PLAINTEXT_NEEDED = (
    "`purpose export` writes your entries as readable, unencrypted files: anyone who gets a copy can "
    "read every word. Nothing was written. If that is what you want, add --plaintext to confirm, e.g.\n"
    "    purpose export markdown --out journal.md --plaintext\n"
    "Keep the file somewhere private and delete it when you are done."
)


def _progress(ctx: Context, total: int) -> Callable[[int], None] | None:
    if total < PROGRESS_FROM:
        return None
    shown = 0

    def report(count: int) -> None:
        nonlocal shown
        if count - shown >= PROGRESS_EVERY or (count == total and shown != total):
            ctx.warn(f"Importing: {count:,} of {total:,} entries", flush=True)
            shown = count

    return report


def _failure_json(failure: Failure) -> dict[str, object]:
    return {"entry": failure.position, "date": failure.when, "reason": failure.reason}


def _summary_human(summary: ImportSummary, file: str) -> str:
    from purpose_app.interchange.errors import list_failures

    added = len(summary.added)
    lines = [f"Imported {added:,} {'entry' if added == 1 else 'entries'} from {file}."]
    if summary.skipped:
        lines.append(f"{len(summary.skipped):,} were already in your journal, so they were skipped.")
    if summary.failed:
        lines.append(f"{len(summary.failed):,} could not be imported and were left out:")
        lines.append(list_failures(summary.failed))
    if summary.photos or summary.attachments:
        lines.append(
            f"{summary.photos:,} photo(s) and {summary.attachments:,} other attachment(s) were not "
            "imported (Purpose keeps text only); they stay in your export."
        )
    return "\n".join(lines)


def _import(ctx: Context) -> int:
    from purpose_app.interchange.errors import EntriesRefused
    from purpose_app.interchange.records import ImportOptions
    from purpose_app.services import transfer

    file, skip_invalid = ctx.args.text("file"), ctx.args.flag("skip_invalid")
    path = Path(file)
    try:
        if path.stat().st_size > BIG_FILE:
            ctx.warn(f"Reading {file}...", flush=True)
    except OSError:
        pass  # transfer.read names the problem
    batch = transfer.read(
        ctx.args.text("import_format"), path, ImportOptions(timeformat=ctx.args.optional("timeformat"))
    )
    try:
        transfer.check(batch, leave_out_failures=skip_invalid)
    except EntriesRefused as exc:
        raise InvalidInput(
            f"{exc.message}\nCorrect them in the file and import it again, or add --skip-invalid to "
            f"import the other {exc.importable:,} and leave these out."
        ) from None
    with ctx.unlock() as opened:
        summary = transfer.store(
            opened, batch, leave_out_failures=skip_invalid, progress=_progress(ctx, len(batch.entries))
        )
    data = {
        "format": summary.format,
        "file": file,
        "read": summary.read,
        "imported": len(summary.added),
        "skipped_duplicates": len(summary.skipped),
        "failed": [_failure_json(f) for f in summary.failed],
        "photos_not_imported": summary.photos,
        "attachments_not_imported": summary.attachments,
    }
    ctx.emit(data, _summary_human(summary, file))
    return 0


def _export(ctx: Context) -> int:
    from purpose_app.services import transfer

    if not ctx.args.flag("plaintext"):
        raise UsageError(PLAINTEXT_NEEDED)
    out = Path(ctx.args.text("out"))
    export_format = ctx.args.text("export_format")
    per_year = ctx.args.flag("per_year")
    transfer.check_target(out, folder=per_year)
    with ctx.unlock() as opened:
        written, count = transfer.export_vault(export_format, opened, out, per_year=per_year, now=clock.now())
        damaged = opened.damaged
    names = [str(path) for path in written]
    where = names[0] if len(names) == 1 else f"{len(names)} files in {out}"
    ctx.emit(
        {"format": export_format, "files": names, "entries": count, "plaintext": True},
        f"Wrote {count:,} entries to {where}.\n"
        "This is NOT encrypted: anyone who opens it can read your journal. Keep it private, and delete "
        "it when you are done."
        if names
        else "Your journal has no entries yet, so nothing was written.",
    )
    for item in damaged[:5]:
        ctx.warn(messages.entry_damaged(item.entry_id, item.field))
    if damaged:
        ctx.warn(f"{len(damaged):,} damaged entries are not in the export.")
        return 4
    return 0


def add_commands(commands: Commands) -> None:
    """Register `import FORMAT FILE` and `export FORMAT --out PATH --plaintext`."""
    from purpose_app.interchange.formats import EXPORTERS, IMPORTERS

    text = "bring entries in from jrnl or Day One (all or nothing; a re-import never duplicates)"
    imports = commands.group("import", text, "import_format", metavar="FORMAT")
    for name, importer in IMPORTERS.items():
        parser = imports.add(
            name, f"import {importer.label}", _import, description=f"Import {importer.label}."
        )
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--skip-invalid", action="store_true",
            help="import the valid entries and leave out (and list) any that cannot be imported",
        )  # fmt: skip
        if name == "jrnl-txt":
            parser.add_argument(
                "--timeformat", metavar="FORMAT",
                help="jrnl's timeformat setting if not the default, e.g. '%%d.%%m.%%Y %%H:%%M'",
            )  # fmt: skip

    text = "write every entry to readable files (needs --plaintext): Markdown or jrnl JSON"
    exports = commands.group("export", text, "export_format", metavar="FORMAT")
    for name, exporter in EXPORTERS.items():
        parser = exports.add(name, exporter.label, _export, description=f"Export as {exporter.label}.")
        where = "the file (with --per-year: a folder)" if exporter.splits_by_year else "the file"
        parser.add_argument("--out", required=True, metavar="PATH", help=where)
        parser.add_argument("--plaintext", action="store_true", help="confirm: the files are NOT encrypted")
        if exporter.splits_by_year:
            parser.add_argument(
                "--per-year", action="store_true",
                help="one file per year in the folder --out (default: one file)",
            )  # fmt: skip
