"""A demo vault: three months of check-ins, a few written entries and quick checks, from a fixed seed."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from conftest import PASSPHRASE

from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges, build_entry
from purpose_app.services import vault
from purpose_app.services.selfcheck import SelfChecks

DRAINS = ("charting", "pager", "understaffed", "a hard conversation", "no break")
FUELS = ("a grateful patient", "teaching", "a good team", "a quiet moment")
SHIFT_ENERGY = {"day": 5, "evening": 5, "night": 3, "on-call": 4, "post-call": 2, "off": 7}
TITLES = ("", "", "", "After the family meeting", "Teaching rounds", "A quiet night", "Why I stayed")


def seed(folder: Path) -> None:
    rnd = random.Random(7)
    # The real cost, as a physician's journal has it (a test-profile vault shows a warning banner).
    opened, _key = vault.create(folder, PASSPHRASE, kdf.DEFAULT)
    today = datetime.now().astimezone().replace(hour=21, minute=10, second=0, microsecond=0)
    entries = []
    for back in range(90, 0, -1):
        if rnd.random() < 0.2:
            continue  # days without a check-in stay empty: the charts must show the gaps
        when = today - timedelta(days=back)
        shift = rnd.choice(tuple(SHIFT_ENERGY))
        title = rnd.choice(TITLES)
        changes = EntryChanges(
            title=title,
            body="A long day, and one good moment in it." if title else "",
            energy=max(0, min(10, SHIFT_ENERGY[shift] + rnd.randint(-2, 2))),
            shift=shift,
            drains=tuple(rnd.sample(DRAINS, rnd.randint(0, 2))),
            fuels=tuple(rnd.sample(FUELS, rnd.randint(0, 2))),
        )
        entries.append(
            build_entry(str(uuid.UUID(int=rnd.getrandbits(128), version=4)), when, when, 1, changes)
        )
    opened.import_entries(entries)
    checks = SelfChecks(opened)
    for back, score in ((75, 2), (45, 3), (15, 3)):
        checks.record_quick(score, today - timedelta(days=back))
    opened.lock()
