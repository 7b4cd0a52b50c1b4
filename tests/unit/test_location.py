"""Where a vault may live: the platform default, overrides, and synced folders refused."""

from pathlib import Path

import pytest

from purpose_app.storage.location import resolve_vault_dir, synced_service


@pytest.mark.parametrize("parts,service", [
    (("Dropbox", "journal"), "Dropbox"),
    (("Dropbox (Personal)", "journal"), "Dropbox"),
    (("OneDrive - St Mary Hospital", "Purpose"), "OneDrive"),
    (("Library", "Mobile Documents", "com~apple~CloudDocs", "Purpose"), "iCloud Drive"),
    (("Library", "CloudStorage", "GoogleDrive-me@example.org", "My Drive"), "Google Drive"),
    (("iCloud Drive", "notes"), "iCloud Drive"),
])  # fmt: skip
def test_sync_folder_names_in_the_path_are_recognised(tmp_path, parts, service):
    """A vault path under a sync client's folder name is recognised, even before it exists."""
    assert synced_service(tmp_path.joinpath(*parts)) == service


@pytest.mark.parametrize("marker,service", [
    (".stfolder", "Syncthing"), (".dropbox", "Dropbox"), ("._sync_abc123.db", "Nextcloud or ownCloud"),
])  # fmt: skip
def test_marker_files_in_a_parent_are_recognised(tmp_path, marker, service):
    """Syncthing, Dropbox and Nextcloud leave marker files at the top of a synced folder."""
    top = tmp_path / "shared"
    (top / "deep" / "er").mkdir(parents=True)
    (top / marker).mkdir() if marker.startswith(".st") else (top / marker).touch()
    assert synced_service(top / "deep" / "er" / "vault") == service


def test_ordinary_folders_are_fine(tmp_path):
    """Nothing in an ordinary path looks synced (and words like 'dropboxes' do not count)."""
    assert synced_service(tmp_path / "journals" / "dropboxes" / "vault") is None


def test_vault_dir_precedence(monkeypatch, tmp_path):
    """--vault wins over PURPOSE_VAULT, which wins over the platform user data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert resolve_vault_dir(None) == tmp_path / "data" / "Purpose"
    monkeypatch.setenv("PURPOSE_VAULT", str(tmp_path / "env"))
    assert resolve_vault_dir(None) == tmp_path / "env"
    assert resolve_vault_dir(str(tmp_path / "opt")) == tmp_path / "opt"
    assert resolve_vault_dir("~/x") == Path.home() / "x"
