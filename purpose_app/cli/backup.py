"""The command line for encrypted backups and folder sync: `purpose backup`, `restore`, `sync`.

Passphrases, for scripts:
    backup     the vault's PURPOSE_PASSPHRASE, which also protects the backup unless
               --separate-passphrase is given; then PURPOSE_BACKUP_PASSPHRASE (or asked twice)
    restore    PURPOSE_BACKUP_PASSPHRASE (or asked): the passphrase the backup was made with;
               into a new vault: PURPOSE_NEW_PASSPHRASE (or asked twice) for the new vault;
               with --merge: PURPOSE_PASSPHRASE for the vault it goes into
A backup is read and checked whole before any vault is created or unlocked, so a wrong or damaged
file changes nothing (exit 3 for a wrong backup passphrase, 5 for a damaged or foreign file).
Merging a backup of another journal brings its entries and deletions, never its settings or keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from purpose_app import messages
from purpose_app.cli.context import Context
from purpose_app.cli.registry import Commands
from purpose_app.errors import InvalidInput, VaultUnavailable

if TYPE_CHECKING:
    from purpose_app.domain.merge import MergeOutcome

PROGRESS_FROM = 1000
PROGRESS_EVERY = 1000


class _Progress(Protocol):
    def __call__(self, done: int, total: int = 0) -> None: ...


def _progress(ctx: Context, verb: str) -> _Progress:
    shown = 0

    def report(done: int, total: int = 0) -> None:
        nonlocal shown
        if max(done, total) >= PROGRESS_FROM and done - shown >= PROGRESS_EVERY:
            of = f" of {total:,}" if total else ""
            ctx.warn(f"{verb}: {done:,}{of} entries", flush=True)
            shown = done

    return report


def _outcome_json(outcome: MergeOutcome) -> dict[str, object]:
    return {
        "added": outcome.added,
        "updated": outcome.updated,
        "deleted": outcome.deleted,
        "conflicts": outcome.conflicts,
        "unchanged": outcome.unchanged,
    }


def _outcome_human(outcome: MergeOutcome) -> str:
    new = len(outcome.added) - len(outcome.conflicts)
    parts = [f"{new:,} new", f"{len(outcome.updated):,} updated", f"{len(outcome.deleted):,} deleted"]
    text = ", ".join(parts)
    if outcome.conflicts:
        text += (
            f"; {len(outcome.conflicts):,} edited on both sides: both versions kept, the other one as "
            '"Conflict copy: ..." tagged conflict'
        )
    return text


# -- backup ------------------------------------------------------------------------------------------


def _backup(ctx: Context) -> int:
    from purpose_app.services import backup, vault

    cost = ctx.key_cost()
    separate = ctx.args.flag("separate_passphrase")
    out = Path(ctx.args.text("out"))
    if out.is_dir():
        raise InvalidInput(f"{out} is a folder. Give a file name with --out, e.g. {out / 'journal.backup'}.")
    if not out.parent.is_dir():
        raise InvalidInput(f"Could not write {out}: there is no folder {out.parent}. Nothing was written.")
    opened, passphrase = ctx.open_vault()
    with opened:
        if separate:
            passphrase = ctx.secrets.ask("PURPOSE_BACKUP_PASSPHRASE", "Backup passphrase: ", confirm=True)
            vault.check_new_passphrase(passphrase)
        summary = backup.write_backup(opened, out, passphrase, cost, progress=_progress(ctx, "Backing up"))
    which = "the separate backup passphrase" if separate else "your vault passphrase"
    ctx.emit(
        {
            "out": str(out),
            "entries": summary.entries,
            "deletions": summary.deletions,
            "documents": summary.documents,
            "damaged_left_out": summary.damaged,
            "separate_passphrase": separate,
        },
        f"Wrote an encrypted backup of {summary.entries:,} entries and {summary.documents:,} settings "
        f"and records to {out}.\nIt opens with {which} as it is now; keep a copy away from this device.",
    )
    if summary.damaged:
        ctx.warn(f"{summary.damaged:,} damaged entries are not in the backup (unreadable).")
        return 4
    return 0


# -- restore -----------------------------------------------------------------------------------------


def _restore(ctx: Context) -> int:
    from purpose_app.services import backup, vault_folder

    cost = ctx.key_cost()
    merge = ctx.args.flag("merge")
    if not merge and vault_folder.has_vault(ctx.folder):
        raise VaultUnavailable(
            f"There is already a vault in {ctx.folder}, so nothing was changed. Restore into a new "
            "folder with --vault DIR, or add --merge to bring the backup into this vault."
        )
    path = Path(ctx.args.text("file"))
    secret = ctx.secrets.ask("PURPOSE_BACKUP_PASSPHRASE", "Backup passphrase: ")
    contents = backup.read_backup(path, secret, progress=_progress(ctx, "Reading"))
    if merge:
        with ctx.unlock() as opened:
            summary = backup.restore_merge(opened, contents, progress=_progress(ctx, "Merging"))
        ctx.emit(
            {
                "merged": True,
                **_outcome_json(summary.outcome),
                "documents_added": summary.documents_added,
                "documents_kept": summary.documents_kept,
                "same_journal": summary.same_journal,
                "documents_left_out": summary.documents_left_out,
            },
            f"Merged {path} into your vault: {_outcome_human(summary.outcome)}."
            + (
                f"\n{summary.documents_kept:,} settings or records in the backup were kept as they are "
                "in your vault."
                if summary.documents_kept
                else ""
            )
            + ("" if summary.same_journal else f"\n{messages.FOREIGN_BACKUP_DOCUMENTS_LEFT_OUT}"),
        )
        return 0
    new_passphrase = ctx.secrets.new_passphrase("New passphrase for this vault: ")
    opened, recovery_key, summary = backup.restore_new(
        ctx.folder, contents, new_passphrase, cost, allow_synced=ctx.allow_synced,
        progress=_progress(ctx, "Restoring"),
    )  # fmt: skip
    opened.lock()
    ctx.emit(
        {
            "vault": str(ctx.folder),
            "recovery_key": recovery_key,
            "entries": len(summary.outcome.added),
            "deletions": summary.outcome.tombstones,
            "documents": summary.documents_added,
        },
        f"Restored {len(summary.outcome.added):,} entries into a new vault in {ctx.folder}.\n\n"
        f"Its recovery key (shown only this once):\n\n    {recovery_key}\n\n"
        "Print it or write it down and keep it safe. The new vault opens with the new passphrase;\n"
        "it can sync with the vault the backup was made from (`purpose sync`).",
    )
    return 0


# -- sync --------------------------------------------------------------------------------------------


def _sync(ctx: Context) -> int:
    from purpose_app.services import sync

    with ctx.unlock() as opened:
        report = sync.sync(opened, Path(ctx.args.text("folder")))
    outcome = report.outcome
    data = {
        "device": report.device,
        "folder": str(report.folder),
        "sent": {
            "file": report.sent, "entries": report.sent_entries, "deletions": report.sent_deletions,
            "documents": report.sent_documents,
        } if report.sent else None,
        "received": {
            "files": report.received, **_outcome_json(outcome), "documents": report.received_documents,
        },
        "skipped": [{"file": s.file, "reason": s.reason} for s in report.skipped],
        "devices": report.devices,
        "silent_devices": report.silent,
        "pruned": report.pruned,
        "rejoin": report.rejoin,
    }  # fmt: skip
    lines = []
    if report.sent:
        lines.append(
            f"Sent {report.sent_entries:,} entries, {report.sent_deletions:,} deletions and "
            f"{report.sent_documents:,} other changes (my why, favorites, self-checks...) ({report.sent})."
        )
    else:
        lines.append("Nothing new to send.")
    if report.received:
        lines.append(f"Received {len(report.received):,} change files: {_outcome_human(outcome)}.")
        if report.received_documents:
            lines.append(
                f"{report.received_documents:,} other changes (my why, favorites, self-checks...) arrived."
            )
    else:
        lines.append("Nothing new from other devices.")
    seen = len(report.devices)
    lines.append(
        f"Other devices heard from in the last 90 days: {seen}."
        if seen
        else "No other device heard from yet."
    )
    if report.pruned:
        lines.append(f"Tidied {len(report.pruned):,} of this device's older change files.")
    ctx.emit(data, "\n".join(lines))
    if report.rejoin:
        ctx.warn(report.rejoin)
    for skipped in report.skipped:
        ctx.warn(f"Skipped {skipped.file}: {skipped.reason}. It will be tried again next time.")
    return 0


def add_commands(commands: Commands) -> None:
    """Register backup, restore, sync and join."""
    from purpose_app.cli import join

    join.add_commands(commands)
    backup = commands.add("backup", "write an encrypted backup of the whole vault to one file", _backup)
    backup.add_argument("--out", required=True, metavar="FILE", help="where to write the backup")
    backup.add_argument(
        "--separate-passphrase", action="store_true",
        help="protect the backup with its own passphrase (PURPOSE_BACKUP_PASSPHRASE) instead of the vault's",
    )  # fmt: skip
    restore = commands.add(
        "restore", "restore a backup into a new vault (--vault DIR), or merge it into this one", _restore
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument(
        "--merge", action="store_true",
        help="merge into the existing vault by entry id and revision (conflicts kept as copies)",
    )  # fmt: skip
    sync = commands.add(
        "sync", "exchange encrypted changes with your other devices via a synced folder", _sync
    )
    sync.add_argument(
        "--folder", required=True, metavar="DIR",
        help="a folder Syncthing, Dropbox, iCloud Drive or Nextcloud keeps in step (not the vault's)",
    )  # fmt: skip
