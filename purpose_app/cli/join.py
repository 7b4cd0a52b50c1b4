"""`purpose join FOLDER`: this device joins the journal whose sync folder is FOLDER, with its passphrase.

The passphrase is the journal's (PURPOSE_PASSPHRASE, or asked like unlock). The new vault goes where
--vault points (or the usual place) and gets a recovery key of its own, shown once. Every refusal comes
before anything is written: a vault already there (6), no join record (5), a damaged one (4), a wrong
passphrase (3).
"""

from __future__ import annotations

from pathlib import Path

from purpose_app.cli.context import Context
from purpose_app.cli.registry import Commands


def _join(ctx: Context) -> int:
    from purpose_app.services import sync_join, vault_folder

    folder = Path(ctx.args.text("folder"))
    vault_folder.refuse_existing(ctx.folder)  # before asking for a passphrase that cannot help
    sync_join.read_records(folder)  # no record, or a damaged one: said before the passphrase is asked
    passphrase = ctx.secrets.passphrase()
    joined = sync_join.join(folder, passphrase, ctx.folder, allow_synced=ctx.allow_synced)
    entries, sync_report = joined.vault.count(), joined.report
    joined.vault.lock()
    ctx.emit(
        {
            "vault": str(ctx.folder),
            "device": sync_report.device,
            "recovery_key": joined.recovery_key,
            "entries": entries,
            "received": sync_report.received,
            "skipped": [{"file": s.file, "reason": s.reason} for s in sync_report.skipped],
        },
        f"This device has joined your journal: {entries:,} entries, in a new vault in {ctx.folder}.\n\n"
        f"Its recovery key (shown only this once):\n\n    {joined.recovery_key}\n\n"
        "Print it or write it down and keep it safe: it opens this device's vault if the passphrase\n"
        "is lost. Run `purpose sync --folder` with the same folder to keep the devices in step.",
    )
    for skipped in sync_report.skipped:
        ctx.warn(f"Skipped {skipped.file}: {skipped.reason}. It will be tried again next time.")
    return 0


def add_commands(commands: Commands) -> None:
    """Register join."""
    join = commands.add(
        "join", "set up this device with your journal from a synced folder and your passphrase", _join
    )
    join.add_argument(
        "folder", metavar="FOLDER",
        help="the folder your sync tool keeps in step, which another device already syncs with",
    )  # fmt: skip
