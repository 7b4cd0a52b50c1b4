"""Words a person reads when something goes wrong or needs their attention, kept in one place.

Each says what happened, then what to do, in a sentence or two. None ever quotes an entry.
"""

from __future__ import annotations

from pathlib import Path


def vault_missing(folder: Path) -> str:
    return (
        f"There is no Purpose vault in {folder}. "
        "Create one with `purpose init`, or point to yours with --vault or PURPOSE_VAULT."
    )


def vault_exists(folder: Path) -> str:
    return (
        f"There is already a Purpose vault in {folder}, so nothing was changed. "
        "Choose another folder with --vault to create a new one."
    )


def synced_folder(folder: Path, service: str) -> str:
    return (
        f"{folder} looks like a folder kept in step by {service}. A live journal there can be "
        "corrupted when the sync copies it half-written. Choose a folder that is not synced with "
        "--vault (the default location is safe), or add --allow-synced-folder if you are sure."
    )


def read_only(folder: Path) -> str:
    return (
        f"Purpose cannot write to {folder} (the folder or the vault file is read-only). "
        "Nothing was changed. Check the folder's permissions, or choose another with --vault."
    )


def too_new(folder: Path) -> str:
    return (
        f"The vault in {folder} was made by a newer version of Purpose. Nothing was changed. "
        "Update Purpose to open it."
    )


def not_a_vault(folder: Path) -> str:
    return (
        f"The file in {folder} is not a Purpose vault, or it is badly damaged. Nothing was changed. "
        "If you have a backup, restore it into a new folder."
    )


def database_damaged(folder: Path, detail: str) -> str:
    return (
        f"The vault database in {folder} is damaged (SQLite reports: {detail[:120]}). "
        "Nothing was changed. Keep a copy of the folder and restore from a backup if you have one."
    )


def key_record_damaged() -> str:
    return (
        "The vault's key record is damaged, so it cannot be unlocked. Nothing was changed. "
        "Keep a copy of the vault folder and restore from a backup if you have one."
    )


WRONG_PASSPHRASE = (
    "That passphrase does not open this vault. Nothing was changed. Check caps lock and try again; "
    "if it is lost, `purpose recover` sets a new one with your recovery key."
)
WRONG_PASSPHRASE_APP = (
    "That passphrase does not open this journal. Nothing was changed. Check caps lock and try again, "
    "or use your recovery key."
)
WRONG_RECOVERY_KEY = (
    "That recovery key does not open this vault (it may belong to another vault or have been "
    "replaced). Nothing was changed."
)


def too_many_tries(wait_seconds: int) -> str:
    unit = "second" if wait_seconds == 1 else "seconds"
    return f"Too many wrong tries. Wait {wait_seconds} {unit}, then try again."


def recovery_key_typo(detail: str) -> str:
    return (
        f"That does not look like a recovery key ({detail}). "
        "Check it against your printed copy: 14 groups of four letters and digits."
    )


def entry_damaged(entry_id: str, field: str) -> str:
    return (
        f"The {field} of entry {entry_id} failed its integrity check: the stored bytes were changed "
        "or damaged. Nothing was changed; other entries are unaffected. Restore it from a backup "
        "if you have one."
    )


def could_not_save(detail: str) -> str:
    return f"Purpose could not save ({detail[:120]}). Nothing was changed; please try again."


def state_digest_changed(folder: Path) -> str:
    return (
        f"An entry or record was removed from this journal's file in {folder}, or an older copy of "
        "part of it was put back (an entry, a deleted entry's note, a setting or record, or a stored "
        "page). Purpose did not open it and changed nothing. Keep a copy of the folder, and restore "
        "your journal from your most recent backup into a new folder."
    )


def state_digest_missing(folder: Path) -> str:
    return (
        f"The record Purpose keeps of everything in this journal's file in {folder} is missing, so "
        "it cannot tell whether entries or records were removed or rolled back. Purpose did not open "
        "it and changed nothing. Keep a copy of the folder, and restore your journal from your most "
        "recent backup into a new folder."
    )


def entry_not_found(ref: str) -> str:
    return f'No entry has the id "{ref[:40]}". `purpose list` shows the ids.'


def entry_ambiguous(ref: str, count: int) -> str:
    return f'"{ref}" matches {count} entries. Type more of the id.'


def entry_changed_elsewhere(entry_id: str) -> str:
    return (
        f"Entry {entry_id} was changed by another window or device while you edited it. "
        "Nothing was overwritten; open it again and repeat your change."
    )


def record_changed_elsewhere() -> str:
    return (
        "That setting was changed in another window or device at the same moment. Nothing was "
        "overwritten; please try again."
    )


# The one privacy sentence: true of the app, the command line and the README alike.
PRIVACY_LINE = "Nothing leaves this device unless you export, back up or sync it."

PASSPHRASE_TOO_SHORT = (
    "That passphrase is too short: use at least 8 characters. Several ordinary words are easy to "
    "remember and hard to guess."
)
PASSPHRASES_DIFFER = "The two passphrases did not match. Nothing was changed; please try again."
TEST_KDF_WARNING = (
    "Warning: this vault uses the fast test key-derivation profile, which is easy to attack. "
    "Keep real entries in a vault made without PURPOSE_KDF_PROFILE=test, or run `purpose passwd`: "
    "a new passphrase is always protected at the full cost."
)
TEST_KDF_WARNING_APP = (
    "This journal was made with the fast test setting, so its passphrase is easy to attack. "
    "Change the passphrase in Settings: the new one gets full protection."
)


# -- backups and sync

WRONG_BACKUP_PASSPHRASE = (
    "That passphrase does not open this backup. Nothing was changed. A backup opens with the "
    "passphrase it was made with: the vault's passphrase at that time, or the separate one you chose."
)


FOREIGN_BACKUP_DOCUMENTS_LEFT_OUT = (
    "Settings, signing identity and other records in that backup were left out, because it comes "
    "from another journal. Only its entries and deletions were merged."
)


def backup_unreadable(path: object, detail: str) -> str:
    return (
        f"{path} cannot be restored: {detail}. Nothing was changed. If the file was copied or "
        "downloaded, copy it again; otherwise use another backup."
    )


def sync_folder_missing(folder: Path) -> str:
    return (
        f"There is no folder {folder}. Nothing was synced. Give the folder your sync tool (Syncthing, "
        "Dropbox, iCloud Drive, Nextcloud) keeps in step on every device."
    )


def sync_folder_holds_vault(folder: Path) -> str:
    return (
        f"{folder} is the vault's own folder, or holds it, or lies inside it. Nothing was synced. The "
        "live journal must never be in a synced folder: choose a separate folder for sync."
    )


def sync_folder_unwritable(folder: Path, detail: str) -> str:
    return f"Purpose cannot write to {folder} ({detail[:80]}). Nothing more was sent; try again later."


def sync_rejoin(days: int) -> str:
    return (
        f"This device had not synced for more than {days} days, so your other devices stopped waiting "
        "for it and tidied the sync folder. What you wrote here has been sent. To be sure this device "
        "has everything, join again: `purpose join FOLDER` into a new vault folder."
    )


# -- joining a journal from another device through the sync folder

WRONG_JOIN_PASSPHRASE = (
    "That passphrase does not open the journal in this sync folder. Nothing was changed. Type the "
    "passphrase you use on your other device (check caps lock), and try again."
)


def join_no_record(folder: Path) -> str:
    return (
        f"There is no journal to join in {folder} yet. Nothing was changed. On the device that has "
        "your journal, run `purpose sync --folder` with this folder (or choose it in Settings), wait "
        "for your sync tool to copy it here, then try again."
    )


def join_record_damaged(folder: Path, detail: str) -> str:
    return (
        f"The join record in {folder} is damaged ({detail[:80]}). Nothing was changed. Sync once "
        "more on the device that has your journal (it writes a fresh one), then try again."
    )


def join_record_too_new(folder: Path) -> str:
    return (
        f"The journal in {folder} was made by a newer version of Purpose. Nothing was changed. "
        "Update Purpose on this device, then try again."
    )


# A group session's ground rules: on the opening slide of group mode and on every printed handout.
GROUND_RULES = (
    "What is said here stays here. Stories are shared, never repeated outside the room.",
    'Speak for yourself: "I noticed", "I felt", rather than "you" or "we".',
    "Listen without fixing. No advice, no diagnosis of each other, unless someone asks for it.",
    'Anyone may pass, at any time, without a reason. "I\'ll pass" is a complete answer.',
)
CLOSING_WORD = (
    "Thank you for what you brought today, and for how you listened. Take one thing with you, "
    "and leave the rest here."
)
