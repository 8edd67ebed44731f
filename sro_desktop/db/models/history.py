"""What happened to the data: import batches (undoable), remembered column mappings,
and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sro_desktop.db.models.base import Base, UtcDateTime, str_enum, utc_now
from sro_desktop.db.models.enums import ImportKind


class ImportBatch(Base):
    """One import of one file: counts, the mapping used, and whether it was undone."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(str_enum(ImportKind))
    file_name: Mapped[str] = mapped_column(String(500))
    sheet: Mapped[str] = mapped_column(String(200), default="")
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    changes: Mapped[list[ImportChange]] = relationship(
        back_populates="batch", cascade="all, delete-orphan"
    )


class ImportChange(Base):
    """One row an import inserted or updated, with the values it replaced (for undo)."""

    __tablename__ = "import_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))  # "insert" or "update"
    old_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    batch: Mapped[ImportBatch] = relationship(back_populates="changes")


class ColumnMapping(Base):
    """A column mapping the user confirmed, remembered for files with the same headers."""

    __tablename__ = "column_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(str_enum(ImportKind))
    # A stable digest of the normalized header row.
    headers_key: Mapped[str] = mapped_column(String(64), unique=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)


class AuditEntry(Base):
    """One change to one record: when, what, old and new values, and why (action or batch)."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_table_row", "table_name", "row_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(16))  # insert, update, delete
    old_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    new_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_action: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(Integer)
