"""`purpose packs handout PACK --out FILE.pdf`: a printable PDF with the pack's prompts and never its
facilitator notes, written privately; clear refusals for an unknown pack or an unwritable place."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from pdf_text import words

from purpose_app.packs.builtin import builtin_packs

PACK = b"""format = 1
id = "grief-circle"
name = "Grief circle"
version = 1
description = "For our circle."
author = "St Mary's"
language = "en"
licence = "CC-BY-4.0"
session_only = true
facilitator_notes = "LEADER-ONLY pack note"

[[prompts]]
id = "loss"
text = "Which loss from your work are you still carrying?"
theme = "grief"
weight = "deep"
facilitator_notes = "LEADER-ONLY prompt note"
"""


def refused(result, *words_: str) -> None:
    assert result.code == 5, (result.code, result.out, result.err)
    assert result.out == "" and "Traceback" not in result.err
    for word in words_:
        assert word.lower() in result.err.lower(), (word, result.err)


def test_handout_writes_a_private_pdf_with_prompts_and_no_notes(run_cli, cli_vault, tmp_path: Path):
    """An imported pack's handout holds its prompt, not its notes, readable by its owner only."""
    source = tmp_path / "grief.toml"
    source.write_bytes(PACK)
    assert run_cli("packs", "import", str(source)).code == 0
    out = tmp_path / "grief.pdf"
    result = run_cli("packs", "handout", "grief-circle", "--out", str(out), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["id"] == "grief-circle" and data["out"] == str(out) and data["pages"] >= 1
    raw = out.read_bytes()
    text = words(raw)
    assert "Which loss from your work are you still carrying?" in text
    assert "LEADER-ONLY" not in text and b"LEADER-ONLY" not in raw
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_handout_of_a_builtin_session_pack_says_notes_are_left_out(run_cli, cli_vault, tmp_path: Path):
    """The plain output names the file and its pages and says facilitator notes are never on it."""
    out = tmp_path / "balint.pdf"
    result = run_cli("packs", "handout", "balint-case-reflection", "--out", str(out))
    assert result.code == 0, result.err
    assert str(out) in result.out and "page" in result.out and "notes are never on it" in result.out
    pack = next(p for p in builtin_packs() if p.id == "balint-case-reflection")
    assert pack.prompts[0].text in words(out.read_bytes())


def test_handout_of_an_unknown_pack_exits_5_and_writes_nothing(run_cli, cli_vault, tmp_path: Path):
    """An unknown pack is named, with where to look, and no file appears."""
    out = tmp_path / "none.pdf"
    refused(run_cli("packs", "handout", "no-such-pack", "--out", str(out)), "no-such-pack", "packs list")
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name != "vault"]


def test_handout_to_a_missing_folder_exits_5_before_any_work(run_cli, cli_vault, tmp_path: Path):
    """--out in a folder that does not exist: exit 5 naming the path; nothing is created."""
    out = tmp_path / "no-such-folder" / "h.pdf"
    refused(run_cli("packs", "handout", "finding-meaning", "--out", str(out)), str(out.parent))
    assert not out.parent.exists()


def test_show_never_includes_facilitator_notes(run_cli, cli_vault, tmp_path: Path):
    """`packs show` (plain and JSON) is a member's view: the pack's notes and prompts' notes are absent,
    and a session pack is listed as off."""
    source = tmp_path / "grief.toml"
    source.write_bytes(PACK)
    assert run_cli("packs", "import", str(source)).code == 0
    for extra in ((), ("--json",)):
        result = run_cli("packs", "show", "grief-circle", *extra)
        assert result.code == 0, result.err
        assert "LEADER-ONLY" not in result.out and "Which loss" in result.out
    listed = json.loads(run_cli("packs", "list", "--json").out)
    assert next(i for i in listed if i["id"] == "grief-circle")["enabled"] is False
