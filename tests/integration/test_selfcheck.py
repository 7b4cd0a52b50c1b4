"""Self-checks, support contacts, charts and the report against a real vault: results are sealed, come
back in order, and nothing a person wrote or rated reaches the disk in the clear."""

from __future__ import annotations

import tempfile
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from promise_helpers import scan

from purpose_app.domain.entry import EntryChanges
from purpose_app.errors import InvalidInput
from purpose_app.insight import charts, support, theme
from purpose_app.services.selfcheck import KIND, SelfChecks
from purpose_app.services.trends import Trends

NOW = datetime(2026, 3, 10, 21, 30, tzinfo=UTC)
CBI_ANSWERS = (75, 75, 50, 50, 75, 25, 75, 75, 50, 75, 50, 50, 0, 25, 25, 50, 50, None, None)


def test_results_are_stored_sealed_and_read_back(made_vault):
    """A quick check and a CBI come back from a fresh unlock, scores recomputed from the answers, while
    the database file holds none of their JSON in the clear."""
    with made_vault.open() as opened:
        checks = SelfChecks(opened)
        checks.record_quick(4, NOW)
        checks.record_cbi(CBI_ANSWERS, NOW + timedelta(minutes=5))
    with made_vault.open() as opened:
        history = SelfChecks(opened).history()
    assert [r.kind for r in history] == ["cbi", "quick"]
    assert history[1].quick == 4
    cbi = history[0].cbi
    assert cbi is not None
    assert cbi.personal == (75 + 75 + 50 + 50 + 75 + 25) / 6
    assert cbi.work == (75 + 75 + 50 + 75 + 50 + 50 + 100) / 7  # item 13 answered 0 -> scores 100
    assert cbi.patient == (25 + 25 + 50 + 50) / 4
    raw = made_vault.db.read_bytes()
    for fragment in (b'"type"', b'"answers"', b'"score":4', b"selfcheck", b"2026-03-10T21:30"):
        assert fragment not in raw


def test_history_is_newest_first_whatever_the_order_of_saving(made_vault):
    """Results saved out of order (a check-in dated earlier saved later) are listed by when they were
    taken, newest first."""
    with made_vault.open() as opened:
        checks = SelfChecks(opened)
        for days, score in ((2, 2), (0, 1), (5, 5), (1, 3)):
            checks.record_quick(score, NOW + timedelta(days=days))
        history = checks.history()
    assert [r.quick for r in history] == [5, 2, 3, 1]
    assert [r.taken for r in history] == sorted((r.taken for r in history), reverse=True)


def test_which_check_is_open(made_vault):
    """Both are open at first; a quick check closes the quick one for seven days; a CBI the CBI for 30."""
    with made_vault.open() as opened:
        checks = SelfChecks(opened)
        assert (checks.due(NOW).quick, checks.due(NOW).cbi) == (True, True)
        checks.record_quick(3, NOW)
        checks.record_cbi(CBI_ANSWERS, NOW)
        assert (checks.due(NOW + timedelta(days=6, hours=23)).quick, checks.due(NOW).cbi) == (False, False)
        assert checks.due(NOW + timedelta(days=7)).quick
        assert not checks.due(NOW + timedelta(days=29)).cbi
        assert checks.due(NOW + timedelta(days=30)).cbi
        sentence = checks.due(NOW + timedelta(days=7)).sentence()
    assert sentence.startswith("Open whenever you like: the weekly quick check")
    assert "missed" not in sentence and "overdue" not in sentence


def test_unreadable_records_are_left_out(made_vault):
    """A self-check record this version cannot read (a later format) is skipped, not a crash."""
    with made_vault.open() as opened:
        opened.put_document(KIND, "from-the-future", {"type": "mood", "taken": "2030-01-01T00:00:00+00:00"})
        opened.put_document(KIND, "broken", {"type": "quick", "taken": "not a date", "score": 3})
        SelfChecks(opened).record_quick(2, NOW)
        assert [r.quick for r in SelfChecks(opened).history()] == [2]


def test_own_support_contacts_are_sealed_and_listed_first(made_vault):
    """A person's own contact is stored encrypted, shown before the shipped list, and can be removed."""
    canary = f"canary-support-{uuid.uuid4().hex[:12]}"
    with made_vault.open() as opened:
        added = support.add_own(opened, f"Dr {canary}", "555-0100", "my mentor")
        listed = support.combined(opened)
        assert listed.resources[0].name == f"Dr {canary}"
        assert any(r.name == "Physician Support Line" for r in listed.resources)
    assert scan([made_vault.folder], [canary]) == []
    with made_vault.open() as opened:
        assert added.id is not None
        support.remove_own(opened, added.id)
        assert support.own(opened) == ()


def test_canary_scan_passes_after_charts_report_and_self_checks(made_vault, tmp_path, monkeypatch):
    """Entries with a unique string in every field, every chart rendered, a report with excerpts, self-
    checks and a support contact: after lock no file in the vault folder, pytest's temp dir or the
    process's temp dir contains the string, and the temp dir stays empty (charts live in memory)."""
    canary = f"canary-insight-{uuid.uuid4().hex}"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    today = date.today()
    with made_vault.open() as opened:
        for n in range(12):
            when = datetime.combine(today - timedelta(days=n), datetime.min.time()).astimezone()
            opened.add(
                EntryChanges(
                    title=f"title {canary}",
                    body=f"body {canary}",
                    energy=n % 10,
                    shift="night",
                    drains=(f"d {canary}"[:60],) if n < 4 else (),
                    fuels=(f"f {canary}"[:60],),
                    created=when,
                )
            )
        checks = SelfChecks(opened)
        checks.record_quick(5, NOW)
        checks.record_cbi(CBI_ANSWERS, NOW)
        support.add_own(opened, f"n {canary}"[:80], "555-0100")
        trends = Trends(opened)
        rendered = [
            charts.render(trends.chart(kind, 30, today), theme.DARK, theme.PHONE)
            for kind in ("energy", "ledger", "shifts", "selfcheck")
        ]
        pdf, pages = trends.report(today - timedelta(days=30), today, with_excerpts=True)
    assert all(r.png.startswith(b"\x89PNG") for r in rendered)
    assert pdf.startswith(b"%PDF") and pages >= 3
    assert f"D {canary}" in rendered[1].summary  # the ledger really did use the labels
    assert scan([made_vault.folder, tmp_path, scratch], [canary]) == []
    assert list(scratch.iterdir()) == []


def test_support_list_is_localisable_and_editable(tmp_path, monkeypatch):
    """An unknown locale falls back to the shipped US list; a file named by PURPOSE_SUPPORT_FILE and a
    locale chosen by PURPOSE_LOCALE replace it; control characters in it are refused."""
    assert support.shipped("xx-XX").locale == "en-US"
    assert "Physician Support Line" in [r.name for r in support.shipped().resources]
    own_file = tmp_path / "support.toml"
    own_file.write_text(
        'default_locale = "en-US"\n[locale.en-US]\nprivacy = "p"\n'
        '[locale.en-GB]\nprivacy = "Nothing leaves this device."\n'
        '[[locale.en-GB.resources]]\nname = "Practitioner Health"\ncontact = "0300 0303 300"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PURPOSE_SUPPORT_FILE", str(own_file))
    monkeypatch.setenv("PURPOSE_LOCALE", "en-GB")
    found = support.shipped()
    assert (found.locale, [r.name for r in found.resources]) == ("en-GB", ["Practitioner Health"])
    own_file.write_text(
        '[locale.en-US]\n[[locale.en-US.resources]]\nname = "bad\\u202ename"\ncontact = "x"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PURPOSE_LOCALE", "en-US")
    with pytest.raises(InvalidInput, match="control characters"):
        support.shipped()
