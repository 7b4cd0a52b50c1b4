"""Documents: small sealed records that are not entries (pack settings, favourites, personal prompts,
"my why", programme progress, signing identity, trusted signers, imported packs).

Revision ID: 0002_documents
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_documents"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("value", sa.LargeBinary, nullable=False),
        sa.CheckConstraint("revision >= 1", name="document_revision_positive"),
    )
