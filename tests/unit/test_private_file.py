"""The one private-file writer: owner-only whatever the umask, all or nothing, and it says why."""

import errno
import os
import stat

import pytest

from purpose_app.errors import InvalidInput, PurposeError
from purpose_app.services import private_file
from purpose_app.services.private_file import write_private


@pytest.fixture
def umask():
    """Set a umask for one test, and put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


@pytest.mark.parametrize("mask", [0o022, 0o000, 0o277])
def test_the_file_is_owner_only_whatever_the_umask(tmp_path, umask, mask):
    """0600 exactly under a permissive umask, no umask at all, or one that would take the owner's
    write bit (the mode is set on the open file, not left to the umask)."""
    umask(mask)
    target = tmp_path / "out.bin"
    write_private(target, b"data")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == b"data"


def test_a_writer_function_gets_the_open_file(tmp_path, umask):
    """The callable form streams into the file, and the result is owner-only too."""
    target = tmp_path / "streamed.bin"
    write_private(target, lambda handle: [handle.write(b"chunk %d;" % i) for i in range(3)])
    assert target.read_bytes() == b"chunk 0;chunk 1;chunk 2;"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_replacing_keeps_the_mode_private(tmp_path, umask):
    """Writing over an existing world-readable file leaves an owner-only one (a new inode)."""
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_private(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failing_rename_leaves_the_target_and_no_partial_file(tmp_path, monkeypatch):
    """The rename fails: the old file is untouched, nothing else is left, and the message says what
    happened and where."""
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the old report")

    def refuse(_source, _destination):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(private_file.os, "replace", refuse)
    with pytest.raises(InvalidInput) as caught:
        write_private(target, b"the new report")
    assert caught.value.message == (
        f"Could not write {target}: Permission denied. Choose another place with --out."
    )
    assert target.read_bytes() == b"the old report"
    assert _leftovers(tmp_path) == []


def test_a_failing_writer_leaves_the_target_and_no_partial_file(tmp_path):
    """The writer function raises half-way (e.g. the vault locked): its error propagates unchanged,
    the old file is untouched and the half-written temporary file is gone."""
    target = tmp_path / "b.backup"
    target.write_bytes(b"the old backup")

    def half_then_fail(handle):
        handle.write(b"half of it")
        raise RuntimeError("the vault was locked")

    with pytest.raises(RuntimeError, match="the vault was locked"):
        write_private(target, half_then_fail)
    assert target.read_bytes() == b"the old backup"
    assert _leftovers(tmp_path) == []


def test_an_os_error_in_the_writer_is_reported_as_a_write_failure(tmp_path):
    """A disk error while writing becomes the "Could not write" message, with no partial file."""
    target = tmp_path / "out.bin"

    def disk_full(_handle):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(InvalidInput, match="No space left on device"):
        write_private(target, disk_full)
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_a_missing_folder_is_a_clear_failure(tmp_path):
    """Nowhere to put the file: InvalidInput naming it, and no folder is created."""
    target = tmp_path / "missing" / "out.bin"
    with pytest.raises(InvalidInput, match=r"Could not write .*out\.bin: No such file or directory"):
        write_private(target, b"data")
    assert not target.parent.exists()


def test_a_caller_chooses_its_own_failure(tmp_path, monkeypatch):
    """The caller's failure function gets the reason (sync says the folder is unwritable)."""

    class Unwritable(PurposeError):
        pass

    def failing_fsync(_descriptor):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(private_file.os, "fsync", failing_fsync)
    with pytest.raises(Unwritable, match="folder: I/O error"):
        write_private(tmp_path / "x", b"data", failure=lambda reason: Unwritable(f"folder: {reason}"))
    assert list(tmp_path.iterdir()) == []


def test_the_temporary_file_is_exclusive_and_beside_the_target(tmp_path, monkeypatch):
    """The data goes first to a new hidden file in the target's own folder (so the rename cannot
    cross file systems), opened with O_EXCL so a planted file or link is never written through."""
    seen = []
    real_open = os.open

    def spy(path, flags, mode=0o777):
        seen.append((path, flags, mode))
        return real_open(path, flags, mode)

    monkeypatch.setattr(private_file.os, "open", spy)
    write_private(tmp_path / "out.bin", b"data")
    path, flags, mode = seen[0]
    assert path.parent == tmp_path and path.name.startswith(".out.bin.") and path.name.endswith(".partial")
    assert flags & os.O_EXCL and flags & os.O_CREAT and mode == 0o600
