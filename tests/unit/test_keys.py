"""Recovery-key text form and subkey separation."""

import pytest

from purpose_app.crypto import keys


def test_recovery_key_round_trips_through_its_printed_form():
    """The printed key parses back to the same secret, in any case and with spaces."""
    secret = keys.new_recovery_secret()
    printed = keys.format_recovery_key(secret)
    assert len(printed.split("-")) == 14 and all(len(g) == 4 for g in printed.split("-"))
    assert keys.parse_recovery_key(printed) == secret
    assert keys.parse_recovery_key(" " + printed.lower().replace("-", " ") + "\n") == secret


def test_a_typo_is_caught_by_the_checksum():
    """Changing one character is reported as a malformed key, not tried as a real one."""
    printed = keys.format_recovery_key(keys.new_recovery_secret())
    first = printed[0]
    typo = ("B" if first != "B" else "C") + printed[1:]
    with pytest.raises(keys.RecoveryKeyFormatError):
        keys.parse_recovery_key(typo)


def test_too_short_key_is_refused():
    """A truncated key is refused with a format error."""
    with pytest.raises(keys.RecoveryKeyFormatError):
        keys.parse_recovery_key("ABCD-EFGH")


def test_subkeys_differ_by_purpose():
    """Each purpose gets its own key from the same data key."""
    data_key = keys.new_data_key()
    assert keys.subkey(data_key, "entries") != keys.subkey(data_key, "backup")
    assert keys.subkey(data_key, "entries") == keys.subkey(data_key, "entries")
