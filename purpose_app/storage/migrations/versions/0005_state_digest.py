"""The state digest: each page gets a stamp, renewed on every write of it (as entry rows have), so the
vault's sealed digest of its rows (storage/state_digest.py) can tell an older copy of a page from the
current one; and indexes from which the digest is summed at open without reading the rows themselves
(a page's row holds a megabyte of sealed value). The digest is recorded, sealed, at the first unlock
after this upgrade (it needs the key), in the same transaction.

Revision ID: 0005_state_digest
Revises: 0004_pages
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_state_digest"
down_revision = "0004_pages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entry_pages") as batch:
        batch.add_column(sa.Column("stamp", sa.Integer, nullable=False, server_default="0"))
    op.create_index("entries_state", "entries", ["id", "revision"])
    op.create_index("entry_pages_state", "entry_pages", ["id", "stamp"])
