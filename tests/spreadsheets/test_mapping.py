"""Columns are matched to fields from their headers, corrected, and remembered."""

from __future__ import annotations

import pytest

from sro_desktop.db.database import Database
from sro_desktop.db.models import ImportKind
from sro_desktop.spreadsheets.column_mapping import (
    choose_mapping,
    headers_key,
    normalize_header,
    remember_mapping,
    remembered_mapping,
    suggest_mapping,
    with_changes,
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("E-mail Address", "email"),
        ("Email", "email"),
        ("EMAIL", "email"),
        ("Primary Email", "email"),
        ("ST", "state"),
        ("State/Province", "state"),
        ("Degree(s)", "credentials"),
        ("Credential(s)", "credentials"),
        ("Institution / Company", "organization"),
        ("Organisation", "organization"),
        ("Member Since", "member_since"),
        ("Date Joined", "member_since"),
        ("Dues Paid", "dues_paid"),
        ("First Name", "first_name"),
        ("Surname", "last_name"),
        ("Name", "full_name"),
        ("Phone #", "phone"),
        ("Work Phone Number", "phone"),
        ("Zip/Postal Code", "postal_code"),
        ("Membership Type", "membership_type"),
        ("Expiration Date", "membership_end"),
        ("Check #", "payment_reference"),
        ("Emial", "email"),  # a typo, matched by spelling
    ],
)
def test_headers_people_write_are_matched(header: str, field: str) -> None:
    assert suggest_mapping([header], ImportKind.MEMBERS).fields == {header: field}


def test_a_header_about_something_else_is_left_alone() -> None:
    mapping = suggest_mapping(["Email Opt Out", "Shoe size", "Column H"], ImportKind.MEMBERS)

    assert mapping.fields == {}


def test_each_field_takes_its_best_column_and_no_column_feeds_two() -> None:
    mapping = suggest_mapping(
        ["Email", "E-mail Address", "First", "Last", "Name"], ImportKind.MEMBERS
    )

    assert mapping.fields == {"Email": "email", "First": "first_name", "Last": "last_name"}


def test_a_two_row_header_is_read_by_its_last_words() -> None:
    mapping = suggest_mapping(["Name First", "Name Last", "Contact Phone"], ImportKind.MEMBERS)

    assert mapping.fields == {
        "Name First": "first_name",
        "Name Last": "last_name",
        "Contact Phone": "phone",
    }


def test_registration_and_attendance_headers() -> None:
    registrations = suggest_mapping(
        ["Name", "Email", "Ticket Type", "Price", "Paid", "Timestamp"], ImportKind.REGISTRATIONS
    )
    attendance = suggest_mapping(["Attendee", "Signature", "Time In"], ImportKind.ATTENDANCE)

    assert registrations.fields == {
        "Name": "full_name",
        "Email": "email",
        "Ticket Type": "category",
        "Price": "fee",
        "Paid": "paid",
        "Timestamp": "registered_at",
    }
    assert attendance.fields == {
        "Attendee": "full_name",
        "Signature": "signed_in",
        "Time In": "joined_at",
    }


def test_headers_are_compared_without_case_accents_or_punctuation() -> None:
    assert normalize_header("  E-Mail  Address: ") == "e mail address"
    assert normalize_header("Degree(s)") == "degree"
    assert normalize_header("Membre depuis — Année") == "membre depuis annee"
    assert normalize_header("Phone #") == "phone no"


def test_a_correction_moves_a_field_from_another_column() -> None:
    mapping = suggest_mapping(["Email", "Other email"], ImportKind.MEMBERS)

    corrected = with_changes(mapping, {"Other email": "email", "Email": None})

    assert corrected.fields == {"Other email": "email"}
    assert corrected.source == "chosen"


def test_a_confirmed_mapping_is_remembered_for_the_same_headers(database: Database) -> None:
    headers = ("Courriel", "Prénom", "Nom")
    guessed = suggest_mapping(headers, ImportKind.MEMBERS)
    assert "Courriel" not in guessed.fields
    chosen = with_changes(
        guessed, {"Courriel": "email", "Prénom": "first_name", "Nom": "last_name"}
    )

    with database.transaction() as session:
        remember_mapping(session, headers, ImportKind.MEMBERS, chosen)
    with database.session() as session:
        # The same headers typed a little differently are the same file layout.
        again = remembered_mapping(session, ("courriel ", "PRÉNOM", "nom"), ImportKind.MEMBERS)
        other_kind = remembered_mapping(session, headers, ImportKind.REGISTRATIONS)
        chosen_again = choose_mapping(session, headers, ImportKind.MEMBERS)

    assert again is not None
    assert again.source == "remembered"
    assert other_kind is None
    assert chosen_again.fields == {"Courriel": "email", "Prénom": "first_name", "Nom": "last_name"}


def test_remembering_twice_replaces_the_mapping(database: Database) -> None:
    headers = ("A", "B")
    with database.transaction() as session:
        remember_mapping(
            session,
            headers,
            ImportKind.MEMBERS,
            with_changes(suggest_mapping(headers, ImportKind.MEMBERS), {"A": "email"}),
        )
    with database.transaction() as session:
        remember_mapping(
            session,
            headers,
            ImportKind.MEMBERS,
            with_changes(suggest_mapping(headers, ImportKind.MEMBERS), {"B": "email"}),
        )
    with database.session() as session:
        mapping = remembered_mapping(session, headers, ImportKind.MEMBERS)

    assert mapping is not None
    assert mapping.fields == {"B": "email"}
    assert headers_key(headers, ImportKind.MEMBERS) != headers_key(headers, ImportKind.ATTENDANCE)
