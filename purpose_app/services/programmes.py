"""Programmes as the app lists them: every programme pack with its progress, and stopping one.

Starting, pausing and the progress rule live in services/reflection.py and packs/programme.py; this
module adds what the app needs beside them: the list of all programmes, and "stop", which forgets the
programme's state (its entries stay: progress is always derived from what was written)."""

from __future__ import annotations

from datetime import datetime

from purpose_app.errors import InvalidInput
from purpose_app.packs.programme import Progress
from purpose_app.services.reflection import PROGRAMME, Reflection


def all_programmes(reflection: Reflection, now: datetime) -> list[Progress]:
    """Every programme pack, with where the person is in it; running ones first."""
    found = [
        reflection.programme_status(info.pack.id, now)
        for info in reflection.library.packs()
        if info.pack.programme
    ]
    order = {"running": 0, "paused": 1, "not started": 2, "finished": 3}
    return sorted(found, key=lambda p: (order.get(p.status, 4), p.pack.name))


def stop_programme(reflection: Reflection, pack_id: str, now: datetime) -> Progress:
    """Stop a running or paused programme: it leaves Today and, started again, begins at day 1.
    The entries written for it are kept."""
    current = reflection.programme_status(pack_id, now)
    if current.status not in ("running", "paused"):
        raise InvalidInput(f'"{current.pack.name}" is {current.status}, so there is nothing to stop.')
    reflection.vault.delete_document(PROGRAMME, pack_id)
    return reflection.programme_status(pack_id, now)
