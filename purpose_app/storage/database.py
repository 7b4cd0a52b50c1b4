"""Opening the SQLite file the careful way: pragmas, explicit transactions, integrity check.

SQLite is run in WAL mode with synchronous=FULL (each commit is durable, even on power loss),
secure_delete=ON (freed pages are zeroed), temp_store=MEMORY (no temp files), and writes begin with
BEGIN IMMEDIATE so two writers queue on the busy timeout instead of failing half-way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

BUSY_TIMEOUT_MS = 5000
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys=ON",
    "PRAGMA trusted_schema=OFF",
)
_BEGIN_MODE = "purpose_begin_mode"


def make_engine(path: Path, *, create: bool = False) -> Engine:
    """An engine for the vault file. Without `create`, a missing file is an error, never a new file."""
    mode = "rwc" if create else "rw"
    # The path goes in as a URI; quote characters that mean something in one.
    uri_path = str(path).replace("%", "%25").replace("?", "%3F").replace("#", "%23")
    engine = create_engine(
        f"sqlite+pysqlite:///file:{uri_path}?mode={mode}&uri=true",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        poolclass=NullPool,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun by us, below, not by the driver
        cursor = dbapi_conn.cursor()
        for pragma in PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(f"BEGIN {conn.info.pop(_BEGIN_MODE, 'DEFERRED')}")

    return engine


@contextmanager
def writing(conn: Connection) -> Iterator[Connection]:
    """One write transaction, begun IMMEDIATE; committed on success, rolled back on any error."""
    conn.info[_BEGIN_MODE] = "IMMEDIATE"
    with conn.begin():
        yield conn


@contextmanager
def reading(conn: Connection) -> Iterator[Connection]:
    """One read transaction: a consistent snapshot across several selects."""
    with conn.begin():
        yield conn


def _outside_transaction(conn: Connection, sql: str) -> list[Any]:
    """Run a pragma on the driver connection, outside any transaction (checkpoints need that)."""
    if conn.in_transaction():
        conn.rollback()
    raw = conn.connection.driver_connection
    assert raw is not None
    return list(raw.execute(sql).fetchall())


def quick_check(conn: Connection) -> str | None:
    """None when the file is sound, else SQLite's first complaint."""
    rows = [row[0] for row in _outside_transaction(conn, "PRAGMA quick_check")]
    return None if rows == ["ok"] else str(rows[0] if rows else "no answer")


def checkpoint(conn: Connection) -> None:
    """Fold the WAL into the main file and truncate it to zero bytes."""
    _outside_transaction(conn, "PRAGMA wal_checkpoint(TRUNCATE)")


def data_version(conn: Connection) -> int:
    """Changes whenever another connection commits (our own commits leave it alone)."""
    return int(_outside_transaction(conn, "PRAGMA data_version")[0][0])


def sqlite_message(exc: DBAPIError) -> str:
    return str(exc.orig) if exc.orig is not None else str(exc)
