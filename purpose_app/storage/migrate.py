"""Schema versions. Alembic runs only when a vault is created or needs an upgrade, so the everyday
path (open, add, close) never pays for importing it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

# Every revision this release knows, oldest first. A vault at any other revision was made by a newer
# release. tests/unit/test_migrations.py keeps this list equal to the scripts in migrations/versions.
KNOWN_REVISIONS = ("0001_initial", "0002_documents", "0003_tombstones", "0004_pages", "0005_state_digest")
HEAD = KNOWN_REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def current_revision(conn: Connection) -> str | None:
    """The vault's schema revision, or None when it has no alembic_version table."""
    try:
        value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
    except OperationalError:
        conn.rollback()
        return None
    return None if value is None else str(value)


def upgrade_to_head(conn: Connection) -> None:
    """Bring the schema to HEAD inside the caller's transaction (all or nothing)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
