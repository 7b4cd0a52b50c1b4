"""The app benchmark's vaults: the benchmark corpus at the default key-derivation cost, built once per
size and day under .bench-cache/app/ and copied fresh for each run (the runs add entries)."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

from benchmarks import corpus, purpose_build
from purpose_app.crypto import kdf

PASSPHRASE = purpose_build.PASSPHRASE


def corpus_end(today: date) -> datetime:
    """The journal ends yesterday evening: Trends opens on the last 30 days, so they must hold entries
    (the corpus's fixed end is months back, which would leave that first screen empty)."""
    return datetime.combine(today - timedelta(days=1), time(21, 0)).astimezone()


def cached_vault(
    cache: Path, size: int, params: kdf.KdfParams = kdf.DEFAULT, today: date | None = None
) -> Path:
    """The vault of `size` corpus entries ending yesterday, built on first use (a finished build leaves
    a marker, so an interrupted one is rebuilt rather than trusted)."""
    end = corpus_end(today or date.today())
    folder = cache / "app" / f"{size}-{params.profile}-{corpus.SEED}-{end:%Y%m%d}"
    done = folder / "built"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        purpose_build.build_vault(folder / "vault", corpus.entries(size, end=end), params)
        done.write_text("ok\n")
    return folder / "vault"


def working_copy(vault: Path, scratch: Path) -> Path:
    """A throw-away copy of a cached vault for one run."""
    target = scratch / "vault"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(vault, target)
    return target
