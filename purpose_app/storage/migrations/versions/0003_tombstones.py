"""Tombstones: the ids of deleted entries and the revision they had, so a deletion can travel to other
devices (sync) and an old copy of the entry is not brought back by a later merge.

Revision ID: 0003_tombstones
Revises: 0002_documents
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_tombstones"
down_revision = "0002_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tombstones",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.CheckConstraint("revision >= 1", name="tombstone_revision_positive"),
    )
