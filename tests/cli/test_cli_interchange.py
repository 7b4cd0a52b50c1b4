"""`purpose import` and `purpose export`: exit codes, the summary, --plaintext, progress, and refusals
that change nothing."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

CANARY = "zebra-canary-5521"


def jrnl_file(path: Path, entries: list[dict]) -> Path:
    path.write_text(json.dumps({"tags": {}, "entries": entries}), encoding="utf-8")
    return path


def jrnl_entry(i: int, **extra) -> dict:
    clock = f"{i // 60 % 24:02d}:{i % 60:02d}"
    return {"title": f"Night {i}", "body": f"{CANARY} {i}", "date": "2021-02-03", "time": clock,
            "tags": ["@icu"], "starred": i % 2 == 0, **extra}  # fmt: skip


@pytest.fixture
def journal(tmp_path) -> Path:
    return jrnl_file(tmp_path / "journal.json", [jrnl_entry(i) for i in range(3)])


def test_import_prints_a_summary_and_a_second_import_skips_everything(run_cli, cli_vault, journal, listed):
    """The summary counts imported, skipped and failed entries; importing again adds nothing."""
    first = run_cli("import", "jrnl-json", str(journal), "--json")
    assert first.code == 0, first.err
    summary = json.loads(first.out)
    assert summary == {
        "format": "jrnl-json", "file": str(journal), "read": 3, "imported": 3, "skipped_duplicates": 0,
        "failed": [], "photos_not_imported": 0, "attachments_not_imported": 0,
    }  # fmt: skip
    second = run_cli("import", "jrnl-json", str(journal))
    assert second.code == 0
    assert "Imported 0 entries" in second.out and "3 were already in your journal" in second.out
    assert len(listed()) == 3


@pytest.mark.parametrize(
    "content,words",
    [
        (b"not json at all", ["not valid JSON"]),
        (b'{"entries": "nope"}', ['"entries" is text']),
        (b"\xff\xfe\x00garbage", ["UTF-16"]),
        (b'{"entries": [{"body": "caf\xe9"}]}', ["not UTF-8"]),
        (b"[" * 100_000, ["nested"]),
    ],
)
def test_hostile_files_exit_5_naming_the_problem_and_change_nothing(
    run_cli, cli_vault, tmp_path, state, content, words
):
    """Each malformed file: exit 5, a message naming the problem, the vault unchanged."""
    before = state()
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    for name in ("jrnl-json", "dayone"):
        result = run_cli("import", name, str(bad))
        assert result.code == 5, result.err
        assert "Traceback" not in result.err and "Nothing was imported" in result.err
        for word in words:
            assert word in result.err
    assert state() == before


def test_zip_slip_is_refused_before_the_passphrase_is_asked(run_cli, cli_vault, tmp_path, state):
    """A Day One ZIP with a ../ member: exit 5 without needing (or asking for) the passphrase."""
    before = state()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Journal.json", '{"entries": []}')
        archive.writestr("../../.bashrc", "evil")
    path = tmp_path / "export.zip"
    path.write_bytes(buffer.getvalue())
    result = run_cli("import", "dayone", str(path), env={"PURPOSE_PASSPHRASE": None})
    assert result.code == 5 and "zip slip" in result.err
    assert state() == before


def test_one_bad_entry_refuses_all_unless_skip_invalid(run_cli, cli_vault, tmp_path, state, listed):
    """A bad entry names itself (position, date, reason) and nothing is imported; --skip-invalid
    imports the rest and lists it in the summary."""
    path = jrnl_file(tmp_path / "j.json", [jrnl_entry(1), jrnl_entry(2, date="2021-02-30"), jrnl_entry(3)])
    before = state()
    refused = run_cli("import", "jrnl-json", str(path))
    assert refused.code == 5
    assert "entry 2 (2021-02-30 00:02)" in refused.err and "does not exist" in refused.err
    assert "--skip-invalid" in refused.err and CANARY not in refused.err
    assert state() == before
    partial = run_cli("import", "jrnl-json", str(path), "--skip-invalid", "--json")
    assert partial.code == 0, partial.err
    summary = json.loads(partial.out)
    assert summary["imported"] == 2 and summary["failed"][0]["entry"] == 2
    assert "does not exist" in summary["failed"][0]["reason"]
    assert len(listed()) == 2


def test_missing_file_and_unknown_format(run_cli, cli_vault, tmp_path):
    """A file that is not there exits 5; a format that does not exist is a usage error (2)."""
    missing = run_cli("import", "jrnl-json", str(tmp_path / "nope.json"))
    assert missing.code == 5 and "Could not read" in missing.err
    assert run_cli("import", "evernote", "x").code == 2
    folder = run_cli("import", "jrnl-txt", str(tmp_path))
    assert folder.code == 5 and "folder" in folder.err


def test_big_import_shows_progress_on_stderr(run_cli, cli_vault, tmp_path):
    """An import of thousands of entries prints progress lines to stderr; stdout stays the summary."""
    path = jrnl_file(
        tmp_path / "big.json", [jrnl_entry(i, date=f"2020-{i % 12 + 1:02d}-01") for i in range(2400)]
    )
    result = run_cli("import", "jrnl-json", str(path), "--json")
    assert result.code == 0, result.err
    progress = [line for line in result.err.splitlines() if line.startswith("Importing:")]
    assert (
        progress[0] == "Importing: 1,000 of 2,400 entries"
        and progress[-1] == "Importing: 2,400 of 2,400 entries"
    )
    assert json.loads(result.out)["imported"] == 2400


def test_jrnl_txt_with_a_custom_timeformat_and_dayone_zip_counts_photos(run_cli, cli_vault, tmp_path, listed):
    """--timeformat reads a jrnl configured for day-first dates; a Day One ZIP reports its photos."""
    text = tmp_path / "journal.txt"
    text.write_text("[03.02.2021 18:22] Title. *\nBody @Tag\n", encoding="utf-8")
    result = run_cli("import", "jrnl-txt", str(text), "--timeformat", "%d.%m.%Y %H:%M", "--json")
    assert result.code == 0, result.err
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entry = {
            "uuid": "AB12",
            "creationDate": "2021-02-04T10:00:00Z",
            "text": "Day one",
            "photos": [{}, {}],
        }
        archive.writestr("Journal.json", json.dumps({"entries": [entry]}))
        archive.writestr("photos/a.jpeg", b"x")
    path = tmp_path / "dayone.zip"
    path.write_bytes(buffer.getvalue())
    result = run_cli("import", "dayone", str(path))
    assert result.code == 0, result.err
    assert "2 photo(s)" in result.out
    assert sorted(tuple(e["tags"]) for e in listed()) == [(), ("tag", "starred")]


def test_export_without_plaintext_exits_2_writes_nothing_and_asks_nothing(run_cli, cli_vault, tmp_path):
    """No --plaintext: exit 2 with how to confirm, before the passphrase, and no file anywhere."""
    out = tmp_path / "journal.md"
    result = run_cli("export", "markdown", "--out", str(out), env={"PURPOSE_PASSPHRASE": None})
    assert result.code == 2
    assert "--plaintext" in result.err and "unencrypted" in result.err
    assert not out.exists() and list(tmp_path.glob("*.partial")) == []


def test_export_json_and_markdown(run_cli, cli_vault, add, tmp_path):
    """Both formats write with --plaintext; the summary lists the files; the JSON re-imports as duplicates."""
    entry_id = add("--title", "Kept", "--body", CANARY, "--tag", "x", "--energy", "4")
    out = tmp_path / "out.json"
    result = run_cli("export", "json", "--out", str(out), "--plaintext", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"format": "json", "files": [str(out)], "entries": 1, "plaintext": True}
    assert json.loads(out.read_text())["entries"][0]["uuid"] == entry_id
    again = json.loads(run_cli("import", "jrnl-json", str(out), "--json").out)
    assert again["skipped_duplicates"] == 1 and again["imported"] == 0
    folder = tmp_path / "years"
    result = run_cli("export", "markdown", "--out", str(folder), "--plaintext", "--per-year")
    assert result.code == 0, result.err
    (written,) = folder.iterdir()
    assert CANARY in written.read_text() and "NOT encrypted" in result.out


@pytest.mark.parametrize("where", ["missing-folder/journal.md", "a-folder"])
def test_export_to_an_unwritable_place_exits_5(run_cli, cli_vault, tmp_path, where):
    """A folder that does not exist, or a folder given as the file: exit 5, nothing written."""
    (tmp_path / "a-folder").mkdir()
    result = run_cli("export", "markdown", "--out", str(tmp_path / where), "--plaintext")
    assert result.code == 5, result.err
    assert "--out" in result.err or "does not exist" in result.err
    assert list((tmp_path / "a-folder").iterdir()) == []


def test_export_into_a_read_only_folder_exits_5(run_cli, cli_vault, tmp_path):
    """Permission denied is exit 5 with a message, not a traceback."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        import os

        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        result = run_cli("export", "json", "--out", str(locked / "j.json"), "--plaintext")
        assert result.code == 5 and "permission denied" in result.err
    finally:
        locked.chmod(0o700)


def test_a_write_failing_midway_exits_5_and_leaves_no_partial_file(run_cli, cli_vault, tmp_path, monkeypatch):
    """If the final rename fails (disk full, permissions), exit 5 and the temporary file is removed."""
    from purpose_app.services import private_file

    def refuse(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(private_file.os, "replace", refuse)
    result = run_cli("export", "json", "--out", str(tmp_path / "j.json"), "--plaintext")
    assert result.code == 5 and "Permission denied" in result.err
    assert list(tmp_path.glob("*j.json*")) == []
