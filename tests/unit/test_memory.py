"""Freed memory goes back to the system (services/memory.py): glibc's heap is trimmed after a large
read and at lock; on other systems nothing happens and nothing fails."""

from __future__ import annotations

import pytest

from purpose_app.domain.query import EntryQuery
from purpose_app.services import memory
from purpose_app.services.journal import Vault


class _Libc:
    def __init__(self) -> None:
        self.trimmed: list[int] = []

    def malloc_trim(self, pad: int) -> int:
        self.trimmed.append(pad)
        return 1


def test_glibc_is_trimmed_and_other_systems_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Linux with glibc malloc_trim(0) is called; on macOS, or Linux without glibc, nothing fails."""
    libc = _Libc()
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda _name: libc)
    monkeypatch.setattr(memory.sys, "platform", "linux")
    memory.release()
    assert libc.trimmed == [0]
    monkeypatch.setattr(memory.sys, "platform", "darwin")
    memory.release()
    assert libc.trimmed == [0]

    def no_glibc(_name: str) -> _Libc:
        raise OSError("libc.so.6: cannot open shared object file")

    monkeypatch.setattr(memory.sys, "platform", "linux")
    monkeypatch.setattr(memory.ctypes, "CDLL", no_glibc)
    memory.release()
    assert libc.trimmed == [0]


def test_the_real_call_works_here() -> None:
    """Whatever this system is, the real call returns without an error."""
    assert memory.release() is None


def test_a_full_read_and_a_lock_hand_memory_back(unlocked: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading every entry for a search, and locking, each give the freed memory back; a lock leaves
    nothing decrypted behind."""
    calls: list[str] = []
    monkeypatch.setattr(memory, "release", lambda: calls.append("release"))
    unlocked.entries(EntryQuery(text="anything"))
    assert calls == ["release"]
    cache = unlocked._cache
    unlocked.lock()
    assert calls == ["release", "release"]
    assert cache.entries == {} and cache.titles == {} and cache.bodies == {}
