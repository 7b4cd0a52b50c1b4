"""The one clock: the current instant, zone-aware, in the local zone."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC).astimezone()
