"""Helpers shared by the security-promise tests: file fingerprints, canary scans, raw SQLite edits.

Everything here reads or writes the vault files directly, below the service, the way an attacker or a
failing disk would. Connections are always closed (warnings are errors in this suite).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

ENTRY_BLOBS = ("meta", "title", "body")


def fingerprint(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under folder (recursively), keyed by relative path."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def encodings_of(text: str) -> dict[str, bytes]:
    """The byte forms a leaked string could take on disk."""
    return {
        "utf-8": text.encode("utf-8"),
        "utf-16-le": text.encode("utf-16-le"),
        "utf-16-be": text.encode("utf-16-be"),
    }


def scan(roots: Iterable[Path], needles: Iterable[str]) -> list[tuple[str, str, str]]:
    """Every (file, needle, encoding) where a needle occurs in any file under the roots."""
    forms = [(needle, enc, raw) for needle in needles for enc, raw in encodings_of(needle).items()]
    hits: list[tuple[str, str, str]] = []
    seen: set[Path] = set()
    for root in roots:
        candidates = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in candidates:
            if path in seen or not path.is_file() or path.is_symlink():
                continue
            seen.add(path)
            data = path.read_bytes()
            hits += [(str(path), needle, enc) for needle, enc, raw in forms if raw in data]
    return hits


@contextmanager
def raw_db(db: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to the vault file, committed and closed on exit."""
    with closing(sqlite3.connect(db)) as conn, conn:
        yield conn


def read_value(db: Path, table: str, column: str, key_column: str, key: str) -> bytes:
    with raw_db(db) as conn:
        row = conn.execute(f"SELECT {column} FROM {table} WHERE {key_column} = ?", (key,)).fetchone()
    assert row is not None, f"no {table} row {key}"
    return bytes(row[0])


def write_value(db: Path, table: str, column: str, key_column: str, key: str, value: object) -> None:
    with raw_db(db) as conn:
        cur = conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key_column} = ?", (value, key))
        assert cur.rowcount == 1


def flip_bit(db: Path, table: str, column: str, key_column: str, key: str, offset: int, bit: int) -> int:
    """Flip one bit of a stored blob in place; returns the byte offset actually used (offset mod length)."""
    blob = bytearray(read_value(db, table, column, key_column, key))
    where = offset % len(blob)
    blob[where] ^= 1 << bit
    write_value(db, table, column, key_column, key, bytes(blob))
    return where


def entry_rows(db: Path) -> list[tuple[object, ...]]:
    """Every stored entry row exactly as bytes on disk, in id order."""
    with raw_db(db) as conn:
        return conn.execute("SELECT id, revision, meta, title, body FROM entries ORDER BY id").fetchall()


def integrity_check(db: Path) -> list[str]:
    with raw_db(db) as conn:
        return [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]


def copy_vault(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest)
    return dest
