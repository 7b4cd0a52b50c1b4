"""Soak: a long scripted session through the command line touching every feature, then a canary scan.

Every piece of text a person writes in the session (titles, bodies, tags, drains, fuels, edits, their
why, their own prompts, their support contacts, their signing name) carries a unique canary. After
hundreds of commands the journal must hold exactly what was written (nothing lost, nothing
resurrected), and no file outside the folder of exports the person asked for (charts, report, a
plaintext export, a pack file) may contain any canary, in UTF-8 or UTF-16, anywhere under pytest's
temporary folders.

`make soak` runs it (SOAK_SESSION_ROUNDS, default 200); the counts go to the soak summary.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from promise_helpers import scan

from purpose_app.cli import command as cli
from purpose_app.services import journal_cache

pytestmark = pytest.mark.soak
ROUNDS = int(os.environ.get("SOAK_SESSION_ROUNDS", "200"))
CBI = ",".join(["50", "25", "75", "0", "100"] * 4)[: -len(",100")]  # 19 answers


def _canary(kind: str, number: int) -> str:
    return f"cnry-{kind}{number}-{uuid.uuid4().hex[:16]}"


def _commands() -> set[str]:
    parser = cli._build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)  # type: ignore[arg-type]


class Session:
    """Runs commands, counts them, and keeps what the journal should hold."""

    def __init__(self, run_cli, exports: Path) -> None:
        self.run_cli = run_cli
        self.exports = exports
        self.steps = 0
        self.canaries: list[str] = []
        self.expected: dict[str, str] = {}  # entry id -> body

    def ok(self, *args: str, stdin: str = "", env: dict[str, str | None] | None = None) -> str:
        result = self.run_cli(*args, stdin=stdin, env=env)
        self.steps += 1
        assert result.code == 0, (args[:3], result.code, result.err)
        return result.out

    def data(self, *args: str, **kwargs) -> object:
        return json.loads(self.ok(*args, "--json", **kwargs))

    def canary(self, kind: str) -> str:
        value = _canary(kind, len(self.canaries))
        self.canaries.append(value)
        return value


def _round(s: Session, i: int, start: datetime) -> None:
    when = (start + timedelta(hours=9 * i)).isoformat(timespec="minutes")
    body = f"Round {i}. {s.canary('body')} stayed with me after the ward round.\n" * 3
    added = s.data(
        "add", "--title", s.canary("title"), "--body", "-", "--tag", s.canary("tag"), "--tag", "soak",
        "--drain", s.canary("drain"), "--fuel", s.canary("fuel"), "--energy", str(i % 11),
        "--shift", ("day", "night", "on-call")[i % 3], "--at", when, stdin=body,
    )  # fmt: skip
    s.expected[added["id"]] = body
    checkin = s.data("add", "--energy", str((i * 7) % 11), "--drain", "charting", "--at", when)
    s.expected[checkin["id"]] = ""
    found = s.data("search", body.split()[2])
    assert [e["id"] for e in found] == [added["id"]]
    assert 1 <= len(s.data("list", "--tag", "soak", "--limit", "5")) <= 5

    ids = list(s.expected)
    if i % 3 == 2:
        target = ids[-5] if len(ids) > 5 else ids[0]
        edited = f"Edited in round {i}: {s.canary('edit')}"
        s.ok("edit", target, "--body", edited, "--tag", s.canary("etag"))
        s.expected[target] = edited
    if i % 5 == 4:
        victim = ids[len(ids) // 2]
        s.ok("delete", victim, "--yes")
        del s.expected[victim]
    s.ok("prompt", "today")
    if i % 4 == 0:
        s.ok("prompt", "another")
    s.ok("checkin", "--burnout", str(1 + i % 5))
    if i % 10 == 0:
        s.ok("why", "set", f"Because {s.canary('why')} needed someone who listened.")
        written = s.data("prompt", "write", f"What did {s.canary('prompt')} teach you?", "--theme", "origins")
        s.ok("prompt", "favourite", f"{written['pack']}/{written['id']}")
        s.ok(
            "support",
            "add",
            "--name",
            s.canary("contact"),
            "--contact",
            "555-0100",
            "--note",
            s.canary("note"),
        )
        s.ok("cbi", "--answers", CBI)
        s.ok("programme", ("start", "status", "pause")[(i // 10) % 3], "three-good-things")


def _features(s: Session, commands: set[str]) -> None:
    """Once each: packs, insight, exports, keys, and backup/restore/import when present."""
    out = s.exports
    s.ok("packs", "list")
    packs = s.data("packs", "list")
    s.ok("packs", "show", packs[0]["id"])
    s.ok("packs", "keygen", "--name", s.canary("signer"))
    s.ok(
        "packs",
        "new",
        "--from",
        "origins/first-patient-remembered",
        "--out",
        str(out / "mine.toml"),
        "--id",
        "soak-pack",
    )
    s.ok("packs", "sign", str(out / "mine.toml"), "--out", str(out / "mine-signed.toml"))
    s.ok("packs", "verify", str(out / "mine-signed.toml"))
    s.ok("packs", "import", str(out / "mine-signed.toml"), "--trust")
    s.ok("packs", "disable", "soak-pack")
    s.ok("packs", "enable", "soak-pack")
    s.ok("packs", "export", "soak-pack", "--out", str(out / "exported.toml"))
    s.ok("why", "history")
    s.ok("selfcheck", "history")
    s.ok("selfcheck", "due")
    s.ok("ledger", "--days", "all")
    for kind in ("energy", "ledger", "shifts", "selfcheck"):
        s.ok("chart", kind, "--out", str(out / f"{kind}.png"), "--days", "all")
    s.ok("report", "--since", "2020-01-01", "--out", str(out / "report.pdf"), "--with-excerpts")
    s.ok("support", "--mine")
    if "export" in commands:
        s.ok("export", "json", "--out", str(out / "journal.json"), "--plaintext")
        s.ok("export", "markdown", "--out", str(out / "journal.md"), "--plaintext")
    if "import" in commands:
        imported = s.data("import", "jrnl-json", str(out / "journal.json"))
        assert imported["imported"] == 0  # everything is already there: a re-import never duplicates
    if "backup" in commands:  # encrypted: written outside the exports, so the scan covers it
        backups = out.parent / "backups"
        backups.mkdir()
        s.ok("backup", "--out", str(backups / "vault.backup"))
        backup_env: dict[str, str | None] = {"PURPOSE_BACKUP_PASSPHRASE": PASSPHRASE}
        s.ok("restore", str(backups / "vault.backup"), "--merge", env=backup_env)
        new_vault = {**backup_env, "PURPOSE_NEW_PASSPHRASE": PASSPHRASE}
        s.ok("restore", str(backups / "vault.backup"), "--vault", str(backups / "restored"), env=new_vault)
    if "sync" in commands:  # encrypted change files: scanned too
        (out.parent / "synced").mkdir()
        s.ok("sync", "--folder", str(out.parent / "synced"))
        s.ok("sync", "--folder", str(out.parent / "synced"))
    s.ok("passwd", env={"PURPOSE_NEW_PASSPHRASE": "a second passphrase for the soak"})
    s.ok("recovery-key", "--regenerate", env={"PURPOSE_PASSPHRASE": "a second passphrase for the soak"})


@pytest.mark.parametrize("storage", ["rows", "pages"])
def test_soak_long_session_then_canary_scan(
    run_cli, tmp_path, tmp_path_factory, record_property, monkeypatch, storage
):
    """With "pages", the thresholds are lowered so the journal lives in sealed pages from its tenth
    entry on, and every edit, deletion, sync and restore goes through them."""
    if storage == "pages":
        monkeypatch.setattr(journal_cache, "MIN_PAGED", 10)
        monkeypatch.setattr(journal_cache, "PAGE_FILL", 5)
        monkeypatch.setattr(journal_cache, "PAGE_SIZE", 8)
    exports = tmp_path / "exports"  # what the person explicitly asked to write out in the clear
    exports.mkdir()
    session = Session(run_cli, exports)
    session.ok("init")
    commands = _commands()
    start = datetime.now().astimezone().replace(microsecond=0) - timedelta(hours=9 * ROUNDS)
    for i in range(ROUNDS):
        _round(session, i, start)
    _features(session, commands)

    # Nothing lost, nothing resurrected: the journal is exactly what the session left in it.
    final = session.data("list", env={"PURPOSE_PASSPHRASE": "a second passphrase for the soak"})
    stored = {e["id"]: e["body"] for e in final}
    lost = sorted(set(session.expected) - set(stored))
    changed = sorted(i for i in session.expected if i in stored and stored[i] != session.expected[i])
    resurrected = sorted(set(stored) - set(session.expected))

    # The scan: every file under pytest's temporary folders, except the explicit exports.
    files = [p for p in tmp_path_factory.getbasetemp().rglob("*") if p.is_file() and exports not in p.parents]
    hits = scan(files, session.canaries)
    # The scanner can see: the plaintext export the person asked for does hold the canaries.
    exported = scan(
        [exports / "report.pdf", exports / "journal.json"] if "export" in commands else [], session.canaries
    )

    record_property("iterations", ROUNDS)
    record_property("steps", session.steps)
    record_property("entries", len(session.expected))
    record_property("canaries", len(session.canaries))
    record_property("canary_hits", len(hits))
    record_property("data_lost", len(lost) + len(changed))
    assert lost == [] and changed == [] and resurrected == []
    assert hits == [], hits[:5]
    assert "export" not in commands or exported, "the scanner found nothing even in the plaintext export"
