"""The command line's contract for packs: JSON shapes of list and show, import (unsigned, signed,
trusted, tampered, missing), export, new, keygen, sign and verify, and clear errors with exit code 5."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from purpose_app.packs import signing
from purpose_app.packs.builtin import builtin_packs, builtin_raw
from purpose_app.packs.parse import parse_pack

FINGERPRINT = re.compile(r"[0-9a-f]{4}( [0-9a-f]{4}){7}")
BEN = signing.SigningIdentity("Dr Ben Okafor", bytes(range(32, 64)))
PACK = b"""format = 1
id = "courage-circle"
name = "Courage"
version = 1
description = "For our circle."
author = "St Mary's"
language = "en"
licence = "CC-BY-4.0"

[[prompts]]
id = "small-courage"
text = "When did you do the brave thing in a small way this month?"
theme = "hard-conversations"
weight = "light"

[[prompts]]
id = "patient-courage"
text = "Which patient has shown you what courage looks like?"
theme = "being-heard"
weight = "deep"
"""


def ok_json(run_cli, *args):
    """Run a command with --json that must succeed; its parsed output."""
    result = run_cli(*args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def assert_refused(result, code, *words):
    """The exit code, nothing on stdout, a plain message naming the problem, no traceback."""
    assert result.code == code, (result.code, result.out, result.err)
    assert result.out == ""
    assert "Traceback" not in result.err
    for word in words:
        assert word.lower() in result.err.lower(), (word, result.err)


def test_packs_list_json_items(run_cli, cli_vault):
    """`packs list --json`: every pack with id, name, version, signer and prompt_count, built-ins
    included with their real counts and no signer."""
    items = ok_json(run_cli, "packs", "list")
    assert isinstance(items, list)
    for item in items:
        assert {"id", "name", "version", "signer", "prompt_count"} <= set(item), item
        assert isinstance(item["version"], int) and isinstance(item["prompt_count"], int)
    by_id = {item["id"]: item for item in items}
    for pack in builtin_packs():
        assert by_id[pack.id]["prompt_count"] == len(pack.prompts)
        assert by_id[pack.id]["signer"] is None
        assert by_id[pack.id]["name"] == pack.name


def test_packs_show_json_has_prompts_with_ids(run_cli, cli_vault):
    """`packs show ID --json` includes the pack's prompts, each with id, pack, text, theme and why."""
    data = ok_json(run_cli, "packs", "show", "origins")
    assert data["id"] == "origins"
    origins = next(p for p in builtin_packs() if p.id == "origins")
    assert [p["id"] for p in data["prompts"]] == [p.id for p in origins.prompts]
    for prompt in data["prompts"]:
        assert {"id", "pack", "text", "theme", "why"} <= set(prompt)
        assert prompt["pack"] == "origins"
    assert data["prompt_count"] == len(data["prompts"])


def test_packs_show_unknown_pack_exits_5(run_cli, cli_vault):
    """Showing a pack that does not exist names it and exits 5."""
    assert_refused(run_cli("packs", "show", "no-such-pack"), 5, "no-such-pack", "packs list")


def test_import_unsigned_pack(run_cli, cli_vault, tmp_path):
    """An unsigned pack imports, is listed as unsigned with its prompt count, and is shown."""
    data = ok_json(run_cli, "packs", "import", write(tmp_path / "c.toml", PACK))
    assert data["id"] == "courage-circle" and data["signed"] is False and data["signer"] is None
    human = run_cli("packs", "list")
    assert "courage-circle" in human.out and "unsigned" in human.out
    listed = {i["id"]: i for i in ok_json(run_cli, "packs", "list")}
    assert listed["courage-circle"]["prompt_count"] == 2


def test_import_signed_pack_needs_trust(run_cli, cli_vault, tmp_path):
    """A signed pack from an unknown signer exits 2 with the fingerprint and imports nothing; with
    --trust it imports and the signer is listed."""
    path = write(tmp_path / "c.signed.toml", signing.sign(PACK, BEN))
    before = ok_json(run_cli, "packs", "list")
    first = run_cli("packs", "import", path)
    assert_refused(first, 2, "Dr Ben Okafor", BEN.signer.fingerprint, "--trust")
    assert ok_json(run_cli, "packs", "list") == before
    data = ok_json(run_cli, "packs", "import", path, "--trust")
    assert data["signer"] == {"name": "Dr Ben Okafor", "fingerprint": BEN.signer.fingerprint}
    listed = {i["id"]: i for i in ok_json(run_cli, "packs", "list")}
    assert listed["courage-circle"]["signer"]["fingerprint"] == BEN.signer.fingerprint


def test_import_tampered_pack_exits_5_and_imports_nothing(run_cli, cli_vault, tmp_path):
    """One changed byte in a signed file: exit 5, a message saying it was changed, and `packs list` is
    exactly as before (even with --trust)."""
    tampered = bytearray(signing.sign(PACK, BEN))
    tampered[tampered.index(b"brave")] ^= 0x20  # "brave" -> "Brave"
    path = write(tmp_path / "tampered.toml", bytes(tampered))
    before = ok_json(run_cli, "packs", "list")
    result = run_cli("packs", "import", path, "--trust")
    assert_refused(result, 5, "signature", "changed", "nothing was imported")
    assert ok_json(run_cli, "packs", "list") == before


def test_import_invalid_pack_names_the_problem(run_cli, cli_vault, tmp_path):
    """An invalid unsigned pack exits 5 naming the prompt and key; nothing is imported."""
    bad = PACK.replace(b'weight = "deep"', b'weight = "heavy"')
    before = ok_json(run_cli, "packs", "list")
    result = run_cli("packs", "import", write(tmp_path / "bad.toml", bad))
    assert_refused(result, 5, "prompt 2", "patient-courage", "weight", "heavy")
    assert ok_json(run_cli, "packs", "list") == before


def test_import_missing_file_exits_5(run_cli, cli_vault, tmp_path):
    """A file that does not exist: exit 5, naming the file."""
    missing = tmp_path / "nowhere" / "pack.toml"
    assert_refused(run_cli("packs", "import", str(missing)), 5, "could not read", str(missing))


def test_keygen_sign_verify(run_cli, cli_vault, tmp_path):
    """keygen gives a fingerprint; sign writes one signed file; verify prints the signer's name and
    the same fingerprint (and says so in JSON too)."""
    made = ok_json(run_cli, "packs", "keygen", "--name", "Dr Ana Ruiz, St Mary's circle")
    assert made["name"] == "Dr Ana Ruiz, St Mary's circle"
    assert FINGERPRINT.fullmatch(made["fingerprint"])
    source = write(tmp_path / "c.toml", PACK)
    signed = tmp_path / "c.signed.toml"
    result = run_cli("packs", "sign", source, "--out", str(signed))
    assert result.code == 0, result.err
    assert signed.read_bytes().endswith(PACK)
    assert signing.is_signed(signed.read_bytes())
    shown = run_cli("packs", "verify", str(signed))
    assert shown.code == 0, shown.err
    assert "Dr Ana Ruiz, St Mary's circle" in shown.out
    assert made["fingerprint"] in shown.out
    data = ok_json(run_cli, "packs", "verify", str(signed))
    assert data["signed"] is True and data["signer"] == made and data["id"] == "courage-circle"


def test_keygen_twice_needs_replace(run_cli, cli_vault):
    """A second keygen exits 5 and mentions --replace; with --replace a new fingerprint is made."""
    first = ok_json(run_cli, "packs", "keygen", "--name", "Dr Ana Ruiz")
    assert_refused(run_cli("packs", "keygen", "--name", "Dr Ana Ruiz"), 5, "--replace")
    second = ok_json(run_cli, "packs", "keygen", "--name", "Dr Ana Ruiz", "--replace")
    assert second["fingerprint"] != first["fingerprint"]


def test_verify_tampered_file_exits_5(run_cli, tmp_path):
    """verify of a changed signed file exits 5 naming the signature problem (no vault needed)."""
    tampered = signing.sign(PACK, BEN) + b"\n"
    assert_refused(run_cli("packs", "verify", write(tmp_path / "t.toml", tampered)), 5, "signature")


def test_verify_works_without_a_vault(run_cli, tmp_path):
    """verify needs no vault or passphrase: anyone can check a file before importing it."""
    path = write(tmp_path / "c.signed.toml", signing.sign(PACK, BEN))
    result = run_cli("packs", "verify", path, env={"PURPOSE_PASSPHRASE": None})
    assert result.code == 0, result.err
    assert "Dr Ben Okafor" in result.out and BEN.signer.fingerprint in result.out
    unsigned = run_cli("packs", "verify", write(tmp_path / "c.toml", PACK))
    assert unsigned.code == 0 and "unsigned" in unsigned.out


def test_export_builtin_writes_the_exact_file(run_cli, cli_vault, tmp_path):
    """Exporting a built-in pack writes its shipped bytes."""
    out = tmp_path / "origins.toml"
    result = run_cli("packs", "export", "origins", "--out", str(out))
    assert result.code == 0, result.err
    assert out.read_bytes() == builtin_raw()["origins"]


def test_export_to_unwritable_path_exits_5(run_cli, cli_vault, tmp_path):
    """--out inside a folder that does not exist: exit 5, naming the path and suggesting --out; no file
    or leftover is created."""
    out = tmp_path / "no-such-folder" / "origins.toml"
    result = run_cli("packs", "export", "origins", "--out", str(out))
    assert_refused(result, 5, "could not write", str(out), "--out")
    assert not out.parent.exists()


def test_import_export_round_trip_through_the_cli(run_cli, cli_vault, tmp_path):
    """A signed pack imported then exported is byte-for-byte the file that was imported."""
    signed = signing.sign(PACK, BEN)
    ok_json(run_cli, "packs", "import", write(tmp_path / "in.toml", signed), "--trust")
    out = tmp_path / "out.toml"
    assert run_cli("packs", "export", "courage-circle", "--out", str(out)).code == 0
    assert out.read_bytes() == signed


def test_packs_new_from_chosen_prompts(run_cli, cli_vault, tmp_path):
    """`packs new --from a/b c/d --out F` writes a valid pack of exactly those prompts, personal ones
    included."""
    mine = ok_json(run_cli, "prompt", "write", "What would I tell my first-year self?", "--theme", "origins")
    origins = ok_json(run_cli, "packs", "show", "origins")["prompts"][0]
    legacy = ok_json(run_cli, "packs", "show", "legacy")["prompts"][1]
    refs = [f"origins/{origins['id']}", f"legacy/{legacy['id']}", f"personal/{mine['id']}"]
    out = tmp_path / "mine.toml"
    result = run_cli(
        "packs", "new", "--from", *refs, "--out", str(out), "--id", "our-circle", "--name", "Ours"
    )
    assert result.code == 0, result.err
    pack = parse_pack(out.read_bytes())
    assert pack.id == "our-circle" and pack.name == "Ours"
    assert [p.text for p in pack.prompts] == [
        origins["text"],
        legacy["text"],
        "What would I tell my first-year self?",
    ]


def test_packs_new_with_unknown_prompt_exits_5(run_cli, cli_vault, tmp_path):
    """An unknown ref exits 5 naming it, and no file is written."""
    out = tmp_path / "x.toml"
    result = run_cli("packs", "new", "--from", "origins/not-a-prompt", "--out", str(out))
    assert_refused(result, 5, "not-a-prompt")
    assert not out.exists()


@pytest.mark.parametrize("bad_id", ["Bad Id", "-x", "x"])
def test_packs_new_with_bad_id_exits_5(run_cli, cli_vault, tmp_path, bad_id):
    """An --id that is not a valid pack id is refused before anything is written."""
    out = tmp_path / "x.toml"
    ref = builtin_packs()[0].prompts[0].ref
    result = run_cli("packs", "new", "--from", ref, "--out", str(out), f"--id={bad_id}")
    assert_refused(result, 5, "--id")
    assert not out.exists()


def test_enable_disable_shows_in_list(run_cli, cli_vault):
    """`packs disable` and `packs enable` change the pack's enabled flag in `packs list --json`."""

    def enabled():
        return {i["id"]: i["enabled"] for i in ok_json(run_cli, "packs", "list")}["legacy"]

    assert enabled() is True
    assert ok_json(run_cli, "packs", "disable", "legacy")["enabled"] is False
    assert enabled() is False
    assert ok_json(run_cli, "packs", "enable", "legacy")["enabled"] is True
    assert enabled() is True
