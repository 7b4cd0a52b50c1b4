"""Every release must open the vault that the first release wrote, and read it exactly."""

import json
import shutil
from pathlib import Path

import pytest

from purpose_app.cli import entry_json
from purpose_app.errors import WrongSecret
from purpose_app.services import vault

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def golden(tmp_path):
    """A copy of the committed format-1 vault (opening must never need to write the original)."""
    folder = tmp_path / "golden-v1"
    shutil.copytree(FIXTURES / "golden-v1", folder)
    return folder, json.loads((FIXTURES / "golden-v1.json").read_text(encoding="utf-8"))


def test_golden_vault_opens_and_every_entry_decrypts_exactly(golden):
    """Entries, in order, with every field (unicode, emoji, time zones, revisions) as written."""
    folder, expected = golden
    with vault.unlock(folder, expected["passphrase"]) as opened:
        assert opened.damaged == []
        assert [entry_json(e) for e in opened.entries(with_bodies=True)] == expected["entries"]


def test_golden_vault_recovery_key_still_works(golden):
    """A recovery key printed by the first release still opens its vault."""
    folder, expected = golden
    with vault.unlock_with_recovery(folder, expected["recovery_key"]) as opened:
        assert opened.count() == len(expected["entries"])


def test_golden_vault_refuses_a_wrong_passphrase(golden):
    """The old format still says no to a wrong passphrase."""
    folder, _expected = golden
    with pytest.raises(WrongSecret):
        vault.unlock(folder, "not the golden passphrase")


def test_golden_vault_is_writable_by_this_release(golden):
    """This release can add to an old vault, and the old entries survive."""
    folder, expected = golden
    with vault.unlock(folder, expected["passphrase"]) as opened:
        from purpose_app.domain.entry import EntryChanges

        opened.add(EntryChanges(energy=5))
    with vault.unlock(folder, expected["passphrase"]) as opened:
        assert opened.count() == len(expected["entries"]) + 1


def test_opening_an_old_vault_upgrades_its_schema_only_after_unlock(golden):
    """A wrong passphrase leaves an old vault byte-for-byte alone; the right one upgrades it."""
    import hashlib
    import sqlite3

    from purpose_app.storage import migrate

    folder, expected = golden
    db = folder / "purpose.db"
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(WrongSecret):
        vault.unlock(folder, "not the golden passphrase")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    vault.unlock(folder, expected["passphrase"]).lock()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrate.HEAD
    finally:
        conn.close()
