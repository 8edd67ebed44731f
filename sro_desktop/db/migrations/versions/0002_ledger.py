"""The treasurer's books: editable expense categories and the opening balance.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_CATEGORIES = ("Venue", "Catering", "Speakers", "Printing", "Software", "Other")


def upgrade() -> None:
    categories = op.create_table(
        "expense_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expense_categories")),
        sa.UniqueConstraint("name", name=op.f("uq_expense_categories_name")),
    )
    op.create_table(
        "opening_balance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_balance")),
    )
    op.bulk_insert(
        categories,
        [
            {"name": name, "position": index, "hidden": False}
            for index, name in enumerate(DEFAULT_CATEGORIES)
        ],
    )
    # Categories already typed on expenses join the list, so none is orphaned.
    op.execute(
        "INSERT INTO expense_categories (name, position, hidden) "
        "SELECT DISTINCT e.category, 100, 0 FROM expenses e "
        "WHERE e.category <> '' AND lower(e.category) NOT IN "
        "(SELECT lower(name) FROM expense_categories)"
    )


def downgrade() -> None:
    op.drop_table("opening_balance")
    op.drop_table("expense_categories")
