"""A vault's key-derivation cost never goes down: passwd, recover and backups ignore a cheaper profile."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE

from purpose_app.crypto import chunked, kdf
from purpose_app.errors import InvalidInput
from purpose_app.services import backup, vault


def _slot_cost(folder: Path) -> tuple[int, int]:
    with sqlite3.connect(folder / "purpose.db") as conn:
        (raw,) = conn.execute("SELECT params FROM key_slots WHERE name = 'passphrase'").fetchone()
    params = json.loads(raw)
    return params["memory_kib"], params["time_cost"]


@pytest.fixture
def real_vault(tmp_path: Path) -> Path:
    """A vault at the default cost, as a physician's journal is made."""
    folder = tmp_path / "real"
    made, recovery_key = vault.create(folder, PASSPHRASE, kdf.DEFAULT)
    made.lock()
    (tmp_path / "recovery").write_text(recovery_key)
    return folder


def test_a_passphrase_change_asked_at_the_test_cost_keeps_the_default(real_vault: Path) -> None:
    """A leftover PURPOSE_KDF_PROFILE=test cannot rewrite a 128 MiB slot as a 1 MiB one."""
    with vault.unlock(real_vault, PASSPHRASE) as opened:
        opened.change_passphrase(NEW_PASSPHRASE, kdf.TEST)
        assert not opened.uses_test_kdf
    assert _slot_cost(real_vault) == (kdf.DEFAULT.memory_kib, kdf.DEFAULT.time_cost)
    with vault.unlock(real_vault, NEW_PASSPHRASE) as opened:
        assert opened.key_cost == kdf.DEFAULT


def test_recovery_sets_the_new_passphrase_at_no_less_than_the_default(real_vault: Path) -> None:
    """The recovery path re-wraps at the full cost too."""
    recovery_key = (real_vault.parent / "recovery").read_text()
    with vault.unlock_with_recovery(real_vault, recovery_key) as opened:
        opened.change_passphrase(NEW_PASSPHRASE, kdf.TEST)
    assert _slot_cost(real_vault) == (kdf.DEFAULT.memory_kib, kdf.DEFAULT.time_cost)


def test_a_test_profile_vault_is_raised_to_the_default_by_a_new_passphrase(made_vault) -> None:
    """The test profile is for creating vaults only: passwd on such a vault gives it the real cost."""
    with made_vault.open() as opened:
        assert opened.uses_test_kdf
        opened.change_passphrase(NEW_PASSPHRASE, kdf.TEST)
        assert not opened.uses_test_kdf
    assert _slot_cost(made_vault.folder) == (kdf.DEFAULT.memory_kib, kdf.DEFAULT.time_cost)


def test_a_backup_asked_at_the_test_cost_is_made_at_the_vaults_cost(real_vault: Path, tmp_path: Path) -> None:
    """A backup carries the data key: its passphrase costs an attacker at least the vault's."""
    out = tmp_path / "journal.backup"
    with vault.unlock(real_vault, PASSPHRASE) as opened:
        backup.write_backup(opened, out, PASSPHRASE, kdf.TEST)
        data, _count = backup.backup_bytes(opened, PASSPHRASE, kdf.TEST)
    for raw in (out.read_bytes(), data):
        with (tmp_path / "copy").open("wb") as handle:
            handle.write(raw)
        with (tmp_path / "copy").open("rb") as handle:
            header = chunked.read_header(handle)
        assert header.params is not None
        assert (header.params.memory_kib, header.params.time_cost) == (
            kdf.DEFAULT.memory_kib,
            kdf.DEFAULT.time_cost,
        )


def test_purpose_passwd_under_the_test_profile_keeps_a_real_vaults_cost(run_cli, vault_dir: Path) -> None:
    """`purpose passwd` with PURPOSE_KDF_PROFILE=test left over changes the passphrase, not the cost."""
    made, _key = vault.create(vault_dir, PASSPHRASE, kdf.DEFAULT)
    made.lock()
    result = run_cli("passwd", env={"PURPOSE_KDF_PROFILE": "test", "PURPOSE_NEW_PASSPHRASE": NEW_PASSPHRASE})
    assert result.code == 0, result.err
    assert _slot_cost(vault_dir) == (kdf.DEFAULT.memory_kib, kdf.DEFAULT.time_cost)
    with vault.unlock(vault_dir, NEW_PASSPHRASE) as opened:
        assert not opened.uses_test_kdf


def test_the_apps_passphrase_change_keeps_a_real_vaults_cost(real_vault: Path) -> None:
    """Settings > change passphrase in a session started under the test profile keeps the default cost."""
    from purpose_app.services import account
    from purpose_app.services.session import Session

    session = Session(real_vault, kdf_params=kdf.TEST)
    session.unlock(PASSPHRASE)
    try:
        account.change_passphrase(session, PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE)
    finally:
        session.lock()
    assert _slot_cost(real_vault) == (kdf.DEFAULT.memory_kib, kdf.DEFAULT.time_cost)


@pytest.mark.parametrize(("memory_kib", "time_cost"), [(4 * 1024 * 1024, 3), (128 * 1024, 64)])
def test_a_backup_demanding_a_ruinous_cost_is_refused_before_any_derivation(
    real_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_kib: int, time_cost: int
) -> None:
    """A header asking for 4 GiB or 64 passes: a plain refusal naming why, and no key derived."""
    genuine = tmp_path / "genuine.backup"
    with vault.unlock(real_vault, PASSPHRASE) as opened:
        backup.write_backup(opened, genuine, PASSPHRASE, kdf.DEFAULT)
    raw = genuine.read_bytes()
    prefix = chunked._PREFIX
    _magic, version, length = prefix.unpack(raw[: prefix.size])
    header = json.loads(raw[prefix.size : prefix.size + length])
    header["kdf"]["memory_kib"], header["kdf"]["time_cost"] = memory_kib, time_cost
    hostile_header = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    hostile = tmp_path / "hostile.backup"
    rest = raw[prefix.size + length :]
    hostile.write_bytes(prefix.pack(chunked.MAGIC, version, len(hostile_header)) + hostile_header + rest)

    def no_derivation(*_args: object) -> bytes:
        raise AssertionError("a key was derived from a hostile header")

    monkeypatch.setattr(kdf, "derive_key", no_derivation)
    with pytest.raises(InvalidInput) as refused:
        backup.read_backup(hostile, PASSPHRASE)
    assert "is not a Purpose backup" in refused.value.message
    assert "out of bounds" in refused.value.message
