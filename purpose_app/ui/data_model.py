"""Your data, in Settings: import a picked file's bytes, export a readable copy, make an encrypted
backup and restore one (into a new vault, or merged into this one), and the reflection report as a
PDF. Files arrive and leave as bytes (the file picker's); nothing readable is written to disk. No flet."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from purpose_app import messages
from purpose_app.domain import clock
from purpose_app.domain.merge import MergeOutcome
from purpose_app.errors import InvalidInput
from purpose_app.interchange import formats
from purpose_app.services import backup, restore, transfer
from purpose_app.services.session import Session
from purpose_app.services.transfer import ImportSummary
from purpose_app.services.trends import Trends
from purpose_app.ui.words import plural

SHORT_NAMES = {
    "jrnl-json": "jrnl (JSON export)",
    "jrnl-txt": "jrnl (plain-text journal)",
    "dayone": "Day One (ZIP or JSON)",
    "markdown": "Markdown",
    "json": "JSON (jrnl's format)",
}
DEFAULT_IMPORT = "jrnl-json"
DEFAULT_EXPORT = "markdown"
REPORT_PERIODS = (("The last 30 days", 30), ("The last 90 days", 90), ("The last year", 365))
DEFAULT_REPORT_DAYS = 90


@dataclass(frozen=True)
class Restored:
    """What a restore did, in words, and the new vault's recovery key (only for a new vault)."""

    words: str
    recovery_key: str | None = None


@dataclass(frozen=True)
class Report:
    data: bytes
    file_name: str
    pages: int


def merge_words(outcome: MergeOutcome) -> str:
    """How a merge changed the journal, in plain words."""
    new = len(outcome.added) - len(outcome.conflicts)
    text = f"{plural(new, 'new entry', 'new entries')}, {len(outcome.updated):,} updated"
    if outcome.deleted:
        text += f", {len(outcome.deleted):,} deleted"
    if outcome.conflicts:
        text += (
            f"; {plural(len(outcome.conflicts), 'entry was', 'entries were')} edited in both places, "
            'so both versions are kept (the other as "Conflict copy")'
        )
    return text


@dataclass(frozen=True)
class Export:
    parts: list[bytes]  # the file in pieces of about a megabyte: never copied whole (67 MB at 50,000)
    file_name: str
    count: int  # entries in the file

    @property
    def data(self) -> bytes:
        """The whole file as one bytes (for the file picker, which takes nothing else)."""
        return b"".join(self.parts)


def import_report(summary: ImportSummary) -> str:
    """What an import did, in one sentence."""
    parts = [f"Imported {plural(len(summary.added), 'entry', 'entries')}"]
    if summary.skipped:
        parts.append(f"{len(summary.skipped):,} were already here")
    if summary.photos or summary.attachments:
        parts.append(f"{summary.photos + summary.attachments:,} photos and attachments were not imported")
    return "; ".join(parts) + "."


class DataModel:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def import_choices() -> list[tuple[str, str]]:
        return [(name, SHORT_NAMES.get(name, name)) for name in formats.IMPORTERS]

    @staticmethod
    def export_choices() -> list[tuple[str, str]]:
        return [(name, SHORT_NAMES.get(name, name)) for name in formats.EXPORTERS]

    def import_bytes(
        self, name: str, raw: bytes, progress: Callable[[int], None] | None = None
    ) -> ImportSummary:
        """Check the whole file, then store it in one transaction. Raises PurposeError, storing nothing."""
        batch = formats.parse(name, io.BytesIO(raw))
        return transfer.store(self.session.require(), batch, progress=progress)

    def backup_bytes(self, passphrase: str, confirm: str) -> tuple[bytes, int]:
        """The encrypted backup file's bytes, protected by `passphrase` (Argon2id, the vault's cost)."""
        if passphrase != confirm:
            raise InvalidInput(messages.PASSPHRASES_DIFFER)
        return backup.backup_bytes(self.session.require(), passphrase, self.session.kdf_params)

    @staticmethod
    def backup_file_name(now: datetime | None = None) -> str:
        return f"purpose-backup-{(now or clock.now()).date().isoformat()}.backup"

    def export(self, name: str, now: datetime | None = None) -> Export:
        """A readable copy of every entry, as one file's bytes (it leaves the encryption behind). The
        entries are read 500 at a time, so only one batch of bodies is decrypted at once."""
        oldest_first = self.session.require().stream(oldest_first=True)
        parts, count = formats.render_parts(name, oldest_first, now or clock.now())
        suffix = "md" if name == "markdown" else "json"
        return Export(parts, f"purpose-journal.{suffix}", count)

    # -- restore

    def restore_new(
        self,
        raw: bytes,
        file_name: str,
        backup_passphrase: str,
        new_passphrase: str,
        confirm: str,
        progress: Callable[[int], None] | None = None,
    ) -> Restored:
        """A new vault here from the backup, opened with a new passphrase; the session is unlocked
        into it. Raises PurposeError, leaving no vault behind."""
        if self.session.exists:
            raise InvalidInput(messages.vault_exists(self.session.folder))
        if new_passphrase != confirm:
            raise InvalidInput(messages.PASSPHRASES_DIFFER)
        contents = restore.read_backup_bytes(raw, backup_passphrase, file_name)
        opened, recovery_key, summary = backup.restore_new(
            self.session.folder,
            contents,
            new_passphrase,
            self.session.kdf_params,
            allow_synced=self.session.allow_synced,
            progress=progress,
        )
        self.session.vault = opened
        self.session.touch()
        count = len(summary.outcome.added)
        return Restored(f"Restored {plural(count, 'entry', 'entries')} into a new journal.", recovery_key)

    def restore_merge(
        self,
        raw: bytes,
        file_name: str,
        backup_passphrase: str,
        progress: Callable[[int], None] | None = None,
    ) -> Restored:
        """Merge the backup into this journal (by entry and revision; nothing here is overwritten by
        an older version). Raises PurposeError, changing nothing."""
        contents = restore.read_backup_bytes(raw, backup_passphrase, file_name)
        summary = backup.restore_merge(self.session.require(), contents, progress=progress)
        words = f"Merged the backup: {merge_words(summary.outcome)}."
        if not summary.same_journal:
            words += " " + messages.FOREIGN_BACKUP_DOCUMENTS_LEFT_OUT
        return Restored(words)

    # -- the reflection report

    @staticmethod
    def report_periods() -> list[tuple[str, str]]:
        return [(str(days), label) for label, days in REPORT_PERIODS]

    def report(self, days: int, *, with_excerpts: bool, today: date | None = None) -> Report:
        """The reflection report for the last `days` days as a PDF's bytes."""
        end = today or clock.now().date()
        start = end - timedelta(days=days - 1)
        data, pages = Trends(self.session.require()).report(start, end, with_excerpts=with_excerpts)
        return Report(data, f"purpose-report-{start.isoformat()}-to-{end.isoformat()}.pdf", pages)
