"""Key-derivation cost: a key's wrap never gets cheaper, and no file can demand a ruinous cost."""

from __future__ import annotations

import pytest

from purpose_app.crypto import kdf

OLD_ONE_LANE = kdf.KdfParams(profile="default", memory_kib=128 * 1024, time_cost=3, parallelism=1)


def test_a_new_wrap_is_never_cheaper_than_the_one_it_replaces():
    """The test profile (or any weaker cost) asked for on a default vault keeps the vault's cost."""
    assert kdf.at_least(kdf.TEST, kdf.DEFAULT) == kdf.DEFAULT
    assert kdf.at_least(kdf.DEFAULT, kdf.TEST) == kdf.DEFAULT  # a test vault is raised, never lowered
    assert kdf.at_least(kdf.DEFAULT, OLD_ONE_LANE) == kdf.DEFAULT  # two lanes: the same work per guess
    less_time = kdf.KdfParams("custom", 256 * 1024, 1, 2)
    assert kdf.at_least(less_time, kdf.DEFAULT) == kdf.DEFAULT  # more memory does not excuse fewer passes


@pytest.mark.parametrize(
    ("memory_kib", "time_cost"),
    [
        (kdf.MAX_MEMORY_KIB + 1, 3),
        (4 * 1024 * 1024, 3),
        (128 * 1024, kdf.MAX_TIME_COST + 1),
        (128 * 1024, 64),
    ],
)
def test_parameters_read_from_a_file_are_capped(memory_kib, time_cost):
    """A hostile header asking for more than 1 GiB or 10 passes is refused before any derivation."""
    raw = {"profile": "default", "memory_kib": memory_kib, "time_cost": time_cost, "parallelism": 2}
    with pytest.raises(ValueError, match="out of bounds"):
        kdf.KdfParams.from_dict(raw)


def test_the_largest_allowed_cost_is_still_accepted():
    """The caps leave room for a stronger default later: 1 GiB and 10 passes are accepted."""
    raw = {
        "profile": "default",
        "memory_kib": kdf.MAX_MEMORY_KIB,
        "time_cost": kdf.MAX_TIME_COST,
        "parallelism": 4,
    }
    assert kdf.KdfParams.from_dict(raw).memory_kib == kdf.MAX_MEMORY_KIB


def test_a_rewrap_costs_at_least_the_default_whatever_is_proposed():
    """passwd, recover and backups: the test profile is for creating vaults only; stronger stays stronger."""
    stronger = kdf.KdfParams("custom", 256 * 1024, 4, 2)
    assert kdf.rewrap_cost(kdf.DEFAULT, kdf.TEST) == kdf.DEFAULT
    assert kdf.rewrap_cost(kdf.TEST, kdf.TEST) == kdf.DEFAULT
    assert kdf.rewrap_cost(None) == kdf.DEFAULT  # a damaged slot being recovered
    assert kdf.rewrap_cost(stronger, kdf.DEFAULT) == stronger
    assert kdf.rewrap_cost(kdf.DEFAULT, stronger) == stronger
