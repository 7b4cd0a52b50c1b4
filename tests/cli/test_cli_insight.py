"""The command line for insight: chart, ledger, checkin, cbi, selfcheck, report and support: JSON
shapes, exit codes, and that nothing is written but the file asked for."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from purpose_app import cli

PNG = b"\x89PNG\r\n\x1a\n"
CBI_WORDS = (
    "always,often,sometimes,seldom,never,,"  # personal: 100 75 50 25 0 (item 6 skipped)
    "to a high degree,75,50,often,50,50,always,"  # work: 75 75 50 75 50 50, item 13 always -> 0
    "somewhat,25,,,,"  # patient: two answers only
)
RESULT_KEYS = {"id", "type", "taken"}


def at(days_ago: int) -> str:
    """Noon, `days_ago` days before today, in local time (so the entry's day is that local day)."""
    moment = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    return (moment - timedelta(days=days_ago)).isoformat()


@pytest.fixture
def seeded(add):
    """Three days: energy 2 with charting (night), 8 with a walk (day), 5 with nothing else."""
    add("--energy", "2", "--drain", "charting", "--shift", "night", "--at", at(1))
    add("--energy", "8", "--fuel", "a walk", "--shift", "day", "--at", at(2))
    add("--energy", "5", "--title", "an ordinary day", "--at", at(3))


def files_under(root: Path, *, skip: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() and skip not in p.parents}


# -- ledger and charts --------------------------------------------------------------------------------


def test_ledger_json_has_the_hand_computed_numbers(run_cli, seeded):
    """Baseline (2+8+5)/3 = 5; charting on a day of 2 -> -3; a walk on a day of 8 -> +3."""
    result = run_cli("ledger", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"start", "end", "baseline", "days_with_energy", "drains", "fuels", "summary"}
    assert data["baseline"] == 5.0 and data["days_with_energy"] == 3
    assert data["drains"] == [{"label": "charting", "count": 1, "mean": 2.0, "delta": -3.0}]
    assert data["fuels"] == [{"label": "a walk", "count": 1, "mean": 8.0, "delta": 3.0}]
    assert data["summary"].startswith("Charting appears on your lowest days: -3.0")


def test_ledger_human_output_is_a_sorted_table(run_cli, seeded):
    """Without --json: a heading with the average, one row per drain and fuel, and the sentence."""
    result = run_cli("ledger", "--days", "7")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "your average energy 5.0 over 3 days" in lines[0]
    assert lines[1].split()[:2] == ["drain", "charting"] and lines[1].rstrip().endswith("-3.0")
    assert lines[2].split()[:3] == ["fuel", "a", "walk"] and lines[2].rstrip().endswith("+3.0")


@pytest.mark.parametrize("kind", ["energy", "ledger", "shifts", "selfcheck"])
def test_chart_writes_a_png_and_says_what_it_shows(run_cli, seeded, tmp_path, kind):
    """Each chart kind writes a PNG to --out and reports its size and one-sentence summary."""
    out = tmp_path / f"{kind}.png"
    result = run_cli("chart", kind, "--out", str(out), "--size", "phone", "--theme", "dark", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"chart", "out", "width", "height", "title", "summary"}
    assert (data["chart"], data["out"], data["width"]) == (kind, str(out), 390)
    assert data["summary"].endswith(".")
    assert out.read_bytes().startswith(PNG)


@pytest.mark.parametrize(
    ("out", "words"),
    [("missing-folder/chart.png", "does not exist"), (".", "is a folder")],
)
def test_unwritable_chart_output_is_exit_5_before_the_passphrase(run_cli, seeded, tmp_path, out, words):
    """A --out that cannot be written is refused with exit 5 and a sentence naming it, before the
    passphrase is even asked (a wrong one makes no difference), and nothing is written."""
    target = str(tmp_path / out)
    before = files_under(tmp_path, skip=tmp_path / "vault")
    result = run_cli("chart", "energy", "--out", target, env={"PURPOSE_PASSPHRASE": "wrong passphrase"})
    assert result.code == 5
    assert words in result.err and target in result.err
    assert files_under(tmp_path, skip=tmp_path / "vault") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_read_only_output_folder_is_exit_5(run_cli, seeded, tmp_path):
    """A folder without write permission is refused with exit 5."""
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = run_cli("chart", "energy", "--out", str(locked / "chart.png"))
    assert result.code == 5 and "permission" in result.err


@pytest.mark.parametrize("days", ["0", "-1", "many"])
def test_bad_days_is_exit_5(run_cli, seeded, tmp_path, days):
    """--days must be a positive whole number or "all"."""
    result = run_cli("chart", "energy", "--out", str(tmp_path / "x.png"), "--days", days)
    assert result.code == 5 and "--days" in result.err
    assert not (tmp_path / "x.png").exists()


# -- self-checks --------------------------------------------------------------------------------------


def test_checkin_high_shows_support_gently(run_cli, cli_vault):
    """A quick check of 4 is saved, says "not a diagnosis", and shows the support resources."""
    result = run_cli("checkin", "--burnout", "4")
    assert result.code == 0, result.err
    assert result.out.startswith("Saved your quick check: 4 of 5.")
    assert "not a diagnosis" in result.out
    assert "Physician Support Line: 1-888-409-0141" in result.out
    assert "988" in result.out
    assert "leaves this device" in result.out


def test_checkin_low_has_no_support_block_and_json_shape(run_cli, cli_vault):
    """A quick check of 2: no support list, JSON {"id", "type", "taken", "score", "symptoms", "support"}."""
    result = run_cli("checkin", "--burnout", "2", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == RESULT_KEYS | {"score", "symptoms", "support"}
    assert (data["type"], data["score"], data["symptoms"], data["support"]) == ("quick", 2, False, None)
    assert datetime.fromisoformat(data["taken"]).tzinfo is not None


@pytest.mark.parametrize("answer", ["0", "6", "three", "4.5"])
def test_checkin_out_of_range_is_exit_5_and_saves_nothing(run_cli, cli_vault, answer):
    """Anything but 1-5 is exit 5 with a clear sentence; the history stays empty."""
    result = run_cli("checkin", "--burnout", answer)
    assert result.code == 5 and "1, 2, 3, 4 or 5" in result.err
    assert json.loads(run_cli("selfcheck", "history", "--json").out) == []


def test_checkin_without_an_answer_and_no_terminal_is_a_usage_error(run_cli, cli_vault):
    """No --burnout and nobody to ask: exit 2, saying how to answer."""
    result = run_cli("checkin")
    assert result.code == 2 and "--burnout" in result.err


def test_cbi_json_gives_scores_and_null_under_the_non_responder_rule(run_cli, cli_vault):
    """Words and numbers mix; personal = 250/5 = 50, work = (75+75+50+75+50+50+0)/7, patient (two
    answers) = null; personal at 50 is high, so support comes with it."""
    result = run_cli("cbi", "--answers", CBI_WORDS, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert {"personal", "work", "patient"} <= set(data)
    assert data["personal"] == 50.0
    assert data["work"] == pytest.approx(375 / 7)
    assert data["patient"] is None
    assert data["answered"] == {"personal": 5, "work": 7, "patient": 2}
    assert data["high"] == ["personal", "work"]
    assert any(r["name"] == "Physician Support Line" for r in data["support"]["resources"])


def test_cbi_human_output_explains_the_threshold(run_cli, cli_vault):
    """The scores, the missing one explained, and the threshold named as a research threshold."""
    result = run_cli("cbi", "--answers", CBI_WORDS)
    assert result.code == 0, result.err
    assert "no score: 2 of 6 answered; at least 3 are needed" in result.out
    assert "a commonly used research threshold" in result.out and "not a diagnosis" in result.out
    assert "diagnos" not in result.out.replace("not a diagnosis", "")


@pytest.mark.parametrize(
    ("answers", "words"),
    [(",".join(["60"] * 19), "Answer 1 is 60"), (",".join(["50"] * 18), "19 answers; 18"),
     ("often" + ",50" * 6 + ",often" + ",50" * 11, 'Answer 8 ("often")')],
)  # fmt: skip
def test_cbi_bad_answers_are_exit_5_and_save_nothing(run_cli, cli_vault, answers, words):
    """Out-of-range values, the wrong number of answers, a word from the other answer scale: exit 5."""
    result = run_cli("cbi", "--answers", answers)
    assert result.code == 5 and words in result.err
    assert json.loads(run_cli("selfcheck", "history", "--json").out) == []


def test_cbi_without_answers_and_no_terminal_is_a_usage_error(run_cli, cli_vault):
    """No --answers and no terminal: exit 2."""
    assert run_cli("cbi").code == 2


def test_cbi_asks_each_question_in_a_terminal(run_cli, cli_vault, monkeypatch, capsys):
    """Interactively: 1-5 pick from the menu, words and values work, Enter skips, a wrong answer is
    asked again; the result is scored like --answers."""
    replies = iter(["1", "often", "bogus", "50", "", *["25"] * 15])
    monkeypatch.setattr("purpose_app.cli.selfcheck._interactive", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(replies))
    result = run_cli("cbi", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["answers"][:4] == [100, 75, 50, None]
    assert data["personal"] == pytest.approx((100 + 75 + 50 + 25 + 25) / 5)
    assert "How often do you feel tired?" in capsys.readouterr().out


def test_selfcheck_history_is_newest_first(run_cli, cli_vault):
    """After a quick check and then a CBI, history lists the CBI first, with each type's fields."""
    assert run_cli("checkin", "--burnout", "3").code == 0
    assert run_cli("cbi", "--answers", CBI_WORDS).code == 0
    result = run_cli("selfcheck", "history", "--json")
    assert result.code == 0, result.err
    history = json.loads(result.out)
    assert [h["type"] for h in history] == ["cbi", "quick"]
    assert history[1]["score"] == 3
    assert history[0]["patient"] is None
    human = run_cli("selfcheck", "history").out.splitlines()
    assert "Copenhagen" in human[0] and "quick check  3 of 5" in human[1]


def test_selfcheck_due_offers_without_nagging(run_cli, cli_vault):
    """Both checks are open on a new vault; after a quick check only the Copenhagen one is."""
    first = json.loads(run_cli("selfcheck", "due", "--json").out)
    assert (first["quick"], first["cbi"]) == (True, True)
    run_cli("checkin", "--burnout", "1")
    after = run_cli("selfcheck", "due")
    assert after.out.startswith("Open whenever you like: the monthly Copenhagen check")


# -- report -------------------------------------------------------------------------------------------


def test_report_writes_only_the_pdf(run_cli, seeded, tmp_path):
    """`report` writes a PDF (two pages without excerpts, more with) and no other file anywhere in the
    test's folders; the vault folder gains nothing new either."""
    assert run_cli("checkin", "--burnout", "4").code == 0
    vault = tmp_path / "vault"
    before, vault_before = files_under(tmp_path, skip=vault), {p.name for p in vault.iterdir()}
    plain, excerpts = tmp_path / "report.pdf", tmp_path / "with-text.pdf"
    since = at(30)[:10]
    first = run_cli("report", "--since", since, "--out", str(plain), "--json")
    second = run_cli("report", "--since", since, "--out", str(excerpts), "--with-excerpts", "--json")
    assert first.code == 0, first.err
    assert second.code == 0, second.err
    assert json.loads(first.out) == {
        "out": str(plain), "pages": 2, "since": since, "until": at(0)[:10], "excerpts": False,
    }  # fmt: skip
    assert json.loads(second.out)["pages"] == 3
    assert plain.read_bytes().startswith(b"%PDF") and excerpts.read_bytes().startswith(b"%PDF")
    assert files_under(tmp_path, skip=vault) == before | {plain, excerpts}
    assert {p.name for p in vault.iterdir()} <= vault_before | {"purpose.db-wal", "purpose.db-shm"}


@pytest.mark.parametrize(
    ("args", "words"),
    [(("--since", "last week"), "not a date"), (("--since", "2026-05-02", "--until", "2026-05-01"), "after")],
)
def test_report_bad_dates_are_exit_5(run_cli, cli_vault, tmp_path, args, words):
    """An unreadable date, or a start after the end: exit 5, no file."""
    result = run_cli("report", *args, "--out", str(tmp_path / "r.pdf"))
    assert result.code == 5 and words in result.err
    assert not (tmp_path / "r.pdf").exists()


# -- support ------------------------------------------------------------------------------------------


def test_support_needs_no_vault_and_no_passphrase(run_cli):
    """Support is one step away even with no vault and no passphrase: the shipped list, in words and JSON."""
    result = run_cli("support", env={"PURPOSE_PASSPHRASE": None})
    assert result.code == 0, result.err
    assert "988 Suicide & Crisis Lifeline" in result.out and "741741" in result.out
    data = json.loads(run_cli("support", "--json", env={"PURPOSE_PASSPHRASE": None}).out)
    assert set(data) == {"locale", "privacy", "resources"}
    assert data["locale"] == "en-US"
    assert {"name", "contact", "note", "own", "id"} == set(data["resources"][0])


def test_support_add_list_and_remove_your_own(run_cli, cli_vault):
    """A contact of your own is added, listed first with --mine, and removed by id."""
    added = run_cli("support", "add", "--name", "My state PHP", "--contact", "555-0101", "--json")
    assert added.code == 0, added.err
    resource_id = json.loads(added.out)["id"]
    mine = json.loads(run_cli("support", "--mine", "--json").out)["resources"]
    assert (mine[0]["name"], mine[0]["own"], mine[0]["id"]) == ("My state PHP", True, resource_id)
    assert all(not r["own"] for r in json.loads(run_cli("support", "--json").out)["resources"])
    assert run_cli("support", "remove", resource_id).code == 0
    assert run_cli("support", "remove", resource_id).code == 5


def test_every_new_command_has_help():
    """Each insight command is registered and describes itself in --help."""
    for command in ("chart", "ledger", "checkin", "cbi", "selfcheck", "report", "support"):
        with pytest.raises(SystemExit) as done:
            cli.main([command, "--help"])
        assert done.value.code == 0
