"""The real program in a child process: `python -m purpose_app`, its streams and exit codes."""

from __future__ import annotations

import json

PASSPHRASE = "correct horse battery"


def test_help_exits_0_and_lists_the_commands(purpose_exe):
    """`purpose --help` prints usage naming every command and exits 0."""
    result = purpose_exe("--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    for command in ("init", "add", "list", "search", "show", "edit", "delete", "passwd", "recover"):
        assert command in text
    assert result.stderr == b""


def test_add_then_list_json_in_real_processes(purpose_exe, vault_dir):
    """init, add (body from a pipe) and list --json each run as a real process and agree."""
    env = {"PURPOSE_VAULT": str(vault_dir), "PURPOSE_PASSPHRASE": PASSPHRASE}
    made = purpose_exe("init", "--json", env=env)
    assert made.returncode == 0, made.stderr
    assert set(json.loads(made.stdout)) == {"vault", "recovery_key"}
    body = "Café at 4am, still on call. 🩺\nSecond line."
    added = purpose_exe("add", "--energy", "4", "--tag", "nights", env=env, stdin=body.encode())
    assert added.returncode == 0, added.stderr
    entry_id = added.stdout.decode().strip()
    listed = purpose_exe("list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    [entry] = json.loads(listed.stdout.decode("utf-8"))
    assert entry["id"] == entry_id and entry["body"] == body and entry["energy"] == 4
    assert entry["tags"] == ["nights"]


def test_errors_in_a_real_process_are_plain(purpose_exe, vault_dir):
    """A usage error and a missing vault each give their exit code and a plain message, no traceback."""
    env = {"PURPOSE_VAULT": str(vault_dir), "PURPOSE_PASSPHRASE": PASSPHRASE}
    usage = purpose_exe("add", "--energy", env=env)
    assert usage.returncode == 2 and b"usage" in usage.stderr and b"Traceback" not in usage.stderr
    missing = purpose_exe("list", env=env)
    assert missing.returncode == 6 and b"purpose init" in missing.stderr
    assert b"Traceback" not in missing.stderr and missing.stdout == b""


def test_help_in_process_goes_to_the_given_stream(run_cli):
    """main(out=...) receives --help and --version text (callers capture them like any output)."""
    result = run_cli("--help")
    assert result.code == 0 and "usage" in result.out.lower()
    version = run_cli("--version")
    assert version.code == 0 and version.out.startswith("purpose ")
