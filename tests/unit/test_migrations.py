"""The list of schema revisions the code knows matches the Alembic scripts, and the schema matches."""

import sqlite3

from alembic.config import Config
from alembic.script import ScriptDirectory

from purpose_app.storage import migrate
from purpose_app.storage.schema import metadata


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def test_known_revisions_match_the_migration_scripts():
    """KNOWN_REVISIONS lists every script, oldest first, and HEAD is Alembic's single head."""
    scripts = _scripts()
    chain = [rev.revision for rev in scripts.walk_revisions()][::-1]
    assert tuple(chain) == migrate.KNOWN_REVISIONS
    assert scripts.get_heads() == [migrate.HEAD]


def test_migrated_schema_has_the_tables_and_columns_the_code_uses(made_vault):
    """A vault built by the migrations has exactly the columns schema.py declares."""
    with sqlite3.connect(made_vault.db) as conn:
        for table in metadata.sorted_tables:
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table.name})")}
            assert columns == {c.name for c in table.columns}, table.name
