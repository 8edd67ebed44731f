"""What the import wizard's review page shows, made from any importer's plan.

Each importer plans differently (people, registrations, attendance); the review page
shows them all the same way: a sentence of counts, a tab per kind of change with its
rows as text, and the rows with problems. Turning a plan into those texts is done here,
away from the widgets, and is tested without a window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sro_desktop.spreadsheets.attendance_import import ZOOM_SOURCE, AttendanceImportPlan
from sro_desktop.spreadsheets.member_import import FIELD_LABELS, MemberImportPlan
from sro_desktop.spreadsheets.registration_import import RegistrationImportPlan
from sro_desktop.spreadsheets.row_problems import RowProblem

__all__ = ["Review", "ReviewTab", "review_of", "shown"]

#: Rows shown per tab; the counts above always give the full numbers.
SHOWN_ROWS = 2000
_NEW_HEADERS = ("Row", "Name", "Email", "Organization", "State")
_UPDATE_HEADERS = ("Row", "Name", "Field", "Now", "After the import")
_DUPLICATE_HEADERS = ("Row", "Same person as row", "Name")


@dataclass
class ReviewTab:
    title: str
    headers: Sequence[str]
    rows: list[list[str]]
    total: int

    @property
    def label(self) -> str:
        return f"{self.title} ({self.total:,})"


@dataclass
class Review:
    summary: str
    tabs: list[ReviewTab]
    problems: list[RowProblem]
    notes: list[str] = field(default_factory=list)
    nothing_to_do: bool = False


def shown(value: Any) -> str:
    """A value as the review shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, datetime):
        return f"{value:%m/%d/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%m/%d/%Y}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _plural(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _problems_sentence(problems: Sequence[RowProblem]) -> str:
    rows = len({p.row for p in problems})
    if not rows:
        return "no problems"
    return f"{_plural(rows, 'row', 'rows')} with problems"


def review_of(plan: Any) -> Review:
    if isinstance(plan, MemberImportPlan):
        return _members(plan)
    if isinstance(plan, RegistrationImportPlan):
        return _registrations(plan)
    if isinstance(plan, AttendanceImportPlan):
        return _attendance(plan)
    raise TypeError(f"no review for {type(plan).__name__}")


def _members(plan: MemberImportPlan) -> Review:
    get = plan.parsed.get
    numbers = plan.parsed.row_numbers
    new_rows = [
        [
            str(numbers[i]),
            plan.name_of(i),
            shown(get("email", i)),
            shown(get("organization", i)),
            shown(get("state", i)),
        ]
        for i in plan.new[:SHOWN_ROWS]
    ]
    updates: list[list[str]] = []
    for update in plan.updates:
        for name, (old, new) in update.changes.items():
            updates.append(
                [
                    str(numbers[update.index]),
                    update.name,
                    FIELD_LABELS.get(name, name),
                    shown(old),
                    shown(new),
                ]
            )
            if len(updates) >= SHOWN_ROWS:
                break
    unchanged = [
        [str(numbers[i]), plan.name_of(i), shown(get("email", i))]
        for i, _member in plan.unchanged[:SHOWN_ROWS]
    ]
    duplicates = [[str(d.row), str(d.first_row), d.name] for d in plan.duplicates[:SHOWN_ROWS]]
    counts = plan.counts()
    summary = (
        f"{_plural(counts['created'], 'new person', 'new people')}, "
        f"{_plural(counts['updated'], 'person updated', 'people updated')}, "
        f"{counts['unchanged']:,} unchanged, "
        f"{_plural(counts['duplicates'], 'duplicate row', 'duplicate rows')} merged, "
        f"{_problems_sentence(plan.errors)}."
    )
    notes = []
    if plan.memberships:
        paid = sum(1 for m in plan.memberships if m.payment)
        periods = sum(1 for m in plan.memberships if m.existing_id is None)
        notes.append(
            f"Adds {_plural(periods, 'membership period', 'membership periods')}"
            f" and {_plural(paid, 'dues payment', 'dues payments')}."
        )
    if plan.new_types:
        notes.append(
            "New membership types: "
            + ", ".join(plan.new_types)
            + " (set their dues in Members > Membership types)."
        )
    if plan.new_employers:
        listed = ", ".join(plan.new_employers[:5]) + (" …" if len(plan.new_employers) > 5 else "")
        notes.append(f"New organizations ({len(plan.new_employers):,}): {listed}")
    return Review(
        summary=summary,
        tabs=[
            ReviewTab(
                "New", ["Row", "Name", "Email", "Organization", "State"], new_rows, len(plan.new)
            ),
            ReviewTab(
                "Updates",
                ["Row", "Name", "Field", "Now", "After the import"],
                updates,
                len(plan.updates),
            ),
            ReviewTab("Unchanged", ["Row", "Name", "Email"], unchanged, len(plan.unchanged)),
            ReviewTab(
                "Duplicates",
                ["Row", "Same person as row", "Name"],
                duplicates,
                len(plan.duplicates),
            ),
        ],
        problems=plan.errors,
        notes=notes,
        nothing_to_do=not plan.new and not plan.updates,
    )


def _registrations(plan: RegistrationImportPlan) -> Review:
    def row(r: Any) -> list[str]:
        return [str(r.row), r.name, shown(r.email), shown(r.category), shown(r.fee), shown(r.pay)]

    headers = ["Row", "Name", "Email", "Category", "Fee", "Payment to record"]
    by_action = {
        action: [r for r in plan.registrations if r.action == action]
        for action in ("new", "update", "unchanged")
    }
    updates = [
        [str(r.row), r.name, name.capitalize(), shown(old), shown(new)]
        for r in by_action["update"]
        for name, (old, new) in r.changes.items()
    ]
    counts = plan.counts()
    summary = (
        f"For “{plan.meeting_title}”: "
        f"{_plural(counts['created'], 'new registration', 'new registrations')} "
        f"({_plural(counts['new_people'], 'new contact', 'new contacts')}), "
        f"{counts['updated']:,} updated, {counts['unchanged']:,} unchanged, "
        f"{_plural(counts['duplicates'], 'duplicate row', 'duplicate rows')} merged, "
        f"{_problems_sentence(plan.errors)}."
    )
    return Review(
        summary=summary,
        tabs=[
            ReviewTab("New", headers, [row(r) for r in by_action["new"]], len(by_action["new"])),
            ReviewTab(
                "Updates",
                ["Row", "Name", "Field", "Now", "After the import"],
                updates,
                len(by_action["update"]),
            ),
            ReviewTab(
                "Unchanged",
                headers,
                [row(r) for r in by_action["unchanged"]],
                len(by_action["unchanged"]),
            ),
        ],
        problems=plan.errors,
        notes=["A full meeting puts newcomers on its waitlist."],
        nothing_to_do=not by_action["new"] and not by_action["update"],
    )


def _attendance(plan: AttendanceImportPlan) -> Review:
    counts = plan.counts()
    if plan.source == ZOOM_SOURCE:
        credited = [[name] for name in sorted(plan.matched)]
        summary = (
            f"For “{plan.meeting_title}”: {_plural(counts['people'], 'person', 'people')} matched, "
            f"{_plural(counts['created'], 'new join', 'new joins')} to record, "
            f"{counts['unchanged']:,} already recorded, "
            f"{_plural(counts['duplicates'], 'rejoin or second device', 'rejoins or devices')}"
            f" counted with their person, {_problems_sentence(plan.errors)}."
        )
        return Review(
            summary=summary,
            tabs=[ReviewTab("Matched", ["Name or email in the report"], credited, len(credited))],
            problems=plan.errors,
            nothing_to_do=counts["created"] == 0,
        )
    check_ins = [[str(row), name, shown(at)] for row, name, _id, at in plan.check_ins]
    already = [[str(row), name] for row, name in plan.already]
    summary = (
        f"For “{plan.meeting_title}”: "
        f"{_plural(counts['created'], 'person', 'people')} to check in, "
        f"{counts['unchanged']:,} already checked in, {_problems_sentence(plan.errors)}."
    )
    return Review(
        summary=summary,
        tabs=[
            ReviewTab("Check in", ["Row", "Name", "Arrived"], check_ins, len(check_ins)),
            ReviewTab("Already checked in", ["Row", "Name"], already, len(already)),
        ],
        problems=plan.errors,
        nothing_to_do=not check_ins and not plan.people,
    )
