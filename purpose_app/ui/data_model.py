"""Your data, in Settings: import a picked file's bytes, export a readable copy, make an encrypted
backup. Files arrive and leave as bytes (the file picker's), never as temporary files. No flet here."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from purpose_app import messages
from purpose_app.domain import clock
from purpose_app.errors import InvalidInput
from purpose_app.interchange import formats
from purpose_app.services import backup, transfer
from purpose_app.services.session import Session
from purpose_app.services.transfer import ImportSummary
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


@dataclass(frozen=True)
class Export:
    data: bytes
    file_name: str
    count: int  # entries in the file


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
        """A readable copy of every entry, as one file's bytes (it leaves the encryption behind)."""
        entries = self.session.require().entries(with_bodies=True)
        rendered = formats.render(name, entries, per_year=False, now=now or clock.now())
        suffix = "md" if name == "markdown" else "json"
        return Export(next(iter(rendered.values())), f"purpose-journal.{suffix}", len(entries))
