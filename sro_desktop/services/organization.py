"""The organization's settings row: reading it, checking new values, and saving them.

What is saved here is what the documents print (name, logo, signatory on certificates and
receipts, currency on every amount, fiscal year on the treasurer's report), so values are
checked where they are typed: a required name, real states or provinces, a known currency,
a month, and pictures that are PNG or JPEG of a printable size.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from dataclasses import dataclass
from io import BytesIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from sro_desktop.db.models import OrganizationSettings
from sro_desktop.errors import DataRefused
from sro_desktop.services.currency_codes import CURRENCY_NAMES
from sro_desktop.services.values import (
    MONTHS,
    ValueProblem,
    normalize_email,
    normalize_phone,
    parse_state,
)

DEFAULT_GRACE_DAYS = 30
MAX_GRACE_DAYS = 365
# Pictures are embedded in every certificate batch and receipt; these are generous for
# print (a 4000-pixel logo is over 13 inches wide at 300 dpi) and keep PDFs small.
MAX_PICTURE_BYTES = 2 * 1024 * 1024
MAX_PICTURE_SIDE = 4000
PICTURE_FORMATS = {"PNG": "PNG", "JPEG": "JPEG"}
# The longest text each column holds (see db/models/organization.py).
_LENGTHS = {
    "name": ("Organization name", 200),
    "short_name": ("Short name", 40),
    "signatory_name": ("Signatory name", 200),
    "signatory_title": ("Signatory title", 200),
    "address": ("Address", 1000),
}


@dataclass(frozen=True)
class OrganizationDetails:
    """Every setting a person edits, as plain values (pictures as PNG/JPEG bytes)."""

    name: str = ""
    short_name: str = ""
    # As typed ("PA, New Jersey; Del.") or stored ("PA,NJ,DE"); saved as codes.
    states: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    fiscal_year_start_month: int = 1
    currency: str = "USD"
    grace_days: int = DEFAULT_GRACE_DAYS
    logo: bytes | None = None
    signature: bytes | None = None
    accredited_provider: bool = False

    def changed(self, **values: object) -> OrganizationDetails:
        """A copy with some values replaced (unknown names are a TypeError)."""
        return dataclasses.replace(self, **values)  # type: ignore[arg-type]


class PictureTooLarge(DataRefused):
    """A readable picture refused for its size (a window may offer a smaller copy)."""


@dataclass(frozen=True)
class PictureFacts:
    """What a picture is: "PNG", its size in pixels and in bytes."""

    format: str
    width: int
    height: int
    size: int

    def describe(self) -> str:
        kilobytes = max(1, round(self.size / 1024))
        return f"{self.format} picture, {self.width} × {self.height} pixels, {kilobytes} KB"


def demo_overlay(demo: OrganizationDetails, typed: OrganizationDetails) -> OrganizationDetails:
    """The details to keep after loading the demo data: the person's own organization when
    they named it (the demo's address or signatory must not print on their certificates);
    else the demo organization, with whatever else they typed in its place."""
    if typed.name.strip():
        return typed
    blank = OrganizationDetails()
    changes = {
        field.name: getattr(typed, field.name)
        for field in dataclasses.fields(OrganizationDetails)
        if getattr(typed, field.name) != getattr(blank, field.name)
    }
    return demo.changed(**changes)


def organization_settings(session: Session) -> OrganizationSettings:
    """The single settings row, added to the session with defaults if there is none yet."""
    settings = session.scalars(select(OrganizationSettings).limit(1)).first()
    if settings is None:
        settings = OrganizationSettings(name="")
        session.add(settings)
        session.flush()
    return settings


def grace_days(session: Session) -> int:
    """Days after a period ends during which a member is in grace, not lapsed."""
    value = session.scalar(select(OrganizationSettings.grace_days).limit(1))
    return DEFAULT_GRACE_DAYS if value is None else value


def organization_details(session: Session) -> OrganizationDetails:
    """The settings as they are saved (the defaults when none are), without adding a row."""
    row = session.scalars(select(OrganizationSettings).limit(1)).first()
    if row is None:
        return OrganizationDetails()
    return OrganizationDetails(
        name=row.name or "",
        short_name=row.short_name or "",
        states=row.states or "",
        address=row.address or "",
        email=row.email or "",
        phone=row.phone or "",
        signatory_name=row.signatory_name or "",
        signatory_title=row.signatory_title or "",
        fiscal_year_start_month=row.fiscal_year_start_month or 1,
        currency=(row.currency or "USD").upper(),
        grace_days=DEFAULT_GRACE_DAYS if row.grace_days is None else row.grace_days,
        logo=row.logo or None,
        signature=row.signature or None,
        accredited_provider=bool(row.accredited_provider),
    )


def has_organization_details(session: Session) -> bool:
    """Whether the organization has been named (by the welcome, Settings or demo data)."""
    return bool(session.scalar(select(OrganizationSettings.name).limit(1)))


def update_organization_settings(
    session: Session, details: OrganizationDetails
) -> OrganizationSettings:
    """Check `details` and save them as the organization's settings.

    Raises DataRefused naming the first field that is wrong and what to do; nothing is
    changed then. Returns the saved row (flushed, not committed)."""
    return restore_organization_details(session, checked_details(details))


def restore_organization_details(
    session: Session, details: OrganizationDetails
) -> OrganizationSettings:
    """Put back settings exactly as they were read earlier (for Edit > Undo), unchecked:
    they were what was saved then, even if today's checks would ask for more."""
    row = organization_settings(session)
    for field in dataclasses.fields(OrganizationDetails):
        value = getattr(details, field.name)
        if getattr(row, field.name) != value:
            setattr(row, field.name, value)
    session.flush()
    return row


def checked_details(details: OrganizationDetails) -> OrganizationDetails:
    """`details` cleaned as they will be saved; DataRefused for the first problem."""
    problems, clean = _check(details)
    if problems:
        raise DataRefused(next(iter(problems.values())))
    return clean


def details_problems(details: OrganizationDetails) -> dict[str, str]:
    """Every problem with `details`, by field name, for a form to show beside each field."""
    return _check(details)[0]


def _check(details: OrganizationDetails) -> tuple[dict[str, str], OrganizationDetails]:
    problems: dict[str, str] = {}
    values: dict[str, object] = {}
    for field, (label, limit) in _LENGTHS.items():
        text = _one_line(getattr(details, field)) if field != "address" else details.address
        text = text.strip()
        if len(text) > limit:
            problems[field] = f"{label} is {len(text)} characters long; shorten it to {limit}."
        values[field] = text
    if not values["name"]:
        problems["name"] = (
            "Organization name is required; type it as it should print on certificates."
        )
    try:
        values["states"] = parse_states(details.states)
    except ValueProblem as problem:
        problems["states"] = _sentence("States", problem)
    try:
        values["email"] = normalize_email(details.email) or ""
    except ValueProblem as problem:
        problems["email"] = _sentence("Email", problem)
    try:
        phone = normalize_phone(details.phone) or ""
    except ValueProblem as problem:
        problems["phone"] = _sentence("Phone", problem)
    else:
        if len(phone) > 40:
            problems["phone"] = "Phone is too long; keep one number of at most 40 characters."
        values["phone"] = phone
    currency = details.currency.strip().upper()
    if currency not in CURRENCY_NAMES:
        problems["currency"] = (
            f"Currency '{details.currency.strip()}' is not a currency code; use a "
            "three-letter code such as USD, CAD or EUR."
        )
    values["currency"] = currency
    if not 1 <= details.fiscal_year_start_month <= 12:
        problems["fiscal_year_start_month"] = (
            f"Fiscal year start '{details.fiscal_year_start_month}' is not a month; "
            "give a month from 1 (January) to 12 (December)."
        )
    if not 0 <= details.grace_days <= MAX_GRACE_DAYS:
        problems["grace_days"] = (
            f"Grace days must be between 0 and {MAX_GRACE_DAYS}; "
            f"{details.grace_days} is outside that."
        )
    for field, what in (("logo", "logo"), ("signature", "signature")):
        data = getattr(details, field)
        if data:
            try:
                picture_facts(data, what)
            except DataRefused as error:
                problems[field] = str(error)
        values[field] = data or None
    clean = details.changed(**values)
    return problems, clean


def _sentence(label: str, problem: ValueProblem) -> str:
    text = f"{label}: {problem}"
    return text if text.endswith(("?", ".", "!")) else text + "."


def _one_line(text: str) -> str:
    return " ".join(text.split())


_STATE_SEPARATORS = re.compile(r"[,;/&|\n]+")


def parse_states(text: str) -> str:
    """The states or provinces written in `text`, as codes: "PA, New Jersey; Del." ->
    "PA,NJ,DE". Codes may also be separated by spaces ("PA NJ DE"). Blank gives "".
    Raises ValueProblem for a part that names no state or province."""
    codes: list[str] = []
    for part in _STATE_SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        try:
            found = [parse_state(part)]
        except ValueProblem:
            words = part.split()
            if len(words) < 2 or any(len(word.strip(".")) > 3 for word in words):
                raise  # one place's name, misspelled: the problem suggests the right one
            try:
                found = [parse_state(word) for word in words]
            except ValueProblem:
                raise ValueProblem(
                    f"'{part}' is not a state or province; separate several with commas, "
                    "such as PA, NJ, DE"
                ) from None
        for code in found:
            if code and code not in codes:
                codes.append(code)
    return ",".join(codes)


def picture_facts(data: bytes, what: str = "picture") -> PictureFacts:
    """Check that `data` is a PNG or JPEG picture of a printable size and say what it is.

    `what` names the field in the message ("logo", "signature")."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_PICTURE_BYTES:
        megabytes = len(data) / (1024 * 1024)
        raise PictureTooLarge(
            f"The {what} picture is {megabytes:.1f} MB; choose one under "
            f"{MAX_PICTURE_BYTES // (1024 * 1024)} MB (save a smaller copy, at most "
            f"{MAX_PICTURE_SIDE} pixels across, in any picture editor)."
        )
    not_a_picture = DataRefused(
        f"The {what} is not a PNG or JPEG picture that can be read; save it as PNG or "
        f"JPEG and choose it again."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                kind = PICTURE_FORMATS.get(image.format or "")
                if kind is None:
                    raise not_a_picture
                width, height = image.size
                if max(width, height) > MAX_PICTURE_SIDE:
                    raise PictureTooLarge(
                        f"The {what} picture is {width} × {height} pixels; choose one at "
                        f"most {MAX_PICTURE_SIDE} pixels across (save a smaller copy in any "
                        "picture editor)."
                    )
                image.load()  # a truncated or damaged file fails here, not in a PDF later
    except DataRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise not_a_picture from None
    return PictureFacts(kind, width, height, len(data))


def month_name(month: int) -> str:
    return MONTHS[month - 1] if 1 <= month <= 12 else str(month)
