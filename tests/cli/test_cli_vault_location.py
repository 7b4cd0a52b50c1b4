"""Where the vault is, and the vaults Purpose must refuse: missing, synced, foreign, newer, read-only."""

from __future__ import annotations

import ctypes
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cli.cli_contract import file_hash
from purpose_app.storage import migrate


def _no_traceback(result) -> None:
    assert "Traceback" not in result.err


# -- choosing the folder ------------------------------------------------------------------------------


def test_vault_option_and_env_both_work_and_the_option_wins(run_cli, tmp_path):
    """--vault DIR and PURPOSE_VAULT each select the vault; when both are given, --vault wins."""
    by_option, by_env = tmp_path / "by-option", tmp_path / "by-env"
    assert run_cli("init", "--vault", str(by_option), env={"PURPOSE_VAULT": str(by_env)}).code == 0
    assert (by_option / "purpose.db").is_file() and not by_env.exists()

    assert run_cli("add", "--title", "via env", env={"PURPOSE_VAULT": str(by_option)}).code == 0
    listed = run_cli("--vault", str(by_option), "list", "--json", env={"PURPOSE_VAULT": str(by_env)})
    assert listed.code == 0, listed.err
    assert [e["title"] for e in json.loads(listed.out)] == ["via env"]

    wrong_way = run_cli("list", "--vault", str(by_env), env={"PURPOSE_VAULT": str(by_option)})
    assert wrong_way.code == 6 and str(by_env) in wrong_way.err


def test_default_vault_is_in_the_user_data_folder(run_cli, tmp_path):
    """Without --vault or PURPOSE_VAULT, the vault lives in the platform's user data folder."""
    result = run_cli("init", "--json", env={"PURPOSE_VAULT": None})
    assert result.code == 0, result.err
    expected = tmp_path / "xdg-data" / "Purpose"  # XDG_DATA_HOME is set by the test harness
    assert json.loads(result.out)["vault"] == str(expected)
    assert (expected / "purpose.db").is_file()


@pytest.mark.parametrize("command", [("list",), ("add", "--energy", "3"), ("show", "abcd"), ("passwd",)])
def test_a_missing_vault_exits_6_and_points_to_init(run_cli, vault_dir, command):
    """No vault there: exit 6 with a message naming `purpose init`, before asking for a passphrase."""
    for env in ({}, {"PURPOSE_PASSPHRASE": None}):
        result = run_cli(*command, env=env)
        assert result.code == 6, result.err
        assert "purpose init" in result.err and str(vault_dir) in result.err
        _no_traceback(result)
    assert not vault_dir.exists()  # looking for a vault never creates the folder


# -- synced folders --------------------------------------------------------------------------------


def _synced_folders(tmp_path: Path) -> dict[str, Path]:
    syncthing = tmp_path / "shared"
    (syncthing / ".stfolder").mkdir(parents=True)
    return {
        "Dropbox": tmp_path / "Dropbox" / "journal",
        "OneDrive": tmp_path / "OneDrive - Hospital" / "Documents" / "Purpose",
        "Syncthing": syncthing / "notes" / "Purpose",
    }


@pytest.mark.parametrize("service", ["Dropbox", "OneDrive", "Syncthing"])
def test_init_in_a_synced_folder_is_refused_unless_allowed(run_cli, tmp_path, service):
    """init exits 6 in a synced folder, says why and names --allow-synced-folder; the flag overrides."""
    folder = _synced_folders(tmp_path)[service]
    result = run_cli("init", "--vault", str(folder))
    assert result.code == 6
    assert service in result.err and "--allow-synced-folder" in result.err
    assert "corrupt" in result.err  # says why
    _no_traceback(result)
    assert not (folder / "purpose.db").exists()

    allowed = run_cli("init", "--vault", str(folder), "--allow-synced-folder", "--json")
    assert allowed.code == 0, allowed.err
    assert (folder / "purpose.db").is_file()


@pytest.mark.parametrize("service", ["Dropbox", "OneDrive", "Syncthing"])
def test_using_a_vault_in_a_synced_folder_is_refused_unless_allowed(run_cli, tmp_path, service):
    """add and list exit 6 on a vault in a synced folder and write nothing; --allow-synced-folder works."""
    folder = _synced_folders(tmp_path)[service]
    env = {"PURPOSE_VAULT": str(folder)}
    assert run_cli("init", "--allow-synced-folder", env=env).code == 0
    before = file_hash(folder / "purpose.db")
    for command in (("add", "--energy", "4"), ("list", "--json")):
        result = run_cli(*command, env=env)
        assert result.code == 6, result.err
        assert service in result.err and "--allow-synced-folder" in result.err
        _no_traceback(result)
    assert file_hash(folder / "purpose.db") == before

    assert run_cli("add", "--energy", "4", "--allow-synced-folder", env=env).code == 0
    listed = run_cli("--allow-synced-folder", "list", "--json", env=env)
    assert listed.code == 0 and [e["energy"] for e in json.loads(listed.out)] == [4]


# -- files that are not (this version's) vaults ------------------------------------------------------


def _foreign_sqlite(path: Path, *, wal: bool = False, alembic: bool = False) -> None:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    if alembic:  # another app that also uses Alembic: its revision means nothing to us
        conn.execute("CREATE TABLE alembic_version (version_num TEXT PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO contacts (name) VALUES ('Ada'), ('Grace')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "kind", ["random-bytes", "empty", "other-sqlite", "other-sqlite-wal", "other-alembic-wal", "text"]
)
def test_a_file_that_is_not_a_vault_exits_4_and_is_left_alone(run_cli, vault_dir, kind):
    """purpose.db that is not a vault: exit 4, a message saying so, and its bytes untouched."""
    vault_dir.mkdir()
    db = vault_dir / "purpose.db"
    if kind == "random-bytes":
        db.write_bytes(os.urandom(8192))
    elif kind == "empty":
        db.write_bytes(b"")
    elif kind == "text":
        db.write_text("my journal, in plain text\n")
    else:
        _foreign_sqlite(db, wal=kind.endswith("wal"), alembic="alembic" in kind)
    before = file_hash(db)
    for command in (("list", "--json"), ("add", "--energy", "3"), ("show", "abcd"), ("passwd",)):
        result = run_cli(*command, env={"PURPOSE_NEW_PASSPHRASE": "a brand new passphrase"})
        assert result.code == 4, (command, result.err)
        assert "not a Purpose vault" in result.err
        _no_traceback(result)
    assert file_hash(db) == before
    refused = run_cli("init")
    assert refused.code == 6 and "already" in refused.err  # and init will not overwrite it either
    assert file_hash(db) == before


def _sql(db: Path, statement: str, *params: object) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(statement, params)
    conn.close()


def test_a_vault_with_an_unknown_schema_revision_is_too_new(run_cli, cli_vault, add):
    """alembic_version at a revision this release does not know: exit 6 "newer version", bytes kept."""
    add("--title", "from the future")
    db = cli_vault / "purpose.db"
    _sql(db, "UPDATE alembic_version SET version_num = ?", "9999_from_the_future")
    assert "9999_from_the_future" not in migrate.KNOWN_REVISIONS
    before = file_hash(db)
    for command in (("list", "--json"), ("add", "--energy", "3"), ("passwd",)):
        result = run_cli(*command, env={"PURPOSE_NEW_PASSPHRASE": "a brand new passphrase"})
        assert result.code == 6, (command, result.err)
        assert "newer version" in result.err
        _no_traceback(result)
    assert file_hash(db) == before


def test_a_vault_with_a_newer_header_format_is_too_new(run_cli, cli_vault, add):
    """The header's format number above this release's: exit 6 "newer version", bytes kept."""
    add("--title", "from the future")
    db = cli_vault / "purpose.db"
    conn = sqlite3.connect(db)
    header = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'header'").fetchone()[0])
    conn.close()
    assert header["format"] == 1
    header["format"] = 99
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    _sql(db, "UPDATE meta SET value = ? WHERE key = 'header'", raw)
    before = file_hash(db)
    for command in (("list", "--json"), ("add", "--energy", "3")):
        result = run_cli(*command)
        assert result.code == 6, (command, result.err)
        assert "newer version" in result.err
        _no_traceback(result)
    assert file_hash(db) == before


# -- a read-only vault folder --------------------------------------------------------------------------

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2
_NOBODY = 65534


def _drop_file_capabilities() -> None:
    """In the child, before exec: root keeps its uid but loses the power to ignore file permissions."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _become_nobody() -> None:
    os.setgid(_NOBODY)
    os.setuid(_NOBODY)


def _unprivileged_runner(tmp_path: Path):
    """A way to run a process for which permissions are enforced, or None with the reason why not.

    Root ignores chmod, so as root the child either drops CAP_DAC_OVERRIDE from its bounding set (it
    stays uid 0, so it can still read the interpreter and the temporary folders), or becomes `nobody`
    when that user can run this Python. Each is checked with a real write before it is trusted."""
    if os.geteuid() != 0:
        return None, ""
    probe_dir = tmp_path / "probe"
    probe_dir.mkdir()
    probe_dir.chmod(0o777)
    probe = probe_dir / "read-only"
    probe.write_text("x")
    probe.chmod(0o444)
    code = f"open({str(probe)!r}, 'a').write('y')"
    reasons = []
    for how in (_drop_file_capabilities, _become_nobody):
        try:
            done = subprocess.run(
                [sys.executable, "-c", code], preexec_fn=how, capture_output=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError) as exc:
            reasons.append(f"{how.__name__}: {exc}")
            continue
        if b"PermissionError" in done.stderr:
            return how, ""
        reasons.append(f"{how.__name__}: exit {done.returncode}")
    return None, "; ".join(reasons)


@pytest.fixture(scope="module")
def _runner(tmp_path_factory):
    if sys.platform == "win32":
        pytest.skip("read-only folders are a POSIX permission test")
    return _unprivileged_runner(tmp_path_factory.mktemp("permissions-probe"))


@pytest.fixture
def restricted(tmp_path, _runner):
    """Runs `python -m purpose_app ARGS` in a process for which file permissions are enforced."""
    how, reason = _runner
    if os.geteuid() == 0 and how is None:
        pytest.skip(f"running as root and cannot drop the right to ignore permissions ({reason})")
    if how is _become_nobody:  # nobody must be able to reach the vault through the temporary folders
        for folder in (tmp_path, *tmp_path.parents):
            if folder == Path(folder.anchor):
                break
            folder.chmod(folder.stat().st_mode | 0o005)
    env = {
        **os.environ,
        "PURPOSE_PASSPHRASE": "correct horse battery",
        "PURPOSE_NEW_PASSPHRASE": "a brand new passphrase",
    }

    def purpose(*args: str, vault: Path) -> subprocess.CompletedProcess[str]:
        if how is _become_nobody and vault.exists():  # nobody acts as the vault's owner would
            for path in (vault, *vault.rglob("*")):
                os.chown(path, _NOBODY, _NOBODY)
        return subprocess.run(
            [sys.executable, "-m", "purpose_app", *args],
            preexec_fn=how, env={**env, "PURPOSE_VAULT": str(vault)},
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    return purpose


@pytest.mark.parametrize("locked", ["folder-and-file", "file", "folder"])
def test_a_read_only_vault_exits_6_and_changes_nothing(cli_vault, add, restricted, locked):
    """A vault folder or file that cannot be written: a clear message, exit 6, no file changed or added."""
    add("--title", "already here", "--at", "2026-01-01T09:00")
    db = cli_vault / "purpose.db"
    listed = restricted("list", "--json", vault=cli_vault)
    assert listed.returncode == 0, listed.stderr  # the restricted process can use a writable vault
    entry_id = json.loads(listed.stdout)[0]["id"]
    before = {p.name: file_hash(p) for p in cli_vault.iterdir()}
    if locked != "folder":
        db.chmod(0o444)
    if locked != "file":
        cli_vault.chmod(0o555)
    try:
        commands = [("add", "--energy", "3"), ("list", "--json")]
        if locked == "folder-and-file":
            commands += [("edit", entry_id, "--energy", "4"), ("delete", entry_id, "--yes"), ("passwd",)]
        for command in commands:
            result = restricted(*command, vault=cli_vault)
            assert result.returncode == 6, (command, result.returncode, result.stderr)
            assert "cannot write" in result.stderr and str(cli_vault) in result.stderr
            assert "Traceback" not in result.stderr and "already here" not in result.stderr
            assert result.stdout == ""
        assert {p.name: file_hash(p) for p in cli_vault.iterdir()} == before
    finally:
        cli_vault.chmod(0o755)
        db.chmod(0o644)
    assert restricted("list", "--json", vault=cli_vault).returncode == 0  # fine again once writable


def test_init_in_a_read_only_folder_exits_6(restricted, tmp_path):
    """init where the folder (or its parent) cannot be written: exit 6, a clear message, no files."""
    existing = tmp_path / "existing"
    existing.mkdir(mode=0o555)
    parent = tmp_path / "parent"
    parent.mkdir(mode=0o555)
    try:
        for folder in (existing, parent / "new"):
            result = restricted("init", vault=folder)
            assert result.returncode == 6, (folder, result.stderr)
            assert "cannot write" in result.stderr and "Traceback" not in result.stderr
        assert list(existing.iterdir()) == [] and list(parent.iterdir()) == []
    finally:
        existing.chmod(0o755)
        parent.chmod(0o755)
