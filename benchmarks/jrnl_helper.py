"""Run by the throw-away jrnl environment's own Python (never imports Purpose).

    python jrnl_helper.py build CONFIG JOURNAL PLAINTEXT

Writes jrnl's default configuration with `encrypt: true` (and the time format in
$JRNL_BENCH_TIMEFORMAT) to CONFIG (through jrnl's own save_config),
stores the password (from $JRNL_BENCH_PASSWORD) in the keyring jrnl reads it from, and writes the
entries of PLAINTEXT (jrnl's text format) to JOURNAL through jrnl's own Journal.write(), so the file
is exactly what jrnl itself would write: its current encrypted format, its key derivation, its
serialisation.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def build(config_path: str, journal_path: str, plaintext_path: str) -> int:
    import keyring
    from jrnl.config import get_default_config, save_config
    from jrnl.journals.Journal import Journal

    config = get_default_config()
    config["journals"] = {"default": {"journal": journal_path}}
    config["encrypt"] = True
    config["editor"] = ""
    config["timeformat"] = os.environ["JRNL_BENCH_TIMEFORMAT"]
    save_config(config, config_path)
    keyring.set_password("jrnl", "default", os.environ["JRNL_BENCH_PASSWORD"])

    journal = Journal("default", **{**config, "journal": journal_path})
    journal.entries = journal._parse(Path(plaintext_path).read_text(encoding="utf-8"))
    journal.sort()
    journal.write()
    print(len(journal.entries))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] != "build":
        sys.exit(__doc__)
    sys.exit(build(*sys.argv[2:]))
