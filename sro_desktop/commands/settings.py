"""Commands about the organization's settings: `settings show` and `settings set`.

The same values as the welcome and File > Settings in the window: what certificates,
receipts and reports print (name, signatory, logo), the currency and the fiscal year.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sro_desktop.commands.context import CommandContext, print_json
from sro_desktop.errors import DataRefused, UnusableInput

if TYPE_CHECKING:
    from sro_desktop.services.organization import OrganizationDetails

# `settings set` option -> the OrganizationDetails field it sets (text values).
_TEXT_OPTIONS = {
    "name": "name",
    "short_name": "short_name",
    "states": "states",
    "address": "address",
    "email": "email",
    "phone": "phone",
    "signatory_name": "signatory_name",
    "signatory_title": "signatory_title",
    "currency": "currency",
}


def _month(text: str) -> int:
    """A month as a number (7) or a name ("July", "jul")."""
    from sro_desktop.services.values import MONTHS

    cleaned = text.strip().rstrip(".").lower()
    if cleaned.isdigit() and 1 <= int(cleaned) <= 12:
        return int(cleaned)
    for number, name in enumerate(MONTHS, start=1):
        if len(cleaned) >= 3 and name.lower().startswith(cleaned):
            return number
    raise argparse.ArgumentTypeError(f"'{text}' is not a month; give 1 to 12 or a month name")


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"'{text}' is not yes or no")


def register(commands: argparse._SubParsersAction[Any]) -> None:
    settings = commands.add_parser(
        "settings",
        help="the organization's name, signatory, logo, currency and fiscal year",
    )
    verbs = settings.add_subparsers(dest="verb", metavar="VERB", required=True)
    show = verbs.add_parser(
        "show",
        help="print the organization's settings",
        description="Print the organization's settings as certificates, receipts and "
        "reports use them.",
    )
    show.add_argument("--json", action="store_true", help="print a JSON object")
    show.set_defaults(handler=run_show, read_only=True)  # works while the app is open
    change = verbs.add_parser(
        "set",
        help="change some of the organization's settings",
        description="Change the settings named; the others stay as they are. States may be "
        "codes or names separated by commas ('PA, New Jersey'); the currency is a "
        "three-letter code (USD, CAD, EUR); the logo and signature are PNG or JPEG files "
        "under 2 MB.",
    )
    change.add_argument("--name", help="the organization's name, as printed on certificates")
    change.add_argument("--short-name", help="a short name or acronym, such as TSACME")
    change.add_argument("--states", help="the states or provinces served, such as 'PA, NJ, DE'")
    change.add_argument("--address", help="the postal address (use \\n between lines)")
    change.add_argument("--email", help="the organization's email address")
    change.add_argument("--phone", help="the organization's phone number")
    change.add_argument("--signatory-name", help="who signs certificates, such as 'Dana Lee, MD'")
    change.add_argument("--signatory-title", help="the signatory's title, such as President")
    change.add_argument(
        "--fiscal-year-start", type=_month, metavar="MONTH", help="1-12 or a month name"
    )
    change.add_argument("--currency", help="a three-letter currency code such as USD")
    change.add_argument("--grace-days", type=int, metavar="DAYS", help="0-365 days of grace")
    change.add_argument(
        "--accredited-provider",
        type=_yes_no,
        metavar="YES|NO",
        help="whether the organization is itself an accredited CME provider",
    )
    pictures = change.add_mutually_exclusive_group()
    pictures.add_argument("--logo", type=Path, metavar="FILE", help="a PNG or JPEG logo")
    pictures.add_argument("--no-logo", action="store_true", help="remove the logo")
    signatures = change.add_mutually_exclusive_group()
    signatures.add_argument(
        "--signature", type=Path, metavar="FILE", help="a PNG or JPEG of the signature"
    )
    signatures.add_argument("--no-signature", action="store_true", help="remove the signature")
    change.add_argument("--json", action="store_true", help="print the saved settings as JSON")
    change.set_defaults(handler=run_set, may_create=True)


def _picture_json(data: bytes | None) -> dict[str, object] | None:
    from sro_desktop.services.organization import picture_facts

    if not data:
        return None
    try:
        facts = picture_facts(data)
    except DataRefused:
        return {"format": "unreadable", "bytes": len(data)}
    return {
        "format": facts.format,
        "width": facts.width,
        "height": facts.height,
        "bytes": facts.size,
    }


def _picture_text(data: bytes | None) -> str:
    from sro_desktop.services.organization import picture_facts

    if not data:
        return "none"
    try:
        return picture_facts(data).describe()
    except DataRefused:
        return f"unreadable picture ({len(data)} bytes); choose it again"


def details_json(details: OrganizationDetails) -> dict[str, object]:
    return {
        "name": details.name,
        "short_name": details.short_name,
        "states": [code for code in details.states.split(",") if code],
        "address": details.address,
        "email": details.email,
        "phone": details.phone,
        "signatory_name": details.signatory_name,
        "signatory_title": details.signatory_title,
        "fiscal_year_start_month": details.fiscal_year_start_month,
        "currency": details.currency,
        "grace_days": details.grace_days,
        "accredited_provider": details.accredited_provider,
        "logo": _picture_json(details.logo),
        "signature": _picture_json(details.signature),
    }


def _print_details(details: OrganizationDetails) -> None:
    from sro_desktop.services.currency_codes import CURRENCY_NAMES
    from sro_desktop.services.organization import month_name

    name = details.name or "(not set; use `settings set --name ...`)"
    if details.short_name:
        name += f" ({details.short_name})"
    signatory = ", ".join(p for p in (details.signatory_name, details.signatory_title) if p)
    rows = [
        ("Organization", name),
        ("States", ", ".join(details.states.split(",")) if details.states else "none"),
        ("Address", "; ".join(line for line in details.address.splitlines() if line.strip())),
        ("Email", details.email),
        ("Phone", details.phone),
        ("Signatory", signatory or "none"),
        ("Fiscal year", f"starts in {month_name(details.fiscal_year_start_month)}"),
        (
            "Currency",
            f"{details.currency} ({CURRENCY_NAMES.get(details.currency, 'unknown code')})",
        ),
        ("Grace days", str(details.grace_days)),
        ("Accredited provider", "yes" if details.accredited_provider else "no"),
        ("Logo", _picture_text(details.logo)),
        ("Signature", _picture_text(details.signature)),
    ]
    width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        print(f"{label + ':':<{width}}{value}".rstrip())


def run_show(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.organization import organization_details

    with context.database().session() as session:
        details = organization_details(session)
    if args.json:
        print_json(details_json(details))
    else:
        _print_details(details)
    return 0


def _changes(args: argparse.Namespace) -> dict[str, object]:
    from sro_desktop.documents.pictures import read_picture

    changes: dict[str, object] = {}
    for option, field in _TEXT_OPTIONS.items():
        value = getattr(args, option)
        if value is not None:
            changes[field] = value.replace("\\n", "\n") if field == "address" else value
    if args.fiscal_year_start is not None:
        changes["fiscal_year_start_month"] = args.fiscal_year_start
    if args.grace_days is not None:
        changes["grace_days"] = args.grace_days
    if args.accredited_provider is not None:
        changes["accredited_provider"] = args.accredited_provider
    if args.logo is not None:
        changes["logo"] = read_picture(args.logo, "logo")
    elif args.no_logo:
        changes["logo"] = None
    if args.signature is not None:
        changes["signature"] = read_picture(args.signature, "signature")
    elif args.no_signature:
        changes["signature"] = None
    return changes


def run_set(context: CommandContext, args: argparse.Namespace) -> int:
    from sro_desktop.services.organization import organization_details, update_organization_settings

    changes = _changes(args)
    if not changes:
        raise UnusableInput(
            "Nothing to change; name a setting, such as --name or --currency "
            "(see 'sro-desktop settings set --help')."
        )
    with context.database().transaction(action="Edit settings") as session:
        details = organization_details(session).changed(**changes)
        update_organization_settings(session, details)
        saved = organization_details(session)
    if args.json:
        print_json(details_json(saved))
    else:
        print(f"Saved the settings of {saved.name}:")
        _print_details(saved)
    return 0
