"""`purpose sync` reports documents, devices, tidying, and tells a long-silent device to join again."""

from __future__ import annotations

import json
from datetime import timedelta

from purpose_app.domain import clock
from purpose_app.services import sync, vault

PASSPHRASE = "correct horse battery"  # what run_cli sets as PURPOSE_PASSPHRASE


def test_sync_reports_documents_and_devices(run_cli, cli_vault, tmp_path):
    """The JSON report counts the documents sent and the devices heard from; the text says it plainly."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    with vault.unlock(cli_vault, PASSPHRASE) as opened:
        opened.put_document("support", "abc123", {"name": "Peer line", "contact": "555-0100", "note": ""})
    result = run_cli("sync", "--folder", str(folder), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["sent"]["documents"] >= 1 and data["devices"] == [] and data["rejoin"] is None
    human = run_cli("sync", "--folder", str(folder))
    assert human.code == 0 and "No other device heard from yet." in human.out


def test_a_device_silent_for_ninety_days_is_told_to_join_again(run_cli, cli_vault, tmp_path):
    """A vault whose last sync was 100 days ago: the sync still succeeds (exit 0, its own changes
    sent) and stderr says to join again; the entry written meanwhile is in the folder."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    assert run_cli("sync", "--folder", str(folder)).code == 0
    with vault.unlock(cli_vault, PASSPHRASE) as opened:
        device = opened.document(*sync.DEVICE)
        assert isinstance(device, dict)
        device["last"] = (clock.now() - timedelta(days=100)).isoformat()
        opened.put_document(*sync.DEVICE, device)
    assert run_cli("add", "--title", "written while away").code == 0
    result = run_cli("sync", "--folder", str(folder), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert "join again" in result.err and "90 days" in result.err and data["rejoin"] in result.err
    assert data["sent"]["entries"] == 1
