"""Pages: sealed copies of many entries' current versions in one blob each, so a large journal opens
and is searched with a few dozen decryptions instead of one per field per entry. Each entry row gets a
random stamp, renewed on every write, and the id of the page holding its current version (if any).

Revision ID: 0004_pages
Revises: 0003_tombstones
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_pages"
down_revision = "0003_tombstones"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entry_pages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("value", sa.LargeBinary, nullable=False),
        sqlite_autoincrement=True,  # a page id is never reused: "the page that failed" stays that page
    )
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("stamp", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("page", sa.Integer, nullable=True))
    op.create_index("entries_paging", "entries", ["page", "id", "stamp"])
