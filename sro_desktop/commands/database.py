"""Commands about the database file itself: `demo` and `check`."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sro_desktop.commands.context import CommandContext
from sro_desktop.services.demo import fill_demo_data


def register(commands: argparse._SubParsersAction[Any]) -> None:
    demo = commands.add_parser(
        "demo",
        help="fill an empty database with realistic sample data",
        description="Fill an empty database with a sample organization: a few hundred members "
        "over three years, four meetings, registrations, attendance and payments.",
    )
    demo.set_defaults(handler=run_demo)
    check = commands.add_parser(
        "check",
        help="check the database's integrity",
        description="Run SQLite's integrity and foreign-key checks and print the result.",
    )
    check.set_defaults(handler=run_check)


def run_demo(context: CommandContext, args: argparse.Namespace) -> int:
    database = context.database()
    with database.transaction() as session:
        summary = fill_demo_data(session, date.today())
    print(
        f"Added demo data to {database.path}: {summary.members} members, "
        f"{summary.non_members} other contacts, {summary.memberships} membership periods, "
        f"{summary.meetings} meetings, {summary.registrations} registrations and "
        f"{summary.payments} payments."
    )
    return 0


def run_check(context: CommandContext, args: argparse.Namespace) -> int:
    database = context.database()
    problems = database.integrity_check()
    if not problems:
        print(f"{database.path}: ok")
        return 0
    print(f"{database.path}: {len(problems)} problem(s) found:")
    for problem in problems:
        print(f"  {problem}")
    print("Restore the newest backup (File > Restore from backup) or ask for help.")
    return 1
