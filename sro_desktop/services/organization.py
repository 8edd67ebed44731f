"""The organization's settings row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.models import OrganizationSettings


def organization_settings(session: Session) -> OrganizationSettings:
    """The single settings row, added to the session with defaults if there is none yet."""
    settings = session.scalars(select(OrganizationSettings).limit(1)).first()
    if settings is None:
        settings = OrganizationSettings(name="")
        session.add(settings)
        session.flush()
    return settings


DEFAULT_GRACE_DAYS = 30


def grace_days(session: Session) -> int:
    """Days after a period ends during which a member is in grace, not lapsed."""
    value = session.scalar(select(OrganizationSettings.grace_days).limit(1))
    return DEFAULT_GRACE_DAYS if value is None else value
