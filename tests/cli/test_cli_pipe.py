"""Output piped to a reader that stops early (`purpose list | head -1`) ends quietly, like any Unix tool."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from purpose_app import messages
from purpose_app.cli.command import OUTPUT_CLOSED

# The test vaults use the cheap key profile, which every command rightly warns about on stderr.
ONLY_THE_TEST_PROFILE_WARNING = (messages.TEST_KDF_WARNING + "\n").encode()


def _purpose(vault_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PURPOSE_VAULT": str(vault_dir), "PURPOSE_PASSPHRASE": PASSPHRASE}
    env.pop("PURPOSE_DEBUG", None)
    # Unbuffered, CPython's text layer drops the rest of a write a closed pipe cut short, and says
    # nothing: the ordinary, buffered stdout every user has is what is tested.
    env.pop("PYTHONUNBUFFERED", None)
    return subprocess.Popen(
        [sys.executable, "-m", "purpose_app", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _many_entries(run_cli, tmp_path: Path, count: int) -> None:
    entries = [
        {"title": f"Night {i}", "body": f"Ward round {i}", "date": f"20{10 + i // 365:02d}-01-01",
         "time": f"{i // 60 % 24:02d}:{i % 60:02d}", "tags": ["icu"], "starred": False}
        for i in range(count)
    ]  # fmt: skip
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"tags": {}, "entries": entries}), encoding="utf-8")
    result = run_cli("import", "jrnl-json", str(path))
    assert result.code == 0, result.err


def test_list_into_head_ends_quietly_after_the_first_line(run_cli, cli_vault, tmp_path):
    """More output than a pipe holds; the reader keeps one line and leaves: no message, no traceback, 141."""
    _many_entries(run_cli, tmp_path, 2000)  # about 150 KB of lines: far past a 64 KB pipe buffer
    with _purpose(cli_vault, "list") as child:
        assert child.stdout is not None and child.stderr is not None
        first = child.stdout.readline()
        child.stdout.close()  # what `head -1` does once it has its line
        err = child.stderr.read()
        code = child.wait(timeout=60)
    assert first.decode().rstrip().endswith("#icu")
    assert err == ONLY_THE_TEST_PROFILE_WARNING
    assert code == OUTPUT_CLOSED


def test_a_reader_gone_before_the_first_byte_is_quiet_too(run_cli, cli_vault, tmp_path):
    """Short output that only meets the closed pipe when it is flushed at the end: still silent, exit 141."""
    _many_entries(run_cli, tmp_path, 3)
    with _purpose(cli_vault, "list") as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()
        err = child.stderr.read()
        code = child.wait(timeout=60)
    assert err == ONLY_THE_TEST_PROFILE_WARNING
    assert code == OUTPUT_CLOSED


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_into_a_closed_pipe_are_quiet(tmp_path, flag):
    """`purpose --help | head -0`: no "Exception ignored" from Python's own flush at exit, and exit 141."""
    with _purpose(tmp_path / "none", flag) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()
        err = child.stderr.read()
        code = child.wait(timeout=60)
    assert (code, err) == (OUTPUT_CLOSED, b"")


def test_output_read_to_the_end_is_unchanged(run_cli, cli_vault, tmp_path):
    """A reader that reads everything gets every line and exit 0, as before."""
    _many_entries(run_cli, tmp_path, 30)
    with _purpose(cli_vault, "list") as child:
        out, err = child.communicate(timeout=60)
    assert (child.returncode, err) == (0, ONLY_THE_TEST_PROFILE_WARNING)
    assert len(out.decode().splitlines()) == 30
