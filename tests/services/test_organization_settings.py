"""The organization's settings: what is saved, what is refused and why, against a real
database file."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from sro_desktop.db.database import Database
from sro_desktop.errors import DataRefused
from sro_desktop.services.currency_codes import COMMON, CURRENCY_NAMES, currency_choices
from sro_desktop.services.ledger import currency, fiscal_year_start_month
from sro_desktop.services.organization import (
    MAX_PICTURE_SIDE,
    OrganizationDetails,
    details_problems,
    grace_days,
    has_organization_details,
    organization_details,
    parse_states,
    picture_facts,
    restore_organization_details,
    update_organization_settings,
)
from sro_desktop.services.values import ValueProblem


def picture(width: int = 300, height: int = 100, kind: str = "PNG") -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (31, 95, 168)).save(out, kind)
    return out.getvalue()


KEYSTONE = OrganizationDetails(
    name="  Keystone   Society for CME ",
    short_name="KSCP",
    states="Pennsylvania, n.j.; Del.",
    address="12 Main St\nHarrisburg, PA 17101",
    email=" Treasurer@Keystone.Example.ORG ",
    phone="(717) 555-0100",
    signatory_name="Dana Lee, MD",
    signatory_title="President",
    fiscal_year_start_month=7,
    currency="cad",
    grace_days=45,
    logo=picture(),
    signature=picture(200, 60, "JPEG"),
    accredited_provider=True,
)


def test_saved_settings_are_cleaned_and_read_back(database: Database) -> None:
    with database.transaction(action="Edit settings") as session:
        assert not has_organization_details(session)
        update_organization_settings(session, KEYSTONE)
    with database.session() as session:
        saved = organization_details(session)
        assert has_organization_details(session)
        # What the rest of the app reads: the ledger's currency and fiscal year, statuses.
        assert currency(session) == "CAD"
        assert fiscal_year_start_month(session) == 7
        assert grace_days(session) == 45
    assert saved.name == "Keystone Society for CME"
    assert saved.states == "PA,NJ,DE"
    assert saved.email == "treasurer@keystone.example.org"
    assert saved.currency == "CAD"
    assert saved.address == "12 Main St\nHarrisburg, PA 17101"
    assert saved.logo == KEYSTONE.logo
    assert saved.signature == KEYSTONE.signature
    assert saved.accredited_provider


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "   "}, "name", "Organization name is required"),
        ({"states": "Pensylvania"}, "states", "did you mean Pennsylvania (PA)?"),
        ({"states": "PA, Canada"}, "states", "is a country"),
        ({"currency": "USS"}, "currency", "Currency 'USS' is not a currency code"),
        ({"currency": "dollars"}, "currency", "three-letter code such as USD"),
        ({"fiscal_year_start_month": 13}, "fiscal_year_start_month", "from 1 (January)"),
        ({"fiscal_year_start_month": 0}, "fiscal_year_start_month", "is not a month"),
        ({"grace_days": 400}, "grace_days", "between 0 and 365"),
        ({"email": "treasurer@"}, "email", "Email: 'treasurer@' is not an email address"),
        ({"phone": "555"}, "phone", "include the area code"),
        ({"short_name": "K" * 41}, "short_name", "shorten it to 40"),
        ({"logo": b"GIF89a not really"}, "logo", "The logo is not a PNG or JPEG picture"),
        ({"signature": picture(kind="GIF")}, "signature", "signature is not a PNG or JPEG"),
    ],
)
def test_wrong_values_are_refused_naming_the_field(
    database: Database, changes: dict[str, object], field: str, words: str
) -> None:
    wrong = KEYSTONE.changed(**changes)
    assert words in details_problems(wrong)[field]
    with database.transaction() as session:
        update_organization_settings(session, KEYSTONE)
    with pytest.raises(DataRefused) as refused, database.transaction() as session:
        update_organization_settings(session, wrong)
    assert words in str(refused.value)
    with database.session() as session:
        assert organization_details(session) == update_check(KEYSTONE)  # nothing changed


def update_check(details: OrganizationDetails) -> OrganizationDetails:
    """What KEYSTONE looks like once saved (cleaned)."""
    return details.changed(
        name="Keystone Society for CME",
        states="PA,NJ,DE",
        email="treasurer@keystone.example.org",
        currency="CAD",
    )


def test_a_huge_logo_is_refused_with_what_to_do() -> None:
    wide = picture(MAX_PICTURE_SIDE + 1, 10)
    with pytest.raises(DataRefused, match=r"4001 × 10 pixels; choose one at most 4000"):
        picture_facts(wide, "logo")
    heavy = bytes(3 * 1024 * 1024)
    with pytest.raises(DataRefused, match=r"logo picture is 3\.0 MB; choose one under 2 MB"):
        picture_facts(heavy, "logo")
    truncated = picture(400, 400)[:200]
    with pytest.raises(DataRefused, match="not a PNG or JPEG picture that can be read"):
        picture_facts(truncated, "logo")


def test_picture_facts_describe_the_picture() -> None:
    facts = picture_facts(picture(300, 100), "logo")
    assert (facts.format, facts.width, facts.height) == ("PNG", 300, 100)
    assert facts.describe().startswith("PNG picture, 300 × 100 pixels")
    assert picture_facts(picture(kind="JPEG")).format == "JPEG"


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("", ""),
        ("PA", "PA"),
        ("pa, nj, de", "PA,NJ,DE"),
        ("PA NJ DE", "PA,NJ,DE"),
        ("Pennsylvania; New Jersey / Delaware", "PA,NJ,DE"),
        ("Ontario, Québec", "ON,QC"),
        ("PA, Penn., PA", "PA"),
        ("Newfoundland and Labrador", "NL"),
    ],
)
def test_states_are_read_as_people_write_them(typed: str, codes: str) -> None:
    assert parse_states(typed) == codes


def test_misspelled_states_get_a_suggestion() -> None:
    with pytest.raises(ValueProblem, match=r"did you mean New Jersey \(NJ\)"):
        parse_states("PA, Nwe Jersey")
    with pytest.raises(ValueProblem, match="separate several with commas"):
        parse_states("PA NJ XX")


def test_undo_puts_back_settings_that_would_not_pass_todays_checks(database: Database) -> None:
    with database.session() as session:
        blank = organization_details(session)
    with database.transaction() as session:
        update_organization_settings(session, KEYSTONE)
    with database.transaction() as session:
        restore_organization_details(session, blank)  # a blank name: restored as it was
    with database.session() as session:
        assert organization_details(session) == blank


def test_currency_choices_start_with_the_common_ones() -> None:
    choices = currency_choices()
    assert [code for code, _ in choices[: len(COMMON)]] == list(COMMON)
    assert len(choices) == len(CURRENCY_NAMES)
    assert ("CAD", "CAD — Canadian dollar") in choices
    assert all(len(code) == 3 and code.isupper() for code in CURRENCY_NAMES)
