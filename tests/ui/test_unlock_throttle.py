"""Unlock tries are throttled per vault folder across every Session of a process, before a key is derived."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE, MadeVault

from purpose_app import messages
from purpose_app.crypto import kdf, keys, keyslots
from purpose_app.errors import VaultUnavailable, WrongSecret
from purpose_app.services import vault
from purpose_app.services.session import Session
from purpose_app.services.unlock_throttle import (
    FREE_TRIES,
    PROCESS_THROTTLE,
    TooManyTries,
    UnlockThrottle,
    wait_after,
)

WRONG = "not the passphrase at all"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def throttle(clock: FakeClock) -> UnlockThrottle:
    return UnlockThrottle(clock)


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Argon2id derivation made from now on (the passphrase each was for)."""
    seen: list[str] = []
    real = kdf.derive_key

    def counted(passphrase: str, salt: bytes, params: kdf.KdfParams) -> bytes:
        seen.append(passphrase)
        return real(passphrase, salt, params)

    monkeypatch.setattr(kdf, "derive_key", counted)
    return seen


def _wrong(session: Session, times: int) -> None:
    for _ in range(times):
        with pytest.raises(WrongSecret) as caught:
            session.unlock(WRONG)
        assert caught.value.message == messages.WRONG_PASSPHRASE_APP


def _refused(action: Callable[[], object]) -> TooManyTries:
    with pytest.raises(TooManyTries) as caught:
        action()
    return caught.value


def test_five_wrong_tries_then_the_sixth_is_refused_without_deriving_a_key(
    made_vault: MadeVault, throttle: UnlockThrottle, derivations: list[str]
) -> None:
    """Five wrong passphrases are each tried; the sixth is refused at once, in plain words, with no Argon2."""
    session = Session(made_vault.folder, throttle=throttle)
    _wrong(session, FREE_TRIES)
    assert len(derivations) == FREE_TRIES
    refused = _refused(lambda: session.unlock(PASSPHRASE))  # even the right one waits
    assert refused.message == "Too many wrong tries. Wait 1 second, then try again."
    assert len(derivations) == FREE_TRIES
    assert not session.unlocked


def test_waits_double_with_each_wrong_try_and_stop_at_a_minute(
    made_vault: MadeVault, throttle: UnlockThrottle, clock: FakeClock
) -> None:
    """After the free tries the waits go 1, 2, 4, 8, 16, 32, then 60 seconds and no longer."""
    session = Session(made_vault.folder, throttle=throttle)
    _wrong(session, FREE_TRIES)
    waits = []
    for _ in range(9):
        waits.append(_refused(lambda: session.unlock(WRONG)).wait_seconds)
        clock.advance(waits[-1])
        _wrong(session, 1)
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert wait_after(10_000) == 60  # no overflow, however many


def test_the_message_counts_down_the_time_that_is_left(
    made_vault: MadeVault, throttle: UnlockThrottle, clock: FakeClock
) -> None:
    """Part of a wait gone: the message names what is left, rounded up, never "0 seconds"."""
    session = Session(made_vault.folder, throttle=throttle)
    _wrong(session, FREE_TRIES)
    assert _refused(lambda: session.unlock(WRONG)).message == messages.too_many_tries(1)
    for wait in (1, 2, 4):  # each wait passed, then one more wrong try: the next wait is 8 s
        clock.advance(wait)
        _wrong(session, 1)
    clock.advance(2.5)
    assert _refused(lambda: session.unlock(WRONG)).message == (
        "Too many wrong tries. Wait 6 seconds, then try again."
    )
    clock.advance(5.4)
    assert _refused(lambda: session.unlock(WRONG)).wait_seconds == 1
    clock.advance(0.1)
    _wrong(session, 1)


def test_refused_tries_do_not_make_the_wait_longer(
    made_vault: MadeVault, throttle: UnlockThrottle, clock: FakeClock, derivations: list[str]
) -> None:
    """Knocking during the wait (say from a hostile page) neither derives a key nor stretches the wait."""
    session = Session(made_vault.folder, throttle=throttle)
    _wrong(session, FREE_TRIES)
    for _ in range(50):
        _refused(lambda: session.unlock(WRONG))
    assert len(derivations) == FREE_TRIES
    assert throttle.wrong_tries(made_vault.folder) == FREE_TRIES
    clock.advance(1)
    session.unlock(PASSPHRASE)
    assert session.unlocked
    session.lock()


def test_a_correct_passphrase_after_the_wait_unlocks_and_resets_the_count(
    made_vault: MadeVault, throttle: UnlockThrottle, clock: FakeClock, derivations: list[str]
) -> None:
    """After the wait the right passphrase opens the journal, and the next five wrong tries are free again."""
    session = Session(made_vault.folder, throttle=throttle)
    _wrong(session, FREE_TRIES)
    clock.advance(1)
    _wrong(session, 1)
    clock.advance(2)
    session.unlock(PASSPHRASE)
    assert session.unlocked
    assert session.require().count() == 0  # nothing lost
    session.lock()
    assert throttle.wrong_tries(made_vault.folder) == 0
    _wrong(session, FREE_TRIES)
    assert len(derivations) == 2 * FREE_TRIES + 2


def test_two_sessions_for_the_same_folder_share_the_count(
    made_vault: MadeVault, throttle: UnlockThrottle, derivations: list[str]
) -> None:
    """Another tab is no way around it: three wrong in one and two in another, and both must wait."""
    first = Session(made_vault.folder, throttle=throttle)
    second = Session(made_vault.folder / ".." / made_vault.folder.name, throttle=throttle)  # same folder
    _wrong(first, 3)
    _wrong(second, 2)
    _refused(lambda: first.unlock(PASSPHRASE))
    _refused(lambda: second.unlock(PASSPHRASE))
    assert len(derivations) == FREE_TRIES


def test_different_folders_keep_separate_counts(
    made_vault: MadeVault, throttle: UnlockThrottle, tmp_path: Path
) -> None:
    """Wrong tries at one journal never make another journal wait."""
    other_folder = tmp_path / "other"
    vault.create(other_folder, PASSPHRASE, kdf.TEST)[0].lock()
    _wrong(Session(made_vault.folder, throttle=throttle), FREE_TRIES)
    other = Session(other_folder, throttle=throttle)
    other.unlock(PASSPHRASE)
    assert other.unlocked
    other.lock()


def test_wrong_recovery_keys_count_too_and_are_refused_before_unwrapping(
    made_vault: MadeVault, throttle: UnlockThrottle, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    """Recovery keys share the passphrase's count; during the wait even the right key is not tried."""
    unwraps: list[bytes] = []
    real = keyslots.unwrap_with_recovery

    def counted(slot: keyslots.KeySlot, secret: bytes, header: bytes) -> bytes:
        unwraps.append(secret)
        return real(slot, secret, header)

    monkeypatch.setattr(keyslots, "unwrap_with_recovery", counted)
    session = Session(made_vault.folder, throttle=throttle)
    _wrong(session, 2)
    not_this_vaults = keys.format_recovery_key(keys.new_recovery_secret())
    for _ in range(FREE_TRIES - 2):
        with pytest.raises(WrongSecret) as caught:
            session.recover(not_this_vaults, NEW_PASSPHRASE, NEW_PASSPHRASE)
        assert caught.value.message == messages.WRONG_RECOVERY_KEY
    refused = _refused(lambda: session.recover(made_vault.recovery_key, NEW_PASSPHRASE, NEW_PASSPHRASE))
    assert refused.message == messages.too_many_tries(1)
    assert len(unwraps) == FREE_TRIES - 2
    clock.advance(1)
    session.recover(made_vault.recovery_key, NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert session.unlocked and throttle.wrong_tries(made_vault.folder) == 0
    session.lock()
    Session(made_vault.folder, throttle=throttle).unlock(NEW_PASSPHRASE)  # the new passphrase took


def test_a_missing_vault_is_not_counted_as_a_guess(tmp_path: Path, throttle: UnlockThrottle) -> None:
    """No vault to open is no wrong try: the count stays at zero however often it happens."""
    session = Session(tmp_path / "nowhere", throttle=throttle)
    for _ in range(FREE_TRIES + 2):
        with pytest.raises(VaultUnavailable):
            session.unlock(PASSPHRASE)
    assert throttle.wrong_tries(tmp_path / "nowhere") == 0


def test_tries_that_start_together_are_counted_before_any_finishes(
    made_vault: MadeVault, throttle: UnlockThrottle, derivations: list[str]
) -> None:
    """Twelve tabs guessing at once: only five derivations run, the rest are refused straight away."""
    results: list[str] = []
    start = threading.Barrier(12)

    def guess() -> None:
        session = Session(made_vault.folder, throttle=throttle)
        start.wait()
        try:
            session.unlock(WRONG)
        except TooManyTries:
            results.append("refused")
        except WrongSecret:
            results.append("wrong")

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["refused"] * 7 + ["wrong"] * 5
    assert len(derivations) == FREE_TRIES


def test_every_session_shares_the_process_throttle_by_default(made_vault: MadeVault) -> None:
    """Sessions made without a throttle (as the app makes them) all count against one per process."""
    try:
        _wrong(Session(made_vault.folder), FREE_TRIES)
        _refused(lambda: Session(made_vault.folder).unlock(PASSPHRASE))
        assert PROCESS_THROTTLE.wrong_tries(made_vault.folder) == FREE_TRIES
    finally:
        PROCESS_THROTTLE.reset()
    assert PROCESS_THROTTLE.wrong_tries(made_vault.folder) == 0
